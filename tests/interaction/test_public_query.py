"""The writer's 查询: one message for any wrong credential, the public timeline, deadlines and
reply, and the rating carried by a signed token (never the password) that closes or reopens."""

import re

import pytest
from django.test import Client

from interaction.actions import perform
from interaction.models import Letter
from interaction.workflow import State
from tests.conftest import module_world

from .public import get, post
from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db

WRONG = "查询码或查询密码不正确，请核对后重新输入。"


def text(response):
    return response.content.decode()


def query(client, mailbox, code, password):
    return post(client, mailbox, "query", {"query_code": code, "password": password})


def token_of(page):
    return re.search(r'name="token" value="([^"]+)"', page)[1]


def replied(world, key="portal"):
    receipt = write(world[f"{key}_mailbox"])
    users = world["users"]
    perform(receipt.letter, "reply_directly", user=users[(key, "dispatcher")], reply="已疏通。")
    perform(receipt.letter, "approve_reply", user=users[(key, "reviewer")])
    return receipt


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def csrf(client, mailbox):
    page = text(get(client, mailbox, "query"))
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_every_wrong_credential_gets_the_same_message(mail_world):
    mailbox = mail_world["portal_mailbox"]
    receipt = write(mailbox)
    other = write(mail_world["a_mailbox"], phone="13800000000")
    attempts = [
        ("0000000000", receipt.password),
        (receipt.query_code, "WRONGPWD"),
        (other.query_code, other.password),  # another mailbox's letter
        ("", ""),
    ]
    for code, password in attempts[:3]:
        page = text(query(Client(), mailbox, code, password))
        assert WRONG in page
        assert receipt.letter.subject not in page.split("<h1>", 1)[1]
    empty = text(query(Client(), mailbox, *attempts[3]))
    assert "请填写查询码。" in empty and "请填写查询密码。" in empty


def test_the_query_form_posts_so_the_password_never_is_in_an_address(mail_world):
    response = get(Client(), mail_world["portal_mailbox"], "query")
    page = text(response)
    assert '<form class="form" method="post" novalidate>' in page
    assert 'type="password" name="password"' in page
    assert "private" in response["Cache-Control"]


def test_the_writer_sees_the_public_timeline_and_the_deadlines(mail_world):
    mailbox = mail_world["portal_mailbox"]
    receipt = write(mailbox)
    perform(
        receipt.letter,
        "dispatch",
        user=mail_world["users"][("portal", "dispatcher")],
        unit=mail_world["a_unit"],
    )
    response = query(Client(), mailbox, f" {receipt.query_code} ", receipt.password.lower())
    page = text(response)
    assert "private" in response["Cache-Control"]
    assert receipt.letter.subject in page
    assert 'data-letter-state="dispatched">待签收' in page
    assert "<strong>来信</strong>" in page and "<strong>派单</strong>" in page
    assert f"承办单位：{mail_world['a_unit'].name}" in page
    for stage in ("签收响应", "办结答复", "向来信人反馈"):
        assert f'<th scope="row">{stage}</th>' in page
    assert "评价答复" not in page and "答复单位" not in page
    assert receipt.password not in page


def test_a_satisfied_rating_closes_the_letter(mail_world, browser):
    mailbox = mail_world["portal_mailbox"]
    receipt = replied(mail_world)
    token = csrf(browser, mailbox)
    page = text(
        post(
            browser,
            mailbox,
            "query",
            {
                "query_code": receipt.query_code,
                "password": receipt.password,
                "csrfmiddlewaretoken": token,
            },
        )
    )
    assert '<h2 id="reply-heading">答复</h2>' in page and "已疏通。" in page
    assert "<strong>审核通过</strong>" in page and "直接答复" not in page  # internal step
    assert "<legend>您对答复是否满意</legend>" in page
    assert receipt.password not in page  # the rating form carries a signed token instead
    rated = post(
        browser,
        mailbox,
        "query",
        {
            "token": token_of(page),
            "rating": "4",
            "comment": "处理及时",
            "csrfmiddlewaretoken": token,
        },
    )
    letter = Letter.objects.get(pk=receipt.letter.pk)
    assert (letter.state, letter.rating, letter.rating_comment) == (State.CLOSED, 4, "处理及时")
    assert letter.events.get(transition="rate").public
    after = text(rated)
    assert "感谢您的评价，本件已办结。" in after
    assert "<dt>您的评价</dt><dd>满意</dd>" in after
    assert "评价答复" not in after


def test_an_unsatisfied_rating_reopens_the_letter(mail_world):
    mailbox = mail_world["portal_mailbox"]
    receipt = replied(mail_world)
    page = text(query(Client(), mailbox, receipt.query_code, receipt.password))
    rated = post(Client(), mailbox, "query", {"token": token_of(page), "rating": "2"})
    letter = Letter.objects.get(pk=receipt.letter.pk)
    assert (letter.state, letter.reopen_count) == (State.IN_PROGRESS, 1)
    assert "本件已退回承办单位重新办理" in text(rated)


def test_a_rating_without_a_choice_is_named_and_changes_nothing(mail_world):
    mailbox = mail_world["portal_mailbox"]
    receipt = replied(mail_world)
    page = text(query(Client(), mailbox, receipt.query_code, receipt.password))
    again = text(post(Client(), mailbox, "query", {"token": token_of(page), "rating": "9"}))
    assert '<a href="#id_rating_0">请选择满意程度。</a>' in again
    assert Letter.objects.get(pk=receipt.letter.pk).state == State.REPLIED


def test_a_refused_transition_shows_its_message(mail_world):
    mailbox = mail_world["portal_mailbox"]
    receipt = replied(mail_world)
    page = text(query(Client(), mailbox, receipt.query_code, receipt.password))
    perform(receipt.letter, "close", actor="system", reason="评价期满")
    after = text(post(Client(), mailbox, "query", {"token": token_of(page), "rating": "5"}))
    assert "信件当前为“已办结”，不能评价。" in after
    assert Letter.objects.get(pk=receipt.letter.pk).rating is None


def test_a_forged_expired_or_foreign_token_asks_for_the_credentials_again(mail_world, settings):
    mailbox = mail_world["portal_mailbox"]
    receipt = replied(mail_world)
    page = text(query(Client(), mailbox, receipt.query_code, receipt.password))
    token = token_of(page)
    expired = "查询已超时，请重新输入查询码和查询密码。"
    assert expired in text(post(Client(), mailbox, "query", {"token": "forged", "rating": "5"}))
    foreign = post(Client(), mail_world["a_mailbox"], "query", {"token": token, "rating": "5"})
    assert expired in text(foreign)
    settings.LETTER_QUERY_TOKEN_SECONDS = -1  # every token is older than that
    assert expired in text(post(Client(), mailbox, "query", {"token": token, "rating": "5"}))
    assert Letter.objects.get(pk=receipt.letter.pk).state == State.REPLIED
