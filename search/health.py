"""What the engines did lately, shared by every process through the cache, so the admin can
tell a healthy engine from a silent fallback: each engine's last error, and when searches were
last answered by the fallback engine or not at all."""

from django.core.cache import cache
from django.utils import timezone

PREFIX = "search-health"
KEPT_SECONDS = 7 * 24 * 3600


def _key(*parts):
    return ":".join((PREFIX, *parts))


def record_error(engine, message):
    event = {"at": timezone.now(), "message": message[:1000]}
    cache.set(_key("error", engine), event, KEPT_SECONDS)


def last_error(engine):
    return cache.get(_key("error", engine))


def record_degraded(how, engine):
    """A search was answered by the fallback (`how` = "fallback") or by nobody ("limited")."""
    cache.set(_key(how), {"at": timezone.now(), "engine": engine}, KEPT_SECONDS)


def last_degraded(how):
    return cache.get(_key(how))
