from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search index for every site: documents, backends, indexing, synonyms."""

    name = "search"
    verbose_name = "站群搜索"

    def ready(self):
        from . import signals  # noqa: F401
        from .registry import autodiscover

        autodiscover()
