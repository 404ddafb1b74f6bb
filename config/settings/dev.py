"""Local demo: SQLite, embedded everything, the portal at localhost and sites at CODE.localhost."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-jiyue")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
SITE_PORT = int(os.environ.get("SITE_PORT", "8000"))
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None  # the dev server serves static files straight from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
