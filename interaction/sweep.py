"""The clock's pass over the letters (`manage.py sweep_letters`, every 5 minutes).

- a reminder to the responsible unit before a deadline (LETTER_REMIND_HOURS), one mail per
  unit listing its letters;
- an automatic 督办 once a deadline has passed (the dispatchers alone are told while the letter
  still waits for them to take it in, since 督办 starts only after 受理);
- one alert to platform admins for the letters unanswered LETTER_ALERT_DAYS after receipt;
- replies left unrated for LETTER_RATING_DAYS are closed.

Each step marks its rows (reminded_at, overdue_at, alerted_at, the state) in the transaction
that queues its mail, so a run never repeats what an earlier one did.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import notify
from .actions import SYSTEM, TransitionError, perform
from .bulk import update_by_ids
from .models import Letter, LetterDeadline
from .workflow import OPEN_STATES, State


def sweep(now=None):
    """One pass; returns the counts of what it did."""
    now = now or timezone.now()
    counts = {"closed": close_unrated(now)}
    counts["supervised"], counts["overdue_unaccepted"] = escalate(now)
    counts["reminded"], counts["reminder_mails"] = remind(now)
    counts["alerted"] = alert(now)
    return counts


def _running():
    return LetterDeadline.objects.filter(met_at=None, letter__state__in=OPEN_STATES)


def remind(now):
    """Returns (deadlines reminded of, mails queued)."""
    window = now + timedelta(hours=settings.LETTER_REMIND_HOURS)
    soon = list(
        _running()
        .filter(reminded_at=None, due_at__gt=now, due_at__lte=window)
        .select_related("letter__mailbox__unit", "letter__lead_unit")
        .order_by("due_at")
    )
    by_group = defaultdict(list)
    for deadline in soon:
        group_id = _responsible(deadline.letter)
        if group_id is not None:
            by_group[group_id].append(deadline)
    with transaction.atomic():
        update_by_ids(LetterDeadline, [deadline.pk for deadline in soon], reminded_at=now)
        for group_id, deadlines in by_group.items():
            notify.due_soon(group_id, deadlines, settings.LETTER_REMIND_HOURS)
    return len(soon), len(by_group)


def _responsible(letter):
    """The group that must act: the lead unit's 信件办理, or before 派单 the mailbox's 信件调度."""
    if letter.lead_unit is not None:
        return letter.lead_unit.handlers_id
    return letter.mailbox.unit.dispatchers_id if letter.mailbox.unit else None


def escalate(now):
    """Returns (letters supervised, letters still awaiting 受理 whose dispatchers were told)."""
    overdue = (
        _running()
        .filter(overdue_at=None, due_at__lte=now)
        .select_related("letter__mailbox__unit")
        .order_by("letter_id", "due_at")
    )
    by_letter = defaultdict(list)
    for deadline in overdue:
        by_letter[deadline.letter_id].append(deadline)
    supervised = told = 0
    for deadlines in by_letter.values():
        letter = deadlines[0].letter
        with transaction.atomic():
            # claimed like the clock's jobs: a deadline already marked is never 督办 again
            claimed = LetterDeadline.objects.filter(
                pk__in=[deadline.pk for deadline in deadlines], overdue_at=None
            ).update(overdue_at=now)
            if not claimed:
                continue
            missed = "；".join(
                f"{d.get_stage_display()}期限 {timezone.localtime(d.due_at):%Y-%m-%d %H:%M}"
                for d in deadlines
            )
            reason = f"超期自动督办：{missed}已过。"
            try:
                perform(letter, "supervise", actor=SYSTEM, reason=reason, now=now)
                supervised += 1
            except TransitionError:  # not yet 受理: the dispatchers' own deadline
                notify.dispatchers(letter, "超期未受理")
                told += 1
    return supervised, told


def alert(now):
    """Returns the number of letters in the alert (one mail for all of them)."""
    since = now - timedelta(days=settings.LETTER_ALERT_DAYS)
    letters = list(
        Letter.objects.open()
        .filter(alerted_at=None, received_at__lte=since)
        .select_related("mailbox")
        .order_by("received_at")
    )
    if letters:
        with transaction.atomic():
            update_by_ids(Letter, [letter.pk for letter in letters], alerted_at=now)
            notify.platform_alert(letters, settings.LETTER_ALERT_DAYS)
    return len(letters)


def close_unrated(now):
    """Returns the number of replies closed without a rating."""
    before = now - timedelta(days=settings.LETTER_RATING_DAYS)
    closed = 0
    for letter in Letter.objects.filter(state=State.REPLIED, replied_at__lte=before).only("pk"):
        try:
            perform(
                letter,
                "close",
                actor=SYSTEM,
                reason=f"答复后 {settings.LETTER_RATING_DAYS} 天未评价，自动办结。",
                now=now,
            )
        except TransitionError:  # rated or reopened meanwhile
            continue
        closed += 1
    return closed
