import email
import email.policy
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand


class PrintingHandler:
    """Every message the platform sends in the demo: printed, and kept as .eml under var/mail."""

    def __init__(self, stdout, folder):
        self.stdout = stdout
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        path = self.folder / f"{self.count:05d}.eml"
        path.write_bytes(envelope.content)
        self.stdout.write(
            f"\n—— 邮件 #{self.count} ——\n发件人：{envelope.mail_from}\n"
            f"收件人：{', '.join(envelope.rcpt_tos)}\n主题：{message['subject']}\n\n"
            f"{body.get_content().strip() if body else ''}\n（原文：{path}）\n"
        )
        return "250 Message accepted"


class Command(BaseCommand):
    help = "A local SMTP server for the demo: prints each message and keeps it under var/mail."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT)

    def handle(self, *, host, port, **options):
        folder = Path(settings.BASE_DIR) / "var" / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        controller = Controller(PrintingHandler(self.stdout, folder), hostname=host, port=port)
        controller.start()
        self.stdout.write(f"邮件捕获器在 {host}:{port} 接收邮件，原文保存在 {folder}。")
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *args: stopped.set())
        signal.signal(signal.SIGINT, lambda *args: stopped.set())
        while not stopped.wait(1):
            pass
        controller.stop()
