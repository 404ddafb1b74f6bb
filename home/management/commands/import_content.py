from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from home.importing import TargetError, count_lines, import_file


class Command(BaseCommand):
    help = (
        "Import legacy articles, policy documents and interpretations from a JSON Lines file "
        "into one site (format: docs/content-import.md). Good lines are imported even when "
        "others fail; the command then exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file; attachment paths are relative to it")
        parser.add_argument("--site", required=True, help="code of the site to import into")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every line, write nothing"
        )

    def handle(self, *args, file, site, dry_run, verbosity, **options):
        try:
            total = count_lines(file)
        except OSError as error:
            raise CommandError(f"无法读取导入文件「{file}」：{error.strerror or error}") from None
        try:
            with tqdm(total=total, unit="行", disable=verbosity == 0) as bar:
                report = import_file(file, site, dry_run=dry_run, progress=bar.update)
        except TargetError as error:
            raise CommandError(str(error)) from None

        for number, reason in report.failures:
            self.stderr.write(f"第 {number} 行：{reason}")
        if verbosity:
            for number, warning in report.warnings:
                self.stdout.write(f"第 {number} 行（提示）：{warning}")
            self.stdout.write(self._summary(report))
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} 行有错误（见上），整个文件未写入任何数据。"
                if dry_run
                else f"{len(report.failures)} 行未能导入（原因见上），其余各行已导入。"
            )

    def _summary(self, report):
        failed = len(report.failures)
        if report.dry_run:
            text = (
                f"试运行完成，未写入任何数据：可新导入 {report.created} 条，"
                f"可更新 {report.updated} 条，有错误 {failed} 行。"
            )
        else:
            text = (
                f"导入完成：新导入 {report.created} 条，更新 {report.updated} 条，"
                f"失败 {failed} 行。"
            )
        return self.style.WARNING(text) if failed else self.style.SUCCESS(text)
