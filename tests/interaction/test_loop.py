"""The closed loop of a letter, carried out through interaction.actions."""

from datetime import datetime

import pytest
from django.core import mail

from interaction.actions import TransitionError, available, perform
from interaction.models import Letter, LetterDeadline, Publication, Rating
from interaction.workflow import TRANSITIONS, State
from tests.conftest import module_world
from tests.factories import SHANGHAI

from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_a_portal_letter_travels_to_a_department_and_back(mail_world):
    users = mail_world["users"]
    receipt = write(mail_world["portal_mailbox"], now=at("2026-09-30 10:00"))
    letter = receipt.letter
    assert len(receipt.query_code) == 10 and len(receipt.password) == 8
    perform(
        letter,
        "dispatch",
        user=users[("portal", "dispatcher")],
        unit=mail_world["a_unit"],
        now=at("2026-09-30 11:00"),
    )
    perform(letter, "accept", user=users[("a", "handler")], now=at("2026-09-30 14:00"))
    perform(
        letter,
        "submit_reply",
        user=users[("a", "handler")],
        reply="已安排疏通排水管道。",
        now=at("2026-10-09 09:00"),
    )
    perform(letter, "approve_reply", user=users[("a", "reviewer")], now=at("2026-10-09 10:00"))
    perform(letter, "publish", user=users[("portal", "dispatcher")], now=at("2026-10-09 11:00"))
    perform(letter, "rate", actor="writer", rating=Rating.SATISFIED, now=at("2026-10-10 09:00"))
    letter.refresh_from_db()
    assert letter.state == State.CLOSED
    assert letter.publication == Publication.PUBLISHED
    assert "13912345678" not in letter.public_content and "张三丰" not in letter.public_content
    assert "【手机号码】" in letter.public_content and "【姓名】" in letter.public_content
    steps = list(letter.events.values_list("label", flat=True))
    assert steps == ["来信", "派单", "签收", "提交答复", "审核通过", "公开", "评价"]
    reply = LetterDeadline.objects.get(letter=letter, stage="reply")
    # complaint: 13 working days from 09-30 (the 10-01..07 holiday, 10-10 a make-up Saturday)
    assert reply.due_at == at("2026-10-24 00:00")  # the end of 10-23
    assert reply.met_at == at("2026-10-09 10:00")


def test_an_illegal_step_is_refused_and_changes_nothing(mail_world):
    users = mail_world["users"]
    letter = write(mail_world["portal_mailbox"]).letter
    with pytest.raises(TransitionError, match="不能签收"):
        perform(letter, "accept", user=users[("a", "handler")])
    with pytest.raises(TransitionError, match="没有派单"):
        perform(letter, "dispatch", user=users[("a", "dispatcher")], unit=mail_world["b_unit"])
    letter.refresh_from_db()
    assert letter.state == State.RECEIVED
    assert letter.events.count() == 1


def test_every_transition_has_an_effect_method():
    from interaction.actions import _Step

    assert all(callable(getattr(_Step, name, None)) for name in TRANSITIONS)


def test_buttons_follow_the_state_machine(mail_world):
    users = mail_world["users"]
    letter = write(mail_world["portal_mailbox"]).letter
    names = {t.name for t in available(letter, users[("portal", "dispatcher")])}
    assert names == {"reply_directly", "dispatch", "merge", "not_accept"}
    assert available(letter, users[("a", "handler")]) == []
