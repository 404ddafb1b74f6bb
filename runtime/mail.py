"""Outgoing mail: Django's mail API writes to an outbox; the worker delivers over SMTP.

Every sender (Wagtail's workflow notices, password resets, later the mailbox's replies) uses
Django's `send_mail`. `QueuedEmailBackend` stores each message and queues its delivery after
commit, so a request never waits for, or fails on, the mail server. `deliver` claims a message
before it talks to the server: a message is sent at most once, and one whose delivery was cut
off mid-way is marked 结果未知 for a person to check, never sent again by itself.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_START = timedelta(minutes=1)
SENDING_CUT_OFF_AFTER = timedelta(minutes=10)


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        queued = 0
        for message in email_messages:
            queued += _store(message)
        return queued


def _store(message):
    if not message.recipients():
        return 0
    encoding = message.encoding or settings.DEFAULT_CHARSET
    try:
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        raw = message.message().as_bytes(linesep="\r\n")
    except ValueError as error:  # an address Django cannot encode: record it, never raise
        logger.warning("mail to %s refused before sending: %s", recipients, error)
        OutgoingMail.objects.create(
            subject=str(message.subject)[:998],
            sender=str(message.from_email),
            recipients=[str(address) for address in message.recipients()],
            message=b"",
            status=OutgoingMail.Status.FAILED,
            error=f"地址无效，未发送：{error}",
        )
        return 0
    mail = OutgoingMail.objects.create(
        subject=str(message.subject)[:998],
        sender=sender,
        recipients=recipients,
        message=raw,
    )
    transaction.on_commit(lambda: _enqueue(mail.pk), robust=True)
    return 1


def _enqueue(mail_id):
    from .tasks import deliver_mail

    try:
        deliver_mail.enqueue(mail_id)
    except Exception:  # the row stays queued; send_queued_mail picks it up
        logger.exception("could not queue delivery of mail %s", mail_id)


def deliver(mail_id):
    """Send one queued message. Returns its new status."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED).update(
        status=OutgoingMail.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
        error="",
    )
    if not claimed:
        return "skipped"  # sent, failed, or another delivery holds it
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        with get_connection(settings.MAIL_TRANSPORT_BACKEND, fail_silently=False) as transport:
            refused = transport.connection.sendmail(
                mail.sender, mail.recipients, bytes(mail.message)
            )
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        return _finish(mail, OutgoingMail.Status.FAILED, f"邮件服务器拒收：{_describe(error)}")
    except (smtplib.SMTPException, OSError) as error:
        return _retry_later(mail, _describe(error))
    note = f"部分收件人被拒收：{_describe_refused(refused)}" if refused else ""
    return _finish(mail, OutgoingMail.Status.SENT, note, sent_at=timezone.now())


def _finish(mail, status, error, **fields):
    if status == OutgoingMail.Status.FAILED:
        logger.warning("mail %s to %s not delivered: %s", mail.pk, mail.recipients, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(status=status, error=error, **fields)
    return status


def _retry_later(mail, reason):
    if mail.attempts >= MAX_ATTEMPTS:
        return _finish(
            mail, OutgoingMail.Status.FAILED, f"已尝试 {mail.attempts} 次仍无法发送：{reason}"
        )
    delay = RETRY_START * 2 ** (mail.attempts - 1)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.QUEUED,
        next_attempt_at=timezone.now() + delay,
        error=f"第 {mail.attempts} 次发送失败，稍后重试：{reason}",
    )
    return OutgoingMail.Status.QUEUED


def _describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _describe_refused(error.recipients)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or type(error).__name__


def _describe_refused(refused):
    return "；".join(
        f"{address}（{code} {_text(reason)}）" for address, (code, reason) in refused.items()
    )


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def send_due(now=None):
    """Queue every message whose delivery is due, and mark cut-off deliveries 结果未知.

    Run every minute by the clock: it catches a message whose enqueue was lost and the retries
    of messages the server turned away for a while. Returns (queued, marked unknown).
    """
    now = now or timezone.now()
    unknown = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING,
        claimed_at__lt=now - SENDING_CUT_OFF_AFTER,
    ).update(
        status=OutgoingMail.Status.UNKNOWN,
        error="发送过程中断，无法确认是否已送达；为免重复，未自动重发。",
    )
    due = list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
        .exclude(next_attempt_at__gt=now)
        .filter(created_at__lte=now - timedelta(seconds=30))
        .values_list("pk", flat=True)
    )
    for mail_id in due:
        _enqueue(mail_id)
    return len(due), unknown
