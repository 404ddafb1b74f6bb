"""Search analytics: searches counted per day, site and query, and the hot searches (热门搜索).

A search is counted once, when a citizen asks for it: page 1 of a query on the search page or
the API. Autocomplete calls (the API with `autocomplete=1` and at most five results, sent by
static/js/search.js while someone types), further pages and facet refinements of a search
already counted (a `site`, `kind`, `year`, `issuing_organ` or `validity` filter) are not.
Nothing personal is kept (DailySearchCount stores no IP, user, session, agent or time), and a
query that looks like a personal identifier — a run of 11 or more digits (mobile phone or ID
card number) or an e-mail address — is not counted at all, nor is one without a single letter,
digit or Chinese character. Counting never breaks a search: a database error is logged and the
search is answered as usual.

Hot searches are the queries of the last week that found something most often, shown under the
search box of every page: a site's own searches, or all sites' on the portal. They are cached
per site, and a query containing a 严重错误表述 (home.checks) is never among them.

They come from the public, not from one visitor: each query also counts its distinct clients
per day (DailySearchClient, a hash of address and browser under a random salt that lives only
in the cache for that day, so it cannot be traced back once the day is over), and a query needs
HOT_MIN_CLIENTS of them in the week. Platform admins block a query (HotSearchDecision), and with
`HOT_SEARCHES_NEED_APPROVAL` a query is shown only once they approve it.
"""

import hashlib
import logging
import re
import secrets
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils import timezone

from accounts.client_ip import client_ip
from home.checks.lists import wording_lists
from sites.models import SiteProfile

from .models import DailySearchClient, DailySearchCount, HotSearchDecision
from .normalise import normalise_query

logger = logging.getLogger(__name__)

AUTOCOMPLETE_MAX_PAGE_SIZE = 5
REFINEMENTS = ("site", "kind", "year", "issuing_organ", "validity")
PERSONAL = re.compile(r"\d{11,}|[^\s@]+@[^\s@]+\.[a-z]")

HOT_SEARCHES = 6
HOT_MIN_SEARCHES = 3  # found something at least this often in HOT_DAYS
HOT_MIN_CLIENTS = 3  # by this many distinct clients (per day, summed over HOT_DAYS)
HOT_DAYS = 7
HOT_CANDIDATES = 50  # read this many before dropping forbidden wordings
HOT_CACHE_SECONDS = 10 * 60


def counts_as_search(request, form):
    """Whether the valid `form` is a search someone asked for, not a re-run of one."""
    query = form.query
    autocomplete = (
        request.GET.get("autocomplete") == "1" and query.page_size <= AUTOCOMPLETE_MAX_PAGE_SIZE
    )
    return (
        request.method == "GET"
        and form.profile is not None
        and query.page == 1
        and not autocomplete
        and not any(form.cleaned_data[name] for name in REFINEMENTS)
    )


def record_search(request, form, results):
    """Count the search of the valid `form` if it is one (see `counts_as_search`).

    An unreachable engine (`limited`) counts the search but not as one without results: it
    says nothing about the query.
    """
    if not counts_as_search(request, form):
        return
    query = normalise_query(form.cleaned_data["q"])
    if not any(char.isalnum() for char in query) or PERSONAL.search(query):
        return
    zero_results = int(not results.total and not results.limited)
    try:
        _count(form.profile, query, zero_results)
        _count_client(form.profile, query, client_hash(request))
    except DatabaseError:
        logger.exception("search analytics: a search could not be counted")


def _count(profile, query, zero_results):
    """Add one search to today's row, creating it on first use.

    The usual case is one UPDATE, its own transaction: requests run in autocommit
    (ATOMIC_REQUESTS is off), so a failing statement spoils nothing after it. Concurrent first
    searches of the same words both try to create the row: the loser's INSERT fails inside its
    own savepoint and it adds to the winner's row instead.
    """
    day = timezone.localdate()
    row = DailySearchCount.objects.filter(day=day, site=profile, query=query)
    increments = {"searches": F("searches") + 1, "zero_results": F("zero_results") + zero_results}
    if row.update(**increments):
        return
    try:
        with transaction.atomic():
            DailySearchCount.objects.create(
                day=day, site=profile, query=query, searches=1, zero_results=zero_results
            )
    except IntegrityError:
        row.update(**increments)


def client_hash(request):
    """Who searched, as a hash under today's salt: the same client gives the same hash today,
    and nobody can link it to an address or to another day's hash once the salt is gone."""
    day = timezone.localdate()
    salt = cache.get_or_set(f"search:client-salt:{day}", secrets.token_hex(16), 2 * 24 * 3600)
    seen = f"{salt}|{client_ip(request)}|{request.headers.get('user-agent', '')}"
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


def _count_client(profile, query, client):
    day = timezone.localdate()
    DailySearchClient.objects.bulk_create(  # a client seen before today is no new row
        [DailySearchClient(day=day, site=profile, query=query, client=client)],
        ignore_conflicts=True,
    )
    if cache.add(f"search:clients-pruned:{day}", True, 24 * 3600):
        DailySearchClient.objects.filter(day__lt=day - timedelta(days=HOT_DAYS)).delete()


def hot_searches(profile):
    """The hot searches to show on `profile`'s pages, most found first; none, for now, when
    the counts cannot be read: every page shows them, and no page may fail for them (the
    savepoint keeps a failed read from spoiling a transaction the page may be rendered in)."""
    key = _cache_key(profile.pk)
    queries = cache.get(key)
    if queries is None:
        try:
            with transaction.atomic():
                queries = _hot_searches(profile)
        except DatabaseError:
            logger.exception("search analytics: the hot searches could not be read")
            return []
        cache.set(key, queries, HOT_CACHE_SECONDS)
    return queries


def _hot_searches(profile):
    since = timezone.localdate() - timedelta(days=HOT_DAYS - 1)
    rows = DailySearchCount.objects.filter(day__gte=since)
    clients = DailySearchClient.objects.filter(day__gte=since, query=OuterRef("query"))
    if profile.kind != "portal":
        rows = rows.filter(site=profile)
        clients = clients.filter(site=profile)
    client_count = clients.values("query").annotate(count=Count("*")).values("count")
    decisions = HotSearchDecision.objects.values("query")
    rows = rows.exclude(query__in=decisions.filter(approved=False))
    if settings.HOT_SEARCHES_NEED_APPROVAL:
        rows = rows.filter(query__in=decisions.filter(approved=True))
    ranked = (
        rows.values("query")
        .annotate(found=Sum("searches") - Sum("zero_results"), clients=Subquery(client_count))
        .filter(found__gte=HOT_MIN_SEARCHES, clients__gte=HOT_MIN_CLIENTS)
        .order_by("-found", "query")
        .values_list("query", flat=True)
    )
    candidates = list(ranked[:HOT_CANDIDATES])
    if not candidates:
        return []
    forbidden = [_squeezed(entry.text) for entry in wording_lists().forbidden]
    allowed = (
        query
        for query in candidates
        if not any(word and word in _squeezed(query) for word in forbidden)
    )
    return list(islice(allowed, HOT_SEARCHES))


def _squeezed(text):
    """Normalised and without spaces, as the wording checks match (home.checks.scan)."""
    return normalise_query(text).replace(" ", "")


def forget_hot_searches():
    """Drop every site's cached hot searches (a wording list changed)."""
    pks = SiteProfile.objects.values_list("pk", flat=True)
    cache.delete_many([_cache_key(pk) for pk in pks])


def _cache_key(site_pk):
    return f"search:hot-searches:{site_pk}"
