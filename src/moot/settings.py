"""moot's settings: every value comes from an environment variable (see the README).

The embedded default (no ``DATABASE_URL``) runs on SQLite under ``var/`` with a generated
secret key kept there, so ``moot`` works with nothing else installed. Setting
``DATABASE_URL`` to a ``postgres://`` URL selects PostgreSQL, and then ``SECRET_KEY`` must
be given explicitly.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("MOOT_VAR_DIR", "var")).resolve()
TESTING = "pytest" in sys.modules or "test" in sys.argv[1:2]

# The embedded default's settings file. `moot serve` writes there the settings it runs
# with (SHARED_SETTINGS), and every command reads them, so that `moot send-alerts` run by
# hand mails through the server's EMAIL_URL and links to its address. A variable set in the
# environment still wins. The test suite never reads it.
SETTINGS_FILE = VAR_DIR / "settings.env"
SHARED_SETTINGS = (
    "SITE_URL",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "CACHE_URL",
    "MEDIA_ROOT",
    "SEARCH_INDEX_DIR",
    "OPEN_DATA_DIR",
    "FOI_REQUEST_URL",
    "TRUSTED_PROXY_COUNT",
    "DEBUG",
    "LOG_LEVEL",
    "LOG_FORMAT",
)


def _settings_file() -> dict[str, str]:
    if TESTING or not SETTINGS_FILE.is_file():
        return {}
    found = {}
    for line in SETTINGS_FILE.read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and name.strip() in SHARED_SETTINGS:
            found[name.strip()] = value.strip()
    return found


# The settings this process took from the file, not from its environment.
FROM_SETTINGS_FILE = {
    name: value for name, value in _settings_file().items() if name not in os.environ
}
os.environ.update(FROM_SETTINGS_FILE)
EMBEDDED = not os.environ.get("DATABASE_URL")


def _secret_key() -> str:
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    if TESTING:
        return "insecure-key-used-only-by-the-test-suite"
    if not EMBEDDED:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DATABASE_URL is set (production mode)."
        )
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # O_EXCL so that two processes starting together cannot write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")


def _local_address() -> str:
    """Where the embedded default is reached: HOST and PORT, as `make run` passes them."""
    host = os.environ.get("HOST", "") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - naming the wildcard, not binding to it
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('PORT', '') or '8000'}"


SITE_URL = (os.environ.get("SITE_URL") or _local_address()).rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "moot.core",
    "moot.parliament",
    "moot.consultations",
    "moot.search",
    "moot.alerts",
    "moot.analysis",
    "moot.policy",
    "moot.api",
    "moot.demo",
]

MIDDLEWARE = [
    "moot.core.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "moot.core.middleware.SecurityHeadersMiddleware",
    "moot.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a view's PermissionDenied before the API's middleware answers it.
    "moot.core.audit.RefusalAuditMiddleware",
]

ROOT_URLCONF = "moot.urls"
WSGI_APPLICATION = "moot.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:staff_login"
# Staff sign-in: a second factor is required; repeated failures lock out for a while. They
# count per account *at* an address, so nobody can lock out an account from elsewhere; and
# failures from one address across any accounts lock that address at a higher limit (an
# office shares one address).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "moot.core.context_processors.site",
            ],
            "builtins": ["moot.core.templatetags.moot"],
        },
    }
]


def _database() -> dict[str, Any]:
    default_path = VAR_DIR / "moot.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_path}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    # Keeping connections between requests saves opening one per request and, on SQLite,
    # the whole-WAL checkpoint it runs whenever the last open connection closes.
    conn_max_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] not in ("", ":memory:"):
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            config["CONN_MAX_AGE"] = conn_max_age
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock when a transaction starts: read-then-write
            # transactions then queue on the busy timeout instead of failing with
            # "database is locked" when they try to upgrade their lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = True
        # Each checkout gets its own test database, so suites in two checkouts on one
        # server never drop each other's database.
        checkout = hashlib.sha256(str(Path.cwd()).encode()).hexdigest()[:8]
        config["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", f"test_moot_{checkout}")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Written-answer pages are served from a shared cache to readers who send no cookies (most
# readers, and every crawler), for this long (0: never); vote tallies and new answers reach
# them within it. Anyone with a cookie (a voter, staff) always gets a freshly rendered page.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))

CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if os.environ.get("CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
# Rate limits and sign-in lockouts must be counted in one place for every process (see
# core.ratelimit): Redis when there is one, else the database. Only the test suite counts in
# process memory, which each test's fixtures empty; tests of the database store select it.
RATE_LIMIT_STORE = "cache" if os.environ.get("CACHE_URL") or TESTING else "database"

# Workers beat every WORKER_HEARTBEAT_SECONDS; a task whose worker is silent for
# WORKER_STALE_SECONDS goes back in the queue for another worker.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "60"))
# /readyz answers 503 when the oldest task waiting in the queue has waited longer than this.
READY_MAX_QUEUE_AGE_SECONDS = int(os.environ.get("READY_MAX_QUEUE_AGE_SECONDS", "300"))
# Text extraction from uploaded files runs in a child process with these bounds.
EXTRACTION_CPU_SECONDS = int(os.environ.get("EXTRACTION_CPU_SECONDS", "10"))
EXTRACTION_MEMORY_MB = int(os.environ.get("EXTRACTION_MEMORY_MB", "512"))
EXTRACTION_WALL_SECONDS = int(os.environ.get("EXTRACTION_WALL_SECONDS", "30"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(VAR_DIR / "media")))


def _media_storage() -> dict[str, Any]:
    """Uploaded files on local disk (MEDIA_ROOT), or in an S3-compatible bucket when
    MEDIA_S3_BUCKET is set (with the `s3` extra installed)."""
    bucket = os.environ.get("MEDIA_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in [
        ("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
        ("region_name", "MEDIA_S3_REGION"),
        ("access_key", "MEDIA_S3_ACCESS_KEY_ID"),
        ("secret_key", "MEDIA_S3_SECRET_ACCESS_KEY"),
        ("location", "MEDIA_S3_PREFIX"),
    ]:
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if EMBEDDED or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The embedded default serves static files straight from the package, with no collectstatic.
WHITENOISE_USE_FINDERS = EMBEDDED or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760


def _email(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.netloc + parts.path) or str(VAR_DIR / "mail"),
        }
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "submission" or query.get("tls") == ["1"],
            "EMAIL_TIMEOUT": 30,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not one of console, memory, file, smtp, smtps, submission"
    )


globals().update(_email(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "moot <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The site people are sent to for Freedom of Information requests. "{slug}" is replaced by
# the answering body's identifier on that site (Department.foi_site_slug).
FOI_REQUEST_URL = os.environ.get("FOI_REQUEST_URL", "https://www.whatdotheyknow.com/new/{slug}")
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
# Email alerts: how often `moot worker` sends them, the local hour daily alerts go out,
# alert and link requests per client per hour, and the bounce webhook's secret (unset: off).
ALERTS_SEND_EVERY_MINUTES = int(os.environ.get("ALERTS_SEND_EVERY_MINUTES", "5"))
ALERTS_DAILY_HOUR = int(os.environ.get("ALERTS_DAILY_HOUR", "7"))
ALERTS_REQUESTS_PER_HOUR = int(os.environ.get("ALERTS_REQUESTS_PER_HOUR", "20"))
ALERTS_WEBHOOK_SECRET = os.environ.get("ALERTS_WEBHOOK_SECRET", "")
# Search changes older than this are pruned even if an index has not applied them (that
# index is then rebuilt); indexes not heard from for this long are forgotten.
SEARCH_CHANGE_LOG_RETENTION_DAYS = int(os.environ.get("SEARCH_CHANGE_LOG_RETENTION_DAYS", "7"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# How many proxies in front of moot append to X-Forwarded-For (0: trust none).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if SITE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# X-Forwarded-Proto says a request came over HTTPS only when a proxy we trust set it: without
# one, any client could send it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None

# Prometheus scrapes /metrics with METRICS_TOKEN as a bearer token. Without a token the page
# is not served (it shows per-route counts of staff activity) unless METRICS_PUBLIC is true.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_PUBLIC = env_bool("METRICS_PUBLIC", False)

LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "moot.core.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Consultation responses (see the README): upload size, per-address rate limits on the public
# form, and the proof-of-work check ("off", "near-limit": only once an address has sent half
# its hourly limit, or "always").
RESPONSE_MAX_UPLOAD_BYTES = int(os.environ.get("RESPONSE_MAX_UPLOAD_MB", "20")) * 1024 * 1024
RESPONSE_SUBMIT_RATE_LIMIT = int(os.environ.get("RESPONSE_SUBMIT_RATE_LIMIT", "20"))
RESPONSE_FORM_RATE_LIMIT = int(os.environ.get("RESPONSE_FORM_RATE_LIMIT", "600"))
RESPONSE_PROOF_OF_WORK = os.environ.get("RESPONSE_PROOF_OF_WORK", "near-limit")
RESPONSE_PROOF_OF_WORK_BITS = int(os.environ.get("RESPONSE_PROOF_OF_WORK_BITS", "16"))
RESPONSE_PROOF_OF_WORK_WAIT_SECONDS = int(
    os.environ.get("RESPONSE_PROOF_OF_WORK_WAIT_SECONDS", "15")
)

# The read API and open data (see the README): requests per window from one address without
# a key, and with a key (0: no limit); requests for keys per address per hour; where the
# nightly open-data export is written and served from.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "1000"))
API_RATE_LIMIT_WINDOW_SECONDS = int(os.environ.get("API_RATE_LIMIT_WINDOW_SECONDS", "3600"))
API_KEY_RATE_LIMIT = int(os.environ.get("API_KEY_RATE_LIMIT", "0"))
API_KEY_REQUEST_RATE_LIMIT = int(os.environ.get("API_KEY_REQUEST_RATE_LIMIT", "5"))
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", str(VAR_DIR / "open-data")))
OPEN_DATA_EXPORT_HOUR = int(os.environ.get("OPEN_DATA_EXPORT_HOUR", "2"))
OPEN_DATA_REFRESH_DEBOUNCE_SECONDS = int(
    os.environ.get("OPEN_DATA_REFRESH_DEBOUNCE_SECONDS", "300")
)
OPEN_DATA_REFRESH_MAX_DELAY_SECONDS = int(
    os.environ.get("OPEN_DATA_REFRESH_MAX_DELAY_SECONDS", "3600")
)

# Response analysis (see the README): engine worker processes per run, how long a run may
# report no progress before it is taken for dead, and the size of the demo consultation.
ANALYSIS_WORKERS = int(os.environ.get("ANALYSIS_WORKERS", "1"))
ANALYSIS_RUN_TIMEOUT_MINUTES = int(os.environ.get("ANALYSIS_RUN_TIMEOUT_MINUTES", "30"))
DEMO_ANALYSIS_RESPONSES = int(os.environ.get("DEMO_ANALYSIS_RESPONSES", "3000"))
