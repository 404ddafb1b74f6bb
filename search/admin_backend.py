"""The editors' admin search on Elasticsearch (modelsearch's own backend), answering from the
database index while the cluster cannot.

Wagtail keeps every configured backend up to date, so settings name a second backend,
"database", that holds the same objects; when a search or count on Elasticsearch fails, the
same query (queryset, fields, order) runs there instead and the failure is recorded for the
search status page. Editors see slightly poorer Chinese matching during an outage, not an
error page.
"""

import logging

from elastic_transport import TransportError
from elasticsearch import ApiError
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchResults,
)

from . import health

logger = logging.getLogger(__name__)
FALLBACK = "database"
ENGINE_NAME = "wagtail-admin"


class FallbackSearchResults(Elasticsearch8SearchResults):
    def _from_database(self, error):
        logger.warning("admin search on Elasticsearch failed, using the database: %s", error)
        health.record_error(ENGINE_NAME, f"后台搜索改用数据库：{error}")
        database = get_search_backend(FALLBACK)
        compiler = self.query_compiler
        autocomplete = isinstance(compiler, Elasticsearch8AutocompleteQueryCompiler)
        compiler_class = (
            database.autocomplete_query_compiler_class
            if autocomplete
            else database.query_compiler_class
        )
        results = database._search(
            compiler_class,
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        return results[self.start : self.stop]

    def _do_search(self):
        try:
            return list(super()._do_search())  # a generator: the request happens in list()
        except (TransportError, ApiError) as error:
            return list(self._from_database(error))

    def _do_count(self):
        try:
            return super()._do_count()
        except (TransportError, ApiError) as error:
            return self._from_database(error).count()


class AdminSearchBackend(Elasticsearch8SearchBackend):
    results_class = FallbackSearchResults


SearchBackend = AdminSearchBackend
