"""Production settings with the benchmark's URLconf (bench/urls.py); used by bench/pages.py only.

Every production requirement still applies: bench/pages.py sets the environment variables
(a random SECRET_KEY, DATABASE_URL of its SQLite file, ALLOWED_HOSTS=*, PLATFORM_DOMAIN=localhost,
SECURE_SSL_REDIRECT=0 since nothing terminates TLS in front of it).
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
