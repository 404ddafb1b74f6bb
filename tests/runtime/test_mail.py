"""Mail goes to the outbox and the worker delivers it to a real SMTP server on loopback."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from bench.load import free_port
from runtime import mail
from runtime.models import OutgoingMail
from sites.models import SiteRole
from tests.factories import add_article, column, provision, role_users
from tests.home.test_review_workflow import edit_form

from .smtp import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "runtime.mail.QueuedEmailBackend"
    with SMTPServer() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        yield server


def send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return django_mail.send_mail(
            kwargs.get("subject", "审核提醒"),
            kwargs.get("body", "您有一篇稿件待审核。"),
            kwargs.get("sender", "江州市政府网站 <noreply@jiangzhou.gov.cn>"),
            kwargs.get("to", ["reviewer@jiangzhou.gov.cn"]),
        )


def test_a_message_is_stored_then_delivered_over_smtp(smtp, django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks) == 1
    [received] = smtp.inbox.messages
    assert received.mail_from == "noreply@jiangzhou.gov.cn"
    assert received.rcpt_tos == ["reviewer@jiangzhou.gov.cn"]
    assert received.message["subject"] == "审核提醒"
    assert received.message.get_content().strip() == "您有一篇稿件待审核。"
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.SENT
    assert stored.sent_at is not None
    assert stored.attempts == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        django_mail.send_mail("s", "b", "noreply@jiangzhou.gov.cn", ["a@jiangzhou.gov.cn"])
    assert len(callbacks) == 1  # delivery waits for the commit
    assert smtp.inbox.messages == []


def test_a_message_is_delivered_once_however_often_it_is_queued(
    smtp, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)
    stored = OutgoingMail.objects.get()
    assert mail.deliver(stored.pk) == "skipped"
    call_command("send_queued_mail", stdout=StringIO())
    assert len(smtp.inbox.messages) == 1


def test_an_address_django_cannot_encode_is_recorded_never_raised(
    smtp, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks, to=["没有@符号\n的地址"]) == 0
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED
    assert stored.error.startswith("地址无效，未发送")
    assert smtp.inbox.messages == []


def test_a_recipient_the_server_refuses_is_recorded_against_the_message(
    smtp, django_capture_on_commit_callbacks
):
    smtp.inbox.refuse.add("gone@jiangzhou.gov.cn")
    send(django_capture_on_commit_callbacks, to=["gone@jiangzhou.gov.cn"])
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED
    assert "gone@jiangzhou.gov.cn（550 5.1.1 Mailbox does not exist）" in stored.error


def test_some_refused_recipients_are_noted_and_the_rest_receive_it(
    smtp, django_capture_on_commit_callbacks
):
    smtp.inbox.refuse.add("gone@jiangzhou.gov.cn")
    send(django_capture_on_commit_callbacks, to=["gone@jiangzhou.gov.cn", "ok@jiangzhou.gov.cn"])
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.SENT
    assert "部分收件人被拒收：gone@jiangzhou.gov.cn" in stored.error
    assert smtp.inbox.messages[0].rcpt_tos == ["ok@jiangzhou.gov.cn"]


def test_an_unreachable_server_is_retried_with_backoff_then_given_up(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "runtime.mail.QueuedEmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    send(django_capture_on_commit_callbacks)
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.QUEUED
    assert stored.error.startswith("第 1 次发送失败，稍后重试")
    first_delay = stored.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_delay <= timedelta(minutes=1)

    assert mail.send_due(now=timezone.now()) == (0, 0)  # not yet due
    for attempt in range(2, mail.MAX_ATTEMPTS + 1):
        mail.send_due(now=OutgoingMail.objects.get().next_attempt_at + timedelta(seconds=1))
        stored = OutgoingMail.objects.get()
        assert stored.attempts == attempt
    assert stored.status == OutgoingMail.Status.FAILED
    assert stored.error.startswith(f"已尝试 {mail.MAX_ATTEMPTS} 次仍无法发送")


def test_a_delivery_cut_off_mid_way_is_marked_unknown_and_not_resent(smtp):
    stored = OutgoingMail.objects.create(
        subject="s",
        sender="noreply@jiangzhou.gov.cn",
        recipients=["a@jiangzhou.gov.cn"],
        message=b"Subject: s\r\n\r\nbody\r\n",
        status=OutgoingMail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=11),
    )
    assert mail.send_due() == (0, 1)
    stored.refresh_from_db()
    assert stored.status == OutgoingMail.Status.UNKNOWN
    assert mail.deliver(stored.pk) == "skipped"
    assert smtp.inbox.messages == []


def test_wagtail_workflow_notices_go_through_the_outbox(
    client, smtp, django_capture_on_commit_callbacks
):
    profile = provision("east")
    users = role_users(profile)
    reviewer = users[SiteRole.FIRST_REVIEWER]
    reviewer.email = "first.reviewer@east.gov.cn"
    reviewer.save()
    draft = add_article(column(profile, "gzdt"), "待审稿件", live=False)
    client.force_login(users[SiteRole.EDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            edit_form(draft, **{"action-submit": "submit"}),
        )
    assert response.status_code == 302
    assert Page.objects.get(pk=draft.pk).current_workflow_task.name.startswith("科室初审")
    [received] = smtp.inbox.messages
    assert received.rcpt_tos == ["first.reviewer@east.gov.cn"]
    assert "待审稿件" in received.message["subject"]
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
