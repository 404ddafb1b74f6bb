"""The workbench's queues as queries: 我的待办 (a letter the user can move on now — a step of
`actions.available(letter, user)` that changes its state — or, for a dispatcher, one waiting for
the publication review), 即将到期, 已超期, 督办中 and 疑似重复. 督办, 公开 and 进展反馈 leave the
state as it is: were they counted, a dispatcher's queue would hold every letter it ever had.

我的待办 is derived from `workflow.TRANSITIONS` and the user's groups the way `actions.roles_of`
derives roles: the states a role may act in, joined with the units in which the user holds that
role. A new transition or role in the table changes the queue with it."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import HandlingUnit, LetterDeadline, MailboxPage, Publication, Stage
from .workflow import TRANSITIONS

STAFF_ROLES = ("dispatcher", "handler", "reviewer")  # the roles of actions.roles_of


def states_for(role):
    """The states a transition of `role` moves a letter on from."""
    return {
        state
        for t in TRANSITIONS.values()
        if role in t.roles and t.target is not None
        for state in t.sources
    }


def awaiting_q(user):
    """Letters on which `user` may take a step now (我的待办)."""
    if user.is_superuser:
        return Q(state__in=set().union(*(states_for(role) for role in STAFF_ROLES))) | Q(
            publication=Publication.PENDING
        )
    mailboxes = MailboxPage.objects.filter(
        unit__in=HandlingUnit.objects.of_user(user, "dispatcher")
    )
    own = list(mailboxes.values_list("pk", flat=True))
    waiting = Q(mailbox__in=own, state__in=states_for("dispatcher")) | Q(
        mailbox__in=own, publication=Publication.PENDING
    )
    for role in ("handler", "reviewer"):
        units = HandlingUnit.objects.of_user(user, role).values_list("pk", flat=True)
        waiting |= Q(lead_unit__in=list(units), state__in=states_for(role))
    return waiting


def _unmet(**filters):
    """Letters with an unmet deadline matching `filters`."""
    deadlines = LetterDeadline.objects.filter(letter=OuterRef("pk"), met_at=None, **filters)
    return Q(Exists(deadlines))


def due_soon_q(now=None):
    """The reply is due within LETTER_REMIND_HOURS and not yet given (即将到期)."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.LETTER_REMIND_HOURS)
    return _unmet(stage=Stage.REPLY, due_at__gte=now, due_at__lt=soon)


def overdue_q(now=None):
    """A deadline of any stage has passed unmet (已超期)."""
    return _unmet(due_at__lt=now or timezone.now())


QUEUES = {
    "mine": ("我的待办", lambda user: awaiting_q(user)),
    "due_soon": ("即将到期", lambda user: due_soon_q()),
    "overdue": ("已超期", lambda user: overdue_q()),
    "supervised": ("督办中", lambda user: Q(supervised=True)),
    "duplicates": ("疑似重复", lambda user: Q(duplicate_of__isnull=False)),
}
"""Tab name → (label, the filter for a user)."""
