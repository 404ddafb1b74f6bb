"""Monthly figures per mailbox and unit (interaction.stats) on a crafted set of letters."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from interaction.actions import perform
from interaction.models import MonthlyUnitStats
from interaction.stats import compute
from tests.conftest import module_world
from tests.factories import SHANGHAI

from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def letter(world, received, unit="a", replied=None, rating=None):
    """A consultation (reply due at the end of the 3rd working day) to the portal's mailbox,
    dispatched to `unit` and answered at `replied`, then rated."""
    users, received = world["users"], at(received)
    item = write(world["portal_mailbox"], category="consultation", now=received).letter
    if unit is None:
        return item
    step = timedelta(minutes=10)
    perform(
        item,
        "dispatch",
        user=users[("portal", "dispatcher")],
        unit=world[f"{unit}_unit"],
        now=received + step,
    )
    if replied is None:
        return item
    replied = at(replied)
    perform(item, "accept", user=users[(unit, "handler")], now=received + 2 * step)
    perform(item, "submit_reply", user=users[(unit, "handler")], reply="答复。", now=replied - step)
    perform(item, "approve_reply", user=users[(unit, "reviewer")], now=replied)
    if rating is not None:  # "rate" itself: a low rating closes the letter as after a 重办
        perform(item, "rate", actor="writer", rating=rating, now=replied + step)
    return item


@pytest.fixture
def november(mail_world):
    w = mail_world
    # received, replied (due at the end of the 3rd working day), working days to the reply
    letter(w, "2026-11-02 10:00", replied="2026-11-04 10:00", rating=5)  # on time, 2
    letter(w, "2026-11-02 10:00", replied="2026-11-09 10:00", rating=4)  # late (11-05), 5
    letter(w, "2026-11-02 10:00", replied="2026-11-05 16:00", rating=3)  # on time, 3
    letter(w, "2026-11-03 10:00", replied="2026-11-06 10:00", rating=2)  # on time, 3
    letter(w, "2026-11-03 10:00", replied="2026-11-10 10:00", rating=1)  # late (11-06), 5
    letter(w, "2026-11-04 10:00", replied="2026-11-05 10:00")  # on time, 1, not rated
    letter(w, "2026-11-16 10:00")  # due 11-19, not answered
    letter(w, "2026-10-28 10:00", replied="2026-11-02 12:00", rating=5)  # due 11-02, on time, 3
    letter(w, "2026-11-02 10:00", unit="b", replied="2026-11-03 10:00", rating=5)  # 1
    letter(w, "2026-11-05 10:00", unit=None)  # waits for 派单: the portal's own unit; due 11-10
    refused = letter(w, "2026-11-05 11:00", unit=None)
    perform(
        refused,
        "not_accept",
        user=w["users"][("portal", "dispatcher")],
        not_accepted="litigation",
        reason="请通过诉讼途径解决。",
        now=at("2026-11-05 12:00"),
    )
    return w


def row(world, unit, month=NOVEMBER):
    return MonthlyUnitStats.objects.get(
        mailbox=world["portal_mailbox"], unit=world[f"{unit}_unit"], month=month
    )


def test_the_figures_of_a_month_per_unit(november):
    assert compute(NOVEMBER, now=at("2026-12-01 02:30")) == 3
    a = row(november, "a")
    assert (a.received, a.answered, a.due, a.answered_on_time) == (7, 7, 8, 5)
    assert a.answer_working_days == 2 + 5 + 3 + 3 + 5 + 1 + 3
    assert (a.rated, a.satisfied) == (6, 4)
    assert a.ratings == {"5": 2, "4": 1, "3": 1, "2": 1, "1": 1}
    b = row(november, "b")
    assert (b.received, b.answered, b.due, b.answered_on_time, b.answer_working_days) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert (b.rated, b.satisfied, b.ratings["5"]) == (1, 1, 1)
    portal = row(november, "portal")  # not yet dispatched, and not accepted: no due count
    assert (portal.received, portal.answered, portal.due, portal.answered_on_time) == (2, 0, 1, 0)
    assert portal.ratings == {"5": 0, "4": 0, "3": 0, "2": 0, "1": 0}

    assert compute(date(2026, 10, 15)) == 1
    october = row(november, "a", month=date(2026, 10, 1))
    assert (october.received, october.answered, october.due) == (1, 0, 0)


def test_a_recomputation_updates_rows_in_place_and_drops_stale_ones(november):
    compute(NOVEMBER, now=at("2026-12-01 02:30"))
    first = row(november, "a")
    waiting = november["portal_mailbox"].letters.filter(lead_unit=None, state="received").get()
    perform(
        waiting,
        "dispatch",
        user=november["users"][("portal", "dispatcher")],
        unit=november["b_unit"],
        now=at("2026-11-05 12:00"),
    )
    MonthlyUnitStats.objects.filter(pk=first.pk).update(received=99)

    assert compute(NOVEMBER, now=at("2026-12-02 02:30")) == 3
    again = row(november, "a")
    assert again.pk == first.pk and again.received == 7
    assert again.computed_at == at("2026-12-02 02:30")
    assert (row(november, "b").received, row(november, "b").due) == (2, 2)
    assert (row(november, "portal").received, row(november, "portal").due) == (1, 0)

    november["portal_mailbox"].letters.filter(lead_unit=None).update(lead_unit=november["b_unit"])
    assert compute(NOVEMBER) == 2
    assert not MonthlyUnitStats.objects.filter(unit=november["portal_unit"]).exists()


def test_the_command_computes_a_given_month_and_refuses_a_bad_one(november):
    out = StringIO()
    call_command("compute_letter_stats", "--month", "2026-11", stdout=out)
    assert out.getvalue().strip() == "2026-11：已统计 3 个信箱单位。"
    assert MonthlyUnitStats.objects.filter(month=NOVEMBER).count() == 3
    with pytest.raises(CommandError, match="月份须写作 YYYY-MM"):
        call_command("compute_letter_stats", "--month", "2026-13")
