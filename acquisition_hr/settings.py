"""Settings for the acquisition_hr project, read from the environment.

Embedded default (no variables set): SQLite file in the project folder and Celery
tasks run in-process. Service mode: DATABASE_URL (PostgreSQL) and REDIS_URL.
Production hardening lives in ``acquisition_hr.production``.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list of trimmed items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A fixed key is only acceptable for the embedded demo and the test suite.
    SECRET_KEY = "insecure-embedded-demo-key-set-SECRET_KEY-in-service-mode"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "auditlog",
    "axes",
    "drf_spectacular_sidecar",
    "org",
    "performance",
    "diagnosis",
    "talent",
    "enablement",
    "rollout",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "org.middleware.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The client's address, for the login lockouts, DRF's throttles and the other throttles (org.throttling): the
# connecting address (REMOTE_ADDR), unless PROXY_COUNT reverse proxies in front each append the address they saw
# to X-Forwarded-For; then the entry the outermost one appended. What a client writes into that header itself is
# never trusted. AXES_PROXY_COUNT is the variable's old name, still read.
try:
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT") or os.environ.get("AXES_PROXY_COUNT") or "0")
    if PROXY_COUNT < 0:
        raise ValueError
except ValueError as exc:
    raise ImproperlyConfigured("PROXY_COUNT must be a whole number of proxies, 0 or more") from exc

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; a good login clears the count. The API's
# tokens are not passwords and are throttled by DRF instead (wrong keys too: org.auth).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "org.permission_cache.CachedPermissionBackend",  # Django's ModelBackend, its permission sets cached
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "org.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "org.throttling.client_address"
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT  # used only if django-ipware gets installed and the callable is removed
AXES_VERBOSE = False

# Audit trail (django-auditlog; the audited models are listed in org/audit.py).
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Content security policy (django-csp): scripts only from this site (no inline scripts or handlers; JSON
# data blocks are not scripts), nothing from other hosts. Styles allow inline because plotly.js and the
# API docs inject <style> elements; Redoc runs a worker from a blob.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "acquisition_hr.urls"
WSGI_APPLICATION = "acquisition_hr.wsgi.application"
ASGI_APPLICATION = "acquisition_hr.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "org.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "acquisition_hr.sqlite3",
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].setdefault("NAME", os.environ.get("TEST_DATABASE_NAME") or None)
    if not DATABASES["default"]["TEST"]["NAME"]:
        DATABASES["default"]["TEST"].pop("NAME")
    # An unreachable database host fails a request in seconds (a clear 503, org.unavailable), not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis down or slow reads as an empty cache: pages are computed from the database (org/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "org.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
        "throttle": {
            "BACKEND": "org.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "throttle",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
    }
else:
    # Each worker process has a local-memory cache of its own: fine for cached reads, not for counting.
    # Throttle counters go to a table every worker shares (made by org's migration 0006; expired rows are
    # culled only past MAX_ENTRIES, which must exceed the clients counted within the longest rate window).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
# Sessions live in the database. With Redis, a cache every worker shares, they are also read from it (one
# query fewer per page; a miss or a cache that is down falls back to the database). Without Redis each worker
# has a local cache of its own, from which a session ended (logout) on another worker would still be read.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if REDIS_URL else 'db'}"

NIGHTLY_AT = os.environ.get("NIGHTLY_AT", "02:00")
try:
    _nightly_hour, _nightly_minute = (int(part) for part in NIGHTLY_AT.split(":"))
    if not (0 <= _nightly_hour < 24 and 0 <= _nightly_minute < 60):
        raise ValueError
except ValueError as exc:
    raise ImproperlyConfigured(f"NIGHTLY_AT must be HH:MM, got {NIGHTLY_AT!r}") from exc

# The nightly recompute redoes only the years that uploads and services marked stale; once a week (Monday 0
# ... Sunday 6; empty: never) it rebuilds everything, a safety net for edits made past the services.
_full_weekday = os.environ.get("NIGHTLY_FULL_WEEKDAY", "6").strip()
try:
    NIGHTLY_FULL_WEEKDAY = int(_full_weekday) if _full_weekday else None
    if NIGHTLY_FULL_WEEKDAY is not None and not 0 <= NIGHTLY_FULL_WEEKDAY <= 6:
        raise ValueError
except ValueError as exc:
    raise ImproperlyConfigured(f"NIGHTLY_FULL_WEEKDAY must be 0-6 or empty, got {_full_weekday!r}") from exc

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "acquisition_hr")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
# One registry of periodic work: the nightly pipeline runs every registered nightly step.
CELERY_BEAT_SCHEDULE = {
    "nightly-recompute": {
        "task": "org.tasks.nightly_recompute_task",
        "schedule": crontab(hour=_nightly_hour, minute=_nightly_minute),
        "options": {"expires": 6 * 3600},
    },
}
# A job that has shown no sign of life for this long is considered abandoned.
JOB_STALE_AFTER_SECONDS = int(os.environ.get("JOB_STALE_AFTER_SECONDS", "3600"))
# A job that failed because the database went away waits this long for it to record the failure (org/jobs.py).
JOB_RECORD_RETRY_SECONDS = int(os.environ.get("JOB_RECORD_RETRY_SECONDS", "60"))

# --- Auth -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "org:home"
LOGOUT_REDIRECT_URL = "login"

# --- I18N -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# Formats that override Django's per language (acquisition_hr/formats/): ISO days first in date inputs, digits
# grouped by three in zh-Hans (org/ui/formatting.py uses them).
FORMAT_MODULE_PATH = ["acquisition_hr.formats"]
# The currency of every amount of money (ISO 4217); pages print it before the amount (org/ui/formatting.py).
CURRENCY = os.environ.get("CURRENCY", "CNY").strip().upper() or "CNY"

# --- Static ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or env_bool("STATIC_PLAIN", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG

# --- Uploads --------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
INGEST_MAX_ROWS = 50_000
INGEST_MAX_UPLOAD_BYTES = int(os.environ.get("INGEST_MAX_UPLOAD_BYTES", str(40 * 1024 * 1024)))

# --- API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "org.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "org.auth.TokenScopePermission",
    ],
    # Counted in caches["throttle"], shared by every worker, per client address as PROXY_COUNT says (org.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "org.throttling.AnonThrottle",
        "org.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("THROTTLE_USER", "20000/hour"),
        # Wrong API keys from one address; past the rate its token requests answer 429 (org.auth).
        "token_failure": os.environ.get("THROTTLE_TOKEN_FAILURES", "10/minute"),
        # Password-reset mails asked for, per client address and per email address (org.password_reset).
        "password_reset_address": os.environ.get("THROTTLE_PASSWORD_RESET_ADDRESS", "5/hour"),
        "password_reset_email": os.environ.get("THROTTLE_PASSWORD_RESET_EMAIL", "5/hour"),
    },
    "NUM_PROXIES": PROXY_COUNT,
    # DRF's parsers, refusing text with a NUL character (org/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "org.api.parsers.JSONParser",
        "org.api.parsers.FormParser",
        "org.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "org.api.pagination.StandardPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "org.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "org.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Acquisition HR API",
    "DESCRIPTION": "Push customer-acquisition and HR facts in, pull computed indicators out.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and its viewers need a login or a token, unless API_DOCS_PUBLIC (org.auth.ApiDocsAccess).
    "SERVE_PERMISSIONS": ["org.auth.ApiDocsAccess"],
}
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)

# --- Mail -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "acquisition-hr@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
