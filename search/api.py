"""GET /api/search: the cluster's search as JSON (docs/search-api.md).

`results_payload` is the one presentation of a search answer: the API serialises it and the
search page renders the same structure, so both always show the same thing. The hits come from
the index; no content table is read per hit. Page 1 adds the best bets (置顶推荐) the query
matches. Both count the search for the analytics (search.analytics).
"""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from sites.access import profile_for_request

from .analytics import record_search
from .best_bets import best_bets_for
from .forms import SearchForm
from .query import MAX_RESULT_WINDOW
from .registry import facet_labels, kind_labels
from .service import search

CACHE_SECONDS = 60
ECHOED = ("q", "scope", "site", "kind", "year", "issuing_organ", "validity", "sort")


def results_payload(form, results, request=None):
    """The answer to a valid `form` as plain data (datetimes stay datetimes until JSON);
    `request` lets the best bets' page addresses reuse the site lookups cached on it."""
    query = results.query
    kinds, validities = kind_labels(), facet_labels("validity")
    return {
        "query": {
            **{name: form.cleaned_data[name] for name in ECHOED},
            "page": query.page,
            "page_size": query.page_size,
            "relaxed": query.relaxed,
        },
        "total": results.total,
        "page": query.page,
        # Pages that may be asked for: no engine pages beyond MAX_RESULT_WINDOW results.
        "page_count": min(results.page_count, MAX_RESULT_WINDOW // query.page_size),
        "best_bets": (
            best_bets_for(form.cleaned_data["q"], form.profile, request) if query.page == 1 else []
        ),
        "results": [_hit(hit, kinds, validities) for hit in results.hits],
        "facets": {
            name: [
                {"value": value.value, "label": value.label, "count": value.count}
                for value in values
            ]
            for name, values in results.facets.items()
        },
        "fallback": results.fallback,
        "limited": results.limited,
    }


def _hit(hit, kinds, validities):
    document = hit.document
    return {
        "title": document.title,
        # search.highlight escapes the text and adds nothing but <mark> elements.
        "title_html": mark_safe(hit.title_html),
        "url": document.url,
        "site": {"code": document.site_code, "name": document.site_name},
        "kind": _labelled(document.kind, kinds),
        "published_at": timezone.localtime(document.published_at),
        "snippet_html": mark_safe(hit.snippet_html),
        "document_number": document.document_number,
        "validity": _labelled(document.validity, validities) if document.validity else None,
    }


def _labelled(value, labels):
    return {"value": value, "label": str(labels.get(value, value))}


@require_safe
def search_api(request):
    """Search on the site of the request's hostname; 400 with {"error": …} for bad input."""
    form = SearchForm(request.GET, profile=profile_for_request(request))
    if not form.is_valid():
        return _json({"error": " ".join(form.error_messages())}, status=400)
    results = search(form.query)
    response = _json(results_payload(form, results, request))
    record_search(request, form, results)  # once the answer is ready; it never fails it
    if results.limited:
        patch_cache_control(response, no_store=True)  # the engines may be back any moment
    else:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
