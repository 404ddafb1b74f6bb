from django.core.management.base import BaseCommand

from interaction.sweep import sweep


class Command(BaseCommand):
    help = "Remind, escalate (督办), alert and close letters whose deadlines have come (the clock)."

    def handle(self, **options):
        counts = sweep()
        self.stdout.write(
            "期限提醒 {reminded} 项（{reminder_mails} 封邮件）；超期自动督办 {supervised} 封；"
            "超期未受理告知调度 {overdue_unaccepted} 封；长期未答复告警 {alerted} 封；"
            "未评价自动办结 {closed} 封。".format(**counts)
        )
