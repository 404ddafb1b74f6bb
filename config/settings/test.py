"""Tests: fast hasher, local-memory cache, immediate tasks; DATABASE_URL picks PostgreSQL in CI."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign users in without a second factor; the tests of the 2FA gate (tests/accounts,
# tests/browser/test_two_factor.py) turn it on. The password-age gate stays on everywhere.
ADMIN_2FA_ENFORCED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SITE_PORT = 80
STATIC_ROOT = None  # nothing is collected in tests; static files come from the finders
WHITENOISE_USE_FINDERS = True

# Search: the embedded engine only, one index file per xdist worker (tests/search set their own).
SEARCH = {
    "BACKENDS": {
        "embedded": {
            "ENGINE": "search.backends.embedded.EmbeddedBackend",
            "PATH": BASE_DIR  # noqa: F405
            / "var"
            / "test-search"
            / f"index-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sqlite3",
        }
    },
    "PRIMARY": "embedded",
    "FALLBACK": None,
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
