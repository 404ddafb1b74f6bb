from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.backends import SearchUnavailable
from search.backends import backend as get_backend
from search.indexing import current_documents, indexable_count


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database, with a progress bar. Each backend builds "
        "a new index and swaps it in atomically; searches see the old one until then."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            choices=list(settings.SEARCH["BACKENDS"]),
            help="only this backend (repeatable); default: every configured backend",
        )

    def handle(self, *args, backend=None, verbosity=1, **options):
        names = backend or list(settings.SEARCH["BACKENDS"])
        total = indexable_count()
        for name in names:
            engine = get_backend(name)
            with tqdm(total=total, unit="篇", desc=name, disable=verbosity == 0) as bar:
                try:
                    count = engine.rebuild(_counted(current_documents(), bar))
                except SearchUnavailable as error:
                    raise CommandError(f"搜索引擎 {name} 不可用，索引未重建：{error}") from None
            self.stdout.write(self.style.SUCCESS(f"{name}：索引已重建，共 {count} 篇文档。"))


def _counted(documents, bar):
    for document in documents:
        bar.update()
        yield document
