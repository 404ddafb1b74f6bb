"""GET /search/: the public search page of every site (not a Wagtail page).

It renders in the answering site's header and footer, searches that site by default (all sites
on the portal) and shows what the API returns for the same parameters (search.api), with
the best bets above the results, facet links, the scope and sort switches and pagination.
A search asked for here is counted for the analytics (search.analytics). Bad parameters show
their message with the form kept; an unreachable search engine shows a notice; neither is an
error page.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sites.access import profile_for_request

from .analytics import record_search
from .api import results_payload
from .forms import SearchForm
from .query import MAX_RESULT_WINDOW
from .service import search

# Facet field → (request parameter, heading). Policy facets appear when the engine returns them.
FACETS = {
    "site_code": ("site", _("站点")),
    "kind": ("kind", _("类型")),
    "year": ("year", _("年份")),
    "issuing_organ": ("issuing_organ", _("发布机构")),
    "validity": ("validity", _("有效性")),
}


@require_safe
def search_page(request):
    form = SearchForm(request.GET or None, profile=profile_for_request(request))
    context = {"form": form, "scope": form.default_scope, "sort": "relevance"}
    if not (form.is_bound and form.is_valid()):
        return render(request, "search/search_page.html", context)
    answer = search(form.query)
    results = results_payload(form, answer, request)
    context.update(
        scope=form.cleaned_data["scope"],
        sort=form.cleaned_data["sort"],
        results=results,
        facet_groups=facet_groups(request, form, results["facets"]),
        page_obj=_page_obj(form.query, results["total"]),
    )
    response = render(request, "search/search_page.html", context)
    record_search(request, form, answer)  # once the answer is ready; it never fails it
    return response


def facet_groups(request, form, facets):
    """Facets as groups of links; each link selects its value (or, once selected, clears it)
    and keeps every other parameter but the page. Sites are offered when searching all."""
    groups = []
    for name, (param, heading) in FACETS.items():
        values = facets.get(name)
        if not values or (name == "site_code" and form.cleaned_data["scope"] == "site"):
            continue
        chosen = form.cleaned_data[param]
        chosen = chosen if isinstance(chosen, list) else [chosen]
        links = []
        for value in values:
            selected = value["value"] in chosen
            extra = {"scope": "all"} if param == "site" else {}
            url = _link(request, {param: None if selected else value["value"], **extra})
            links.append({**value, "selected": selected, "url": url})
        groups.append({"param": param, "heading": heading, "values": links})
    return groups


def _link(request, changes):
    """This page's address with `changes` applied (None removes a parameter), on page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params.setlist(name, [str(value)])
    return f"?{params.urlencode()}"


def _page_obj(query, total):
    """A Django page for templates/components/pagination.html, up to the last page an engine
    serves; None when the requested page is beyond the results."""
    paginator = Paginator(range(min(total, MAX_RESULT_WINDOW)), query.page_size)
    return paginator.page(query.page) if query.page <= paginator.num_pages else None
