from django.core.management.base import BaseCommand, CommandError

from runtime import audit


class Command(BaseCommand):
    help = "Delete audit log entries older than AUDIT_LOG_RETENTION_DAYS (at least 180 days)."

    def handle(self, **options):
        try:
            deleted = audit.prune()
        except audit.RetentionTooShort as error:
            raise CommandError(str(error)) from None
        total = sum(deleted.values())
        self.stdout.write(f"已删除 {total} 条超过 {audit.retention_days()} 天的审计日志。")
