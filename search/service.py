"""The one entry point for searching: `search(SearchQuery)` → SearchResults, never an error page.

It expands synonyms, keeps archived sites out, asks the primary backend and, when that engine
is unreachable, the fallback backend; when neither can answer it returns an empty result
flagged `limited` so the page can say "search is temporarily limited". When every piece of
a query is required and nothing matches, it tries again accepting any piece (`relaxed`).
"""

import logging

from sites.archiving import archived_hosts

from . import health
from .backends import SearchUnavailable, fallback_backend, primary_backend
from .chinese import analyse
from .query import FacetValue, SearchResults
from .registry import facet_labels, navigation_kinds
from .synonyms import current_synonyms

logger = logging.getLogger(__name__)
# A query of two or more pieces as typed (营业执照, 社保 5G) may match on any of them when
# nothing matches all; synonyms do not count, so 社保 never turns into 社会 or 保险.
RELAX_FROM = 2


def search(query, backend=None):
    """Run `query` on `backend` (default: the configured primary, then the fallback)."""
    plan = analyse(query.text, current_synonyms())
    if query.text.strip() and not plan.terms:
        return SearchResults(query=query)  # only punctuation: nothing to look for
    archived = sorted(set(archived_hosts().values()))
    if archived:
        excluded = {*query.exclude.get("site_code", ()), *archived}
        query = query.but(exclude={**query.exclude, "site_code": tuple(sorted(excluded))})
    results = _answer(query, plan, backend)
    if not results.total and not query.relaxed and len(plan.relaxed_pieces) >= RELAX_FROM:
        relaxed = _relaxed(query.but(relaxed=True), plan, backend)
        results = relaxed if relaxed.total or relaxed.limited else results
    return _labelled(results)


def _relaxed(query, plan, backend):
    """Any word may match, so content items come first: pages that only lead elsewhere (site
    homes, columns) are answered only when no content item matches at all."""
    navigation = {*query.exclude.get("kind", ()), *navigation_kinds()}
    content = query.but(exclude={**query.exclude, "kind": tuple(sorted(navigation))})
    results = _answer(content, plan, backend)
    if results.total or results.limited:
        results.query = query
        return results
    return _answer(query, plan, backend)


def _answer(query, plan, backend):
    engines = [backend] if backend else [primary_backend(), fallback_backend()]
    for position, engine in enumerate(e for e in engines if e is not None):
        try:
            results = engine.search(query, plan)
        except SearchUnavailable as error:
            logger.warning("search backend %s unavailable: %s", engine.name, error)
            continue
        results.fallback = position > 0
        if results.fallback:
            health.record_degraded("fallback", engine.name)
        return results
    health.record_degraded("limited", "")
    return SearchResults(query=query, limited=True)


def _labelled(results):
    """Facet labels readers understand: site names come from the index, the rest from the
    adapters that produce them (kinds, validity …)."""
    for name, values in results.facets.items():
        if name == "site_code":
            continue
        labels = facet_labels(name)
        results.facets[name] = [
            FacetValue(v.value, v.count, str(labels.get(v.value, v.label))) for v in values
        ]
    return results
