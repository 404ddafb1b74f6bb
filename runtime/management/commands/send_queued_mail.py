from django.core.management.base import BaseCommand

from runtime import mail


class Command(BaseCommand):
    help = "Queue due and retried mail deliveries; mark deliveries cut off mid-way as unknown."

    def handle(self, **options):
        queued, unknown = mail.send_due()
        self.stdout.write(f"已排队 {queued} 封待发邮件；{unknown} 封标记为结果未知。")
