"""The workbench's queues as queries agree with the state machine: 我的待办 holds exactly the
letters on which `actions.available` offers the user a step that moves the letter on, and the
dispatcher's letters waiting for the publication review, for every state and every role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interaction.actions import available, roles_of
from interaction.models import Letter, LetterDeadline, Publication
from interaction.queues import awaiting_q, due_soon_q, overdue_q
from interaction.workflow import State
from tests.conftest import module_world
from tests.factories import UserFactory

from .world import build_mail_world, write

pytestmark = pytest.mark.django_db


def _build():
    world = build_mail_world()
    world["users"][("platform", "admin")] = UserFactory(
        username="platform_admin", is_superuser=True
    )
    places = [
        (world["portal_mailbox"], None),
        (world["portal_mailbox"], world["a_unit"]),
        (world["a_mailbox"], world["a_unit"]),
        (world["b_mailbox"], world["b_unit"]),
    ]
    letters = []
    for state in State:
        for mailbox, unit in places:
            letter = write(mailbox, phone=f"139{len(letters):08d}").letter
            publication = Publication.PENDING if len(letters) % 3 == 0 else "not_requested"
            Letter.objects.filter(pk=letter.pk).update(
                state=state, lead_unit=unit, publication=publication
            )
            letters.append(letter.pk)
    world["letters"] = letters
    return world


queue_world = module_world(_build)


def test_my_queue_is_what_available_offers_in_every_state_for_every_role(queue_world):
    letters = list(
        Letter.objects.filter(pk__in=queue_world["letters"]).select_related(
            "mailbox__unit", "lead_unit"
        )
    )
    assert {letter.state for letter in letters} == set(State)
    for key, user in queue_world["users"].items():
        expected = {
            letter.pk
            for letter in letters
            if any(t.target for t in available(letter, user))
            or (
                letter.publication == Publication.PENDING and "dispatcher" in roles_of(user, letter)
            )
        }
        queued = set(
            Letter.objects.filter(pk__in=queue_world["letters"])
            .filter(awaiting_q(user))
            .values_list("pk", flat=True)
        )
        assert queued == expected, key


def test_the_queue_is_not_empty_for_the_mail_roles(queue_world):
    """The agreement above is not vacuous: each mail role has letters waiting for it."""
    users = queue_world["users"]
    for key in [("portal", "dispatcher"), ("a", "handler"), ("a", "reviewer"), ("b", "handler")]:
        assert Letter.objects.filter(awaiting_q(users[key])).exists(), key
    assert not Letter.objects.filter(awaiting_q(users[("a", "site_admin")])).exists()


def test_due_soon_and_overdue(queue_world):
    now = timezone.now()
    soon, late, later = (Letter.objects.get(pk=pk) for pk in queue_world["letters"][:3])
    LetterDeadline.objects.filter(letter__in=[soon, late, later]).update(
        due_at=now + timedelta(days=30)
    )
    LetterDeadline.objects.filter(letter=soon, stage="reply").update(
        due_at=now + timedelta(hours=2)
    )
    LetterDeadline.objects.filter(letter=late, stage="respond").update(
        due_at=now - timedelta(hours=1)
    )
    ids = [soon.pk, late.pk, later.pk]
    assert set(Letter.objects.filter(due_soon_q(now), pk__in=ids)) == {soon}
    assert set(Letter.objects.filter(overdue_q(now), pk__in=ids)) == {late}
    LetterDeadline.objects.filter(letter=late).update(met_at=now)
    assert not Letter.objects.filter(overdue_q(now), pk__in=ids).exists()
