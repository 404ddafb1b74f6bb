"""Whole-page cache for public pages, per site, language and elder mode.

Every cache key carries two generations: the site's and the cluster's. A generation is the time
of the last change that can alter what the site shows, so bumping it retires every page of the
site at once, without tracking which listing shows which item, and doubles as Last-Modified.
What bumps them lives in `home.signals`.

Only anonymous visitors without a session are served from the cache: editors get Wagtail's
userbar and may hold page-view-restriction passes, and drafts and previews are served by the
admin, never by this view. A response is stored only when it is a plain 200 that sets no cookie
and is not marked private.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from wagtail.models import Site

from .preferences import elder_mode

CLUSTER_GENERATION = "page-cache:generation:cluster"
MAX_CACHED_QUERY = 200  # longer query strings are someone probing, not a page worth keeping


def site_generation_key(site_id):
    return f"page-cache:generation:site:{site_id}"


def invalidate_sites(*site_ids):
    """Retire every cached page of these sites."""
    _bump_now_and_after_commit([site_generation_key(site_id) for site_id in site_ids])


def invalidate_cluster():
    """Retire every cached page of every site (identity, branding, directory, media changes)."""
    _bump_now_and_after_commit([CLUSTER_GENERATION])


def _bump_now_and_after_commit(keys):
    """The second bump covers a visitor who rendered the old content between the first bump and
    the commit, and stored it under the new generation."""
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys):
    now = time.time()
    cache.set_many(dict.fromkeys(keys, now), timeout=None)


def _generations(site_id):
    """The cluster's and the site's generation, starting them now when the cache has neither."""
    keys = [CLUSTER_GENERATION, site_generation_key(site_id)]
    known = cache.get_many(keys)
    missing = {key: time.time() for key in keys if key not in known}
    if missing:
        cache.set_many(missing, timeout=None)
    return [known.get(key) or missing[key] for key in keys]


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


def _cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _page_key(request, site_id, generations):
    variant = "|".join(
        [
            request.get_full_path(),
            get_language() or "",
            "elder" if elder_mode(request) else "normal",
            *(repr(generation) for generation in generations),
        ]
    )
    return f"page-cache:page:{site_id}:{hashlib.sha256(variant.encode()).hexdigest()}"


def cached_serve(view):
    """Wrap Wagtail's `serve` view with the page cache, ETag and Last-Modified."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        site = Site.find_for_request(request) if _cacheable_request(request) else None
        if site is None:
            return view(request, *args, **kwargs)

        generations = _generations(site.pk)
        key = _page_key(request, site.pk, generations)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if not _cacheable_response(response):
                return response
            response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'
            response["Last-Modified"] = http_date(max(generations))
            patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(max(generations)),
            response=response,
        )

    return serve
