"""Settings shared by every environment.

Everything that differs between machines comes from environment variables; the per-environment
modules (dev, test, production) only choose defaults and how strict to be when one is missing.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PLATFORM_DIR = BASE_DIR / "platform"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "runtime",
    "sites",
    "accounts",
    "home",
    "search",
    "interaction",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template of wagtail.contrib.sitemaps
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountGateMiddleware",
    "sites.admin_gate.AdminObjectGateMiddleware",
    "sites.admin_filters.AdminFilterScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminCSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "sites.middleware.ArchivedSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "sites.context_processors.site_profile",
                "home.preferences.elder_mode_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's server, worker and scheduler share one file: take the write lock at the start
    # of a transaction and wait for one another instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts (等保 2.0: complexity, history, ageing, lockout, 2FA, session timeout) ------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sites.passwords.CharacterClassValidator"},
    {"NAME": "accounts.passwords.PasswordHistoryValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "sites/locked_out.html"
AXES_VERBOSE = False
# Login records and the lockout see the client's address (accounts/client_ip.py): REMOTE_ADDR,
# or X-Forwarded-For only when REMOTE_ADDR is one of these reverse proxies (addresses or networks).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

# Two-factor authentication (accounts/two_factor.py): platform admins and 站点管理员 must enrol
# an authenticator app; ADMIN_2FA_REQUIRED_FOR_ALL=1 requires it of every admin account.
# ADMIN_2FA_ENFORCED is not read from the environment: only the test settings turn it off.
ADMIN_2FA_ENFORCED = True
ADMIN_2FA_REQUIRED_FOR_ALL = os.environ.get("ADMIN_2FA_REQUIRED_FOR_ALL", "") == "1"
OTP_TOTP_ISSUER = "集约平台"
OTP_TOTP_THROTTLE_FACTOR = 1  # wrong codes in a row: wait 1, 2, 4, 8 … seconds before the next
OTP_STATIC_THROTTLE_FACTOR = 1

# Password ageing and history (accounts/passwords.py).
PASSWORD_EXPIRY_DAYS = int(os.environ.get("PASSWORD_EXPIRY_DAYS", "90"))
PASSWORD_HISTORY_COUNT = 5

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail --------------------------------------------------------------------------------
# Hot searches (热门搜索) appear only once a platform admin approves them (搜索 → 热门搜索审核).
HOT_SEARCHES_NEED_APPROVAL = os.environ.get("HOT_SEARCHES_NEED_APPROVAL", "") == "1"
WAGTAIL_SITE_NAME = "集约 · 政府网站集约化平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "sites.workflows.publish_approved"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # never a direct media URL: drafts' files stay private
WAGTAILDOCS_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "wps", "et", "csv", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- The cluster ----------------------------------------------------------------------------
# Site hostnames are <code>.<PLATFORM_DOMAIN>; the portal answers at PORTAL_HOSTNAME.
PLATFORM_DOMAIN = os.environ.get("PLATFORM_DOMAIN", "localhost")
PORTAL_HOSTNAME = os.environ.get("PORTAL_HOSTNAME", PLATFORM_DOMAIN)
SITE_PORT = int(os.environ.get("SITE_PORT", "80"))

# --- Security headers ------------------------------------------------------------------------
# Public pages are cached whole, so they carry no nonce: scripts and styles are files under
# static/ only (no inline code, style attributes or event handlers). The admin relaxes this
# (config.middleware.AdminCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# --- Search (search/, docs/search.md) --------------------------------------------------------
# The embedded engine always indexes; with ELASTICSEARCH_URL, Elasticsearch answers and the
# embedded index stands in while it is unreachable (SEARCH_FALLBACK=none: a "limited" notice).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH = {
    "BACKENDS": {
        "embedded": {
            "ENGINE": "search.backends.embedded.EmbeddedBackend",
            "PATH": Path(
                os.environ.get("SEARCH_INDEX_PATH", BASE_DIR / "var" / "search" / "index.sqlite3")
            ),
        }
    },
    "PRIMARY": "embedded",
    "FALLBACK": None,
}
if ELASTICSEARCH_URL:
    SEARCH_INDEX_NAME = os.environ.get("ELASTICSEARCH_INDEX", "jiyue")
    # Elasticsearch 8 has security on: an API key (base64 "id:key"), and the cluster's CA
    # certificate when it is not signed by a public authority.
    ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
    ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
    SEARCH["BACKENDS"]["elasticsearch"] = {
        "ENGINE": "search.backends.elasticsearch.ElasticsearchBackend",
        "URL": ELASTICSEARCH_URL,
        "INDEX": SEARCH_INDEX_NAME,
        "API_KEY": ELASTICSEARCH_API_KEY,
        "CA_CERTS": ELASTICSEARCH_CA_CERTS,
        "ANALYZER": os.environ.get("SEARCH_ANALYZER", "cjk"),  # or smartcn, ik (plugins)
        "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),  # a search
        "INDEX_TIMEOUT": float(os.environ.get("ELASTICSEARCH_INDEX_TIMEOUT", "30")),  # writes
        "BREAKER_SECONDS": float(os.environ.get("ELASTICSEARCH_BREAKER_SECONDS", "30")),
        "SHARDS": int(os.environ.get("ELASTICSEARCH_SHARDS", "1")),
        "REPLICAS": int(os.environ.get("ELASTICSEARCH_REPLICAS", "0")),
    }
    SEARCH["PRIMARY"] = "elasticsearch"
    SEARCH["FALLBACK"] = None if os.environ.get("SEARCH_FALLBACK") == "none" else "embedded"
    # The editors' admin search: Wagtail's own Elasticsearch backend (modelsearch), CJK-aware,
    # in indices named "<index>-wagtail-<model>"; while the cluster is down it answers from
    # the database index, which Wagtail keeps current too (search/admin_backend.py). Fill both
    # with `manage.py update_index` after the first deploy and after a cluster is replaced.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.admin_backend",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{SEARCH_INDEX_NAME}-wagtail-",
            "TIMEOUT": 5,
            "OPTIONS": {
                key: value
                for key, value in (
                    ("api_key", ELASTICSEARCH_API_KEY),
                    ("ca_certs", ELASTICSEARCH_CA_CERTS),
                )
                if value
            },
            "INDEX_SETTINGS": {
                "settings": {"analysis": {"analyzer": {"default": {"type": "cjk"}}}}
            },
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }

# --- Background work and time (runtime/) -------------------------------------------------------
# A durable queue in the database (django-tasks-db), drained by `manage.py run_worker`; the
# periodic jobs of platform/schedule.toml are handed to it by `manage.py run_scheduler`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SCHEDULE_FILE = PLATFORM_DIR / "schedule.toml"
# A worker silent this long is taken as dead and its running task is queued again.
TASK_WORKER_SILENT_SECONDS = int(os.environ.get("TASK_WORKER_SILENT_SECONDS", "30"))
# 等保 2.0 三级: audit entries are kept at least 180 days; a shorter setting is refused.
AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", "180"))
# Records pruned with Wagtail's audit log, besides its log models (each has a `timestamp`).
AUDIT_LOG_EXTRA_MODELS = ["accounts.LoginEvent"]

# --- Mail: every message goes to the outbox; the worker delivers it over SMTP -----------------
EMAIL_BACKEND = "runtime.mail.QueuedEmailBackend"
MAIL_TRANSPORT_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))  # the demo's mail catcher
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "集约平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages, per site, language and elder mode (home/page_cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# 互动交流 (interaction/): the defaults of the deadline policies platform admins may override
# per category and level (DeadlinePolicy), as (amount, measure); NATIONAL-RULES §3.4 (邯郸:
# 1小时内响应、3个工作日内办结、7日内反馈; complaints and reports 13 working days).
LETTER_DEADLINES = {
    "respond": {"default": (1, "working_hours")},
    "reply": {
        "default": (3, "working_days"),
        "complaint": (13, "working_days"),
        "report": (13, "working_days"),
    },
    "feedback": {"default": (7, "calendar_days")},
}
LETTER_OFFICE_HOURS = (9, 17)  # the working hours a working-hour deadline counts
LETTER_REOPEN_LIMIT = 1  # 不满意 sends a letter back for 重办 this many times
LETTER_RATING_DAYS = 7  # a reply not rated within these days is closed unrated
LETTER_MAX_EXTENSION_DAYS = 10  # working days one 延期申请 may ask for
LETTER_REMIND_HOURS = 24  # remind the handling unit this long before a deadline
LETTER_ALERT_DAYS = 60  # unanswered this long: platform admins are alerted (veto at 3 months)
LETTER_DUPLICATE_DAYS = 7  # a near-identical letter from the same phone within: flagged 并单
LETTER_MAX_ATTACHMENTS = 3
LETTER_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
LETTER_CONTENT_LENGTH = (10, 2000)  # characters a letter's content must have, at least / at most
# Letters one client (its address, hashed) may send per hour and one phone number per 24 hours;
# counted from the stored letters. 0 turns a limit off (the load test and the benchmark do).
LETTER_RATE_LIMITS = {
    "client_per_hour": int(os.environ.get("LETTER_CLIENT_PER_HOUR", "5")),
    "phone_per_day": int(os.environ.get("LETTER_PHONE_PER_DAY", "3")),
}
LETTER_QUERY_TOKEN_SECONDS = 3600  # how long one 查询 lets the writer rate without asking again
