"""The clock's pass over the letters (interaction.sweep) and the recomputation of deadlines when
the working-day calendar changes."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from interaction.actions import perform
from interaction.models import LetterDeadline, Rating
from interaction.sweep import sweep
from interaction.workflow import State
from runtime.models import CalendarDay
from tests.conftest import module_world
from tests.factories import SHANGHAI, UserFactory

from . import workbench_urls
from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def in_progress(world, written="2026-11-02 10:00", category="consultation"):
    """A portal letter dispatched to department a and taken in (签收) the same morning; its
    reply is due at the end of the third working day (2026-11-05 from a Monday)."""
    users, written = world["users"], at(written) if isinstance(written, str) else written
    letter = write(world["portal_mailbox"], category=category, now=written).letter
    perform(
        letter,
        "dispatch",
        user=users[("portal", "dispatcher")],
        unit=world["a_unit"],
        now=written + timedelta(minutes=30),
    )
    perform(letter, "accept", user=users[("a", "handler")], now=written + timedelta(minutes=45))
    return letter


def run(now, capture):
    mail.outbox.clear()
    with capture(execute=True):
        return sweep(now=at(now))


def test_a_unit_is_reminded_once_before_a_deadline_in_one_mail(
    mail_world, django_capture_on_commit_callbacks
):
    first, second = in_progress(mail_world), in_progress(mail_world)
    counts = run("2026-11-05 01:00", django_capture_on_commit_callbacks)
    assert counts["reminded"] == 2 and counts["reminder_mails"] == 1
    [message] = mail.outbox
    assert message.to == ["aaa_handler@example.gov.cn"]
    assert message.subject == "【期限提醒】2 项信件办理期限即将到期"
    assert first.query_code in message.body and second.query_code in message.body
    assert "办结答复期限 2026-11-06 00:00" in message.body  # local time, the end of 11-05
    assert LetterDeadline.objects.filter(letter=first, stage="reply").get().reminded_at

    counts = run("2026-11-05 02:00", django_capture_on_commit_callbacks)
    assert counts["reminded"] == 0 and mail.outbox == []


def test_an_overdue_letter_is_supervised_once_and_everyone_told(
    mail_world, django_capture_on_commit_callbacks
):
    site_admin = mail_world["users"][("a", "site_admin")]
    site_admin.email = "aaa_admin@example.gov.cn"
    site_admin.save()
    letter = in_progress(mail_world)

    counts = run("2026-11-06 01:00", django_capture_on_commit_callbacks)
    assert counts["supervised"] == 1
    event = letter.events.get(transition="supervise")
    assert event.actor_label == "系统" and event.actor is None
    assert event.reason == "超期自动督办：办结答复期限 2026-11-06 00:00已过。"
    letter.refresh_from_db()
    assert letter.supervised and letter.state == State.IN_PROGRESS
    [message] = [m for m in mail.outbox if m.subject.startswith("【督办】")]
    assert set(message.to) == {
        "www_dispatcher@example.gov.cn",
        "aaa_handler@example.gov.cn",
        "aaa_admin@example.gov.cn",
    }
    assert LetterDeadline.objects.get(letter=letter, stage="reply").overdue_at == at(
        "2026-11-06 01:00"
    )

    counts = run("2026-11-06 01:05", django_capture_on_commit_callbacks)
    assert counts["supervised"] == 0 and mail.outbox == []
    assert letter.events.filter(transition="supervise").count() == 1


def test_a_letter_not_yet_taken_in_tells_the_dispatchers_instead(
    mail_world, django_capture_on_commit_callbacks
):
    letter = write(mail_world["portal_mailbox"], now=at("2026-11-02 10:00")).letter
    counts = run("2026-11-02 11:30", django_capture_on_commit_callbacks)  # respond due 11:00
    assert counts["overdue_unaccepted"] == 1 and counts["supervised"] == 0
    [message] = mail.outbox
    assert message.subject.startswith("【信件超期未受理】")
    assert message.to == ["www_dispatcher@example.gov.cn"]
    assert not letter.events.filter(transition="supervise").exists()

    assert run("2026-11-02 11:35", django_capture_on_commit_callbacks)["overdue_unaccepted"] == 0
    assert mail.outbox == []


def test_platform_admins_are_alerted_once_after_sixty_days(
    mail_world, django_capture_on_commit_callbacks
):
    UserFactory(username="platform", email="platform@example.gov.cn", is_superuser=True)
    old = in_progress(mail_world, written="2026-09-01 10:00")
    in_progress(mail_world, written="2026-09-30 10:00")  # 33 days: not yet

    counts = run("2026-11-02 10:00", django_capture_on_commit_callbacks)
    assert counts["alerted"] == 1
    [alert] = [m for m in mail.outbox if m.subject.startswith("【告警】")]
    assert alert.to == ["platform@example.gov.cn"]
    assert alert.subject == "【告警】1 封信件超过 60 天未答复"
    assert old.query_code in alert.body
    old.refresh_from_db()
    assert old.alerted_at == at("2026-11-02 10:00")

    assert run("2026-11-02 10:05", django_capture_on_commit_callbacks)["alerted"] == 0
    assert not [m for m in mail.outbox if m.subject.startswith("【告警】")]


def test_a_reply_left_unrated_is_closed_and_a_rated_one_is_not(
    mail_world, django_capture_on_commit_callbacks
):
    users = mail_world["users"]
    unrated, rated = in_progress(mail_world), in_progress(mail_world)
    for letter in (unrated, rated):
        perform(
            letter,
            "submit_reply",
            user=users[("a", "handler")],
            reply="已处理。",
            now=at("2026-11-03 09:00"),
        )
        perform(letter, "approve_reply", user=users[("a", "reviewer")], now=at("2026-11-03 10:00"))
    perform(rated, "reopen", actor="writer", rating=Rating.UNSATISFIED, now=at("2026-11-04 10:00"))

    assert run("2026-11-10 09:00", django_capture_on_commit_callbacks)["closed"] == 0  # 7 days
    counts = run("2026-11-10 10:00", django_capture_on_commit_callbacks)
    assert counts["closed"] == 1
    unrated.refresh_from_db()
    rated.refresh_from_db()
    assert unrated.state == State.CLOSED and unrated.rating is None
    assert unrated.events.last().label == "办结" and unrated.events.last().actor_label == "系统"
    assert rated.state == State.IN_PROGRESS
    assert run("2026-11-10 10:05", django_capture_on_commit_callbacks)["closed"] == 0


def test_the_command_prints_what_it_did(mail_world):
    in_progress(mail_world, written=timezone.now() - timedelta(days=90))
    output = call_command_output("sweep_letters")
    assert "超期自动督办 1 封" in output and "长期未答复告警 1 封" in output
    assert "超期自动督办 0 封" in call_command_output("sweep_letters")


def call_command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_calendar_change_moves_running_deadlines_and_flags_the_letters(
    mail_world, django_capture_on_commit_callbacks
):
    letter = in_progress(mail_world)
    reply = LetterDeadline.objects.get(letter=letter, stage="reply")
    assert reply.due_at == at("2026-11-06 00:00")
    answered = in_progress(mail_world)
    users = mail_world["users"]
    perform(
        answered,
        "submit_reply",
        user=users[("a", "handler")],
        reply="已处理。",
        now=at("2026-11-03 09:00"),
    )
    perform(answered, "approve_reply", user=users[("a", "reviewer")], now=at("2026-11-03 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        day = CalendarDay.objects.create(date=date(2026, 11, 4), kind="day_off", name="测试")
    reply.refresh_from_db()
    assert reply.due_at == at("2026-11-07 00:00")  # one working day later
    letter.refresh_from_db()
    assert letter.calendar_changed
    [event] = letter.events.filter(transition="recompute")
    assert (event.label, event.actor_label) == ("期限重算", "系统")
    assert (event.due_before, event.due_after) == (at("2026-11-06 00:00"), at("2026-11-07 00:00"))
    assert event.from_state == event.to_state == State.IN_PROGRESS
    answered.refresh_from_db()
    assert not answered.calendar_changed  # met deadlines stay as they were

    with django_capture_on_commit_callbacks(execute=True):
        day.delete()
    reply.refresh_from_db()
    assert reply.due_at == at("2026-11-06 00:00")
    assert letter.events.filter(transition="recompute").count() == 2


@pytest.fixture(autouse=True)
def _workbench_route(settings):
    """Mails link to the workbench's `letters:detail`; stand in for it until it is merged."""
    if workbench_urls.needed():
        settings.ROOT_URLCONF = "tests.interaction.workbench_urls"
