from django.core.management.base import BaseCommand, CommandError

from search.indexing import process_pending


class Command(BaseCommand):
    help = (
        "Apply the queued search index updates, including those that failed before (run it "
        "every minute from cron or the worker). Exits non-zero while some still fail."
    )

    def handle(self, *args, **options):
        applied, failed = process_pending()
        self.stdout.write(f"已更新 {applied} 篇文档的索引。")
        if failed:
            raise CommandError(f"{failed} 篇文档的索引更新失败，已保留待下次重试（原因见后台）。")
