"""Deadlines on the working-day calendar: the rules' vectors, office hours, calendar days that
end on a day off, policies as data, and provisioning's mailbox part."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group

from interaction.deadlines import due_at, policy_for
from interaction.models import DeadlinePolicy, HandlingUnit, MailboxPage, Measure
from sites.provisioning import provision_site
from tests.factories import SHANGHAI, provision, site_spec

pytestmark = pytest.mark.django_db


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "start, days, last_day",
    [
        ("2026-09-21", 20, "2026-10-26"),
        ("2026-09-24", 5, "2026-10-09"),
        ("2026-09-30", 5, "2026-10-13"),
        ("2026-02-10", 7, "2026-02-26"),
        ("2026-12-01", 20, "2026-12-29"),
    ],
)
def test_working_days_end_at_midnight_of_the_rules_vectors(start, days, last_day):
    due = due_at(at(f"{start} 15:30"), days, Measure.WORKING_DAYS)
    assert due == at(f"{last_day} 00:00") + timedelta(days=1)


@pytest.mark.parametrize(
    "start, hours, due",
    [
        ("2026-12-02 10:00", 1, "2026-12-02 11:00"),  # a Wednesday morning
        ("2026-12-02 16:30", 1, "2026-12-03 09:30"),  # carried over the night
        ("2026-12-04 20:00", 1, "2026-12-07 10:00"),  # Friday evening → Monday
        ("2026-09-30 16:00", 2, "2026-10-08 10:00"),  # over the 国庆 holiday
        ("2026-10-09 16:30", 1, "2026-10-10 09:30"),  # 10-10 is a make-up Saturday
    ],
)
def test_working_hours_count_office_hours_of_working_days(start, hours, due):
    assert due_at(at(start), hours, Measure.WORKING_HOURS) == at(due)


def test_calendar_days_ending_on_a_day_off_move_to_the_next_working_day():
    # 7 days after 2026-09-28 is 10-05, inside the holiday: the period ends with 10-08.
    assert due_at(at("2026-09-28 09:00"), 7, Measure.CALENDAR_DAYS) == at("2026-10-09 00:00")
    assert due_at(at("2026-12-01 09:00"), 7, Measure.CALENDAR_DAYS) == at("2026-12-09 00:00")


def test_policies_are_data_with_the_settings_as_defaults():
    assert policy_for("complaint", "district", "reply") == (13, "working_days")
    assert policy_for("consultation", "district", "reply") == (3, "working_days")
    DeadlinePolicy.objects.create(
        category="consultation", level="", stage="reply", amount=5, measure="working_days"
    )
    DeadlinePolicy.objects.create(
        category="consultation", level="district", stage="reply", amount=2, measure="working_days"
    )
    assert policy_for("consultation", "department", "reply") == (5, "working_days")
    assert policy_for("consultation", "district", "reply") == (2, "working_days")


def test_provisioning_adds_the_mailbox_and_its_unit_and_re_provisioning_restores_them():
    profile = provision("zzz")
    unit = HandlingUnit.objects.get(site=profile, parent=None)
    mailbox = MailboxPage.objects.descendant_of(profile.home_page).get()
    assert (mailbox.title, mailbox.unit) == ("领导信箱", unit)
    assert [unit.handlers.name, unit.reviewers.name, unit.dispatchers.name] == [
        "zzz:信件办理",
        "zzz:信件审核",
        "zzz:信件调度",
    ]
    mailbox.unit = None
    mailbox.save()
    report = provision_site(site_spec("zzz"))
    assert report.added == ["信箱 领导信箱 的调度单位"]
    assert MailboxPage.objects.get(pk=mailbox.pk).unit == unit
    assert provision_site(site_spec("zzz")).added == []


def test_a_topic_site_has_a_unit_but_no_mailbox_or_dispatchers():
    profile = provision("ztt", "topic")
    unit = HandlingUnit.objects.get(site=profile)
    assert unit.dispatchers is None
    assert not Group.objects.filter(name="ztt:信件调度").exists()
