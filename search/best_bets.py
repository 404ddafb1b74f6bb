"""置顶推荐 at search time: the best bets (search.models.BestBet) a search shows.

A search matches a best bet when its normalised words equal one of the bet's trigger terms,
directly or through a synonym group (社保 finds a bet on 社会保险), the bet is in force now and
applies to every site or to the site answering. The bets are few and read on every search, so
they are cached until one is saved or deleted; a bet's page is looked up only when the bet
matches, so its address is current and a page that is no longer live and public is left out.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from .models import BestBet
from .normalise import normalise_query
from .synonyms import current_synonyms

CACHE_KEY = "search:best-bets"
CACHE_SECONDS = 60 * 60  # bounds a copy that some bulk update, which sends no signal, left


@dataclass(frozen=True)
class PinnedResult:
    """What the search needs of one BestBet, small enough to cache."""

    terms: frozenset[str]
    site_id: int | None
    active_from: datetime | None
    active_until: datetime | None
    title: str
    description: str
    page_id: int | None
    external_url: str

    def applies(self, words, site_id, now):
        return (
            not self.terms.isdisjoint(words)
            and self.site_id in (None, site_id)
            and (self.active_from is None or self.active_from <= now)
            and (self.active_until is None or now < self.active_until)
        )


def active_best_bets():
    """Every best bet not yet over, in display order (cached)."""
    bets = cache.get(CACHE_KEY)
    if bets is None:
        current = BestBet.objects.exclude(active_until__lte=timezone.now())
        bets = [
            PinnedResult(
                terms=frozenset(bet.term_list()),
                site_id=bet.site_id,
                active_from=bet.active_from,
                active_until=bet.active_until,
                title=bet.title,
                description=bet.description,
                page_id=bet.page_id,
                external_url=bet.external_url,
            )
            for bet in current
        ]
        cache.set(CACHE_KEY, bets, CACHE_SECONDS)
    return bets


def forget_best_bets():
    """Now and again at commit: a reader in between may cache the rows as they were."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def best_bets_for(text, profile, request=None):
    """[{"title", "url", "description"}] of the best bets the search `text` shows on the site
    `profile` (None: a host without a site, which sees only bets for all sites)."""
    query = normalise_query(text)
    if not query:
        return []
    words = {query, *current_synonyms().members.get(query, ())}
    site_id = profile.pk if profile else None
    now = timezone.now()
    bets = [bet for bet in active_best_bets() if bet.applies(words, site_id, now)]
    page_ids = [bet.page_id for bet in bets if bet.page_id]
    pages = Page.objects.live().public().in_bulk(page_ids) if page_ids else {}
    shown = []
    for bet in bets:
        if bet.page_id:
            page = pages.get(bet.page_id)
            url = page.get_full_url(request) if page else None
        else:
            url = bet.external_url
        if url:
            shown.append({"title": bet.title, "url": url, "description": bet.description})
    return shown
