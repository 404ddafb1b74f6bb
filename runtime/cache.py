"""Django's Redis cache, answering a miss instead of raising while Redis is unreachable.

The cache only saves work (whole pages, site root paths): with Redis down every request is
rendered afresh, and nothing fails. The outage is logged at most once per OUTAGE_LOG_SECONDS per
process; the connection pool reconnects by itself when Redis is back.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_LOG_SECONDS = 30
OUTAGE = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCache(RedisCache):
    _last_report = 0.0

    def _attempt(self, method, fallback, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except OUTAGE as error:
            self._report(error)
            return fallback

    def _report(self, error):
        now = time.monotonic()
        if now - ResilientRedisCache._last_report >= OUTAGE_LOG_SECONDS:
            ResilientRedisCache._last_report = now
            logger.error("cache unreachable, serving without it: %s", error)

    def get(self, key, default=None, version=None):
        return self._attempt(RedisCache.get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt(RedisCache.get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(RedisCache.has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(RedisCache.add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(RedisCache.set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(RedisCache.set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(RedisCache.touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(RedisCache.delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(RedisCache.delete_many, None, keys, version)

    def clear(self):
        return self._attempt(RedisCache.clear, False)
