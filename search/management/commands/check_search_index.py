from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchUnavailable
from search.backends import backend as get_backend
from search.indexing import current_documents, enqueue_document_ids, process_pending

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: report documents missing from the index, "
        "stale (changed since indexed) and extra (no longer public). Exits non-zero on drift; "
        "--repair queues and applies the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", action="append", choices=list(settings.SEARCH["BACKENDS"]))
        parser.add_argument("--repair", action="store_true", help="bring the index up to date")

    def handle(self, *args, backend=None, repair=False, verbosity=1, **options):
        expected = {document.id: document.fingerprint for document in current_documents()}
        drift = set()
        for name in backend or list(settings.SEARCH["BACKENDS"]):
            try:
                indexed = get_backend(name).fingerprints()
            except SearchUnavailable as error:
                raise CommandError(f"搜索引擎 {name} 不可用，无法检查：{error}") from None
            missing = sorted(expected.keys() - indexed.keys())
            extra = sorted(indexed.keys() - expected.keys())
            stale = sorted(k for k in expected.keys() & indexed.keys() if expected[k] != indexed[k])
            self.stdout.write(
                f"{name}：应有 {len(expected)} 篇，已索引 {len(indexed)} 篇；"
                f"缺失 {len(missing)}，过期 {len(stale)}，多余 {len(extra)}。"
            )
            for label, ids in (("缺失", missing), ("过期", stale), ("多余", extra)):
                shown = ids if verbosity > 1 else ids[:SHOWN]
                for document_id in shown:
                    self.stdout.write(f"  {label}：{document_id}")
                if len(ids) > len(shown):
                    self.stdout.write(f"  …… 另有 {len(ids) - len(shown)} 篇{label}")
            drift.update(missing, stale, extra)
        if not drift:
            self.stdout.write(self.style.SUCCESS("索引与数据库一致。"))
            return
        if not repair:
            raise CommandError(
                f"索引与数据库不一致：{len(drift)} 篇文档需要更新（可加 --repair）。"
            )
        enqueue_document_ids(drift)
        _, failed = process_pending()
        if failed:
            raise CommandError(f"{failed} 篇文档的索引仍未能更新，已保留待重试。")
        self.stdout.write(self.style.SUCCESS(f"已修复 {len(drift)} 篇文档的索引。"))
