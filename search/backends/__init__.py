"""Search backends behind one interface, configured in settings.SEARCH.

    SEARCH = {
        "BACKENDS": {"embedded": {"ENGINE": "search.backends.embedded.EmbeddedBackend", …}},
        "PRIMARY": "embedded",   # answers searches
        "FALLBACK": None,        # answers when the primary is unavailable (or None)
    }

Every configured backend receives every index update, so a fallback is as current as the
primary. Backends are built once per process and rebuilt when the setting changes (tests).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..highlight import highlight_title, snippet
from ..query import Hit

_instances = {}


class SearchUnavailable(Exception):
    """The engine cannot be reached or cannot answer now; callers fall back or retry later."""


class IndexingError(Exception):
    """Some documents were refused; `failed` maps their ids to the engine's reason."""

    def __init__(self, failed):
        super().__init__(f"{len(failed)} documents were refused")
        self.failed = failed


class SearchBackend:
    """What every engine implements; the conformance suite (tests/search) holds them to it."""

    def __init__(self, name, params):
        self.name = name
        self.params = params

    def upsert(self, documents):
        """Add or replace documents (by id)."""
        raise NotImplementedError

    def delete(self, document_ids):
        """Remove documents; unknown ids are ignored."""
        raise NotImplementedError

    def search(self, query, plan):
        """A SearchResults page for `query`, matching `plan` (search.chinese.QueryPlan)."""
        raise NotImplementedError

    def rebuild(self, documents):
        """Index `documents` afresh and swap them in atomically; searches meanwhile see the old
        index. Returns the number indexed."""
        raise NotImplementedError

    def fingerprints(self):
        """{document id: fingerprint} of everything indexed (check_search_index)."""
        raise NotImplementedError

    def size_bytes(self):
        raise NotImplementedError

    def status(self):
        """What the engine says about itself now: {"engine", "location", "documents" (None when
        it cannot say), "error", …} for the search status page."""
        raise NotImplementedError


def build_hit(document, plan, score, cut_before=False, cut_after=False):
    """A result with the title and a snippet of the body highlighted for `plan`. An engine
    that returns only a passage of the body says whether text was cut before or after it."""
    needles = plan.highlight_needles
    return Hit(
        document=document,
        title_html=highlight_title(document.title, needles),
        snippet_html=snippet(document.body, needles, cut_before=cut_before, cut_after=cut_after),
        score=score,
    )


def backend(name):
    if name not in _instances:
        params = settings.SEARCH["BACKENDS"][name]
        _instances[name] = import_string(params["ENGINE"])(name, params)
    return _instances[name]


def all_backends():
    return [backend(name) for name in settings.SEARCH["BACKENDS"]]


def primary_backend():
    return backend(settings.SEARCH["PRIMARY"])


def fallback_backend():
    name = settings.SEARCH.get("FALLBACK")
    return backend(name) if name else None


def _forget_backends(setting, **kwargs):
    if setting == "SEARCH":
        for instance in _instances.values():
            close = getattr(instance, "close", None)
            if close:
                close()
        _instances.clear()


setting_changed.connect(_forget_backends)
