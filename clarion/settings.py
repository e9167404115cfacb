"""Django settings for Clarion, read from environment variables (see ``clarion.conf``).

With nothing set, Clarion runs on an embedded SQLite database in ``CLARION_HOME``,
the offline LLM engine and the outbox channel.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from clarion.conf import (
    data_dir,
    env_bool,
    env_float,
    env_int,
    env_networks,
    env_prices,
    env_rates,
    env_str,
    private_dir,
)

BASE_DIR = Path(__file__).resolve().parent
CLARION_HOME = data_dir()


def _secret_key() -> str:
    configured = env_str("CLARION_SECRET_KEY")
    if configured:
        return configured
    key_file = CLARION_HOME / "secret.key"
    if not key_file.exists():
        private_dir(key_file.parent)
        # Written 0600 under a temporary name, then linked into place: never readable
        # by others, never seen half-written, and the first of two processes wins.
        temporary = key_file.with_name(f".secret.key.{os.getpid()}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CLARION_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in env_str("CLARION_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_str("CLARION_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()
]

# --- Security headers and cookies ---
# SecurityMiddleware sends nosniff, a same-origin referrer policy and COOP; pages may not be
# framed. Behind HTTPS (CLARION_HTTPS=true, with a proxy in front that sets
# X-Forwarded-Proto), cookies are sent over HTTPS only, plain HTTP is redirected and browsers
# are told to keep to HTTPS (HSTS) for CLARION_HSTS_SECONDS.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CLARION_HTTPS = env_bool("CLARION_HTTPS", False)
if CLARION_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # /health stays reachable over plain HTTP for a load balancer's checks.
    SECURE_REDIRECT_EXEMPT = [r"^health$"]
    SECURE_HSTS_SECONDS = env_int("CLARION_HSTS_SECONDS", 31_536_000, minimum=0)

INSTALLED_APPS = [
    "clarion.core.admin_app.AdminConfig",  # Django's admin, signing in on Clarion's page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Ninja as an app: the API docs use the Swagger UI it ships (served from /static/),
    # not a CDN, so /api/docs works without internet.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_htmx",
    "template_partials",  # named partials: a page's fragments rendered alone for htmx
    "clarion.core",
    "clarion.accounts",
    "clarion.brands",
    "clarion.agents",
    "clarion.writing",
    "clarion.campaigns",
    "clarion.planning",
    "clarion.publishing",
    "clarion.analytics",
    "clarion.audit",
    "clarion.webhooks",
    "clarion.crm",
    "clarion.automation",
    "clarion.api",
    "clarion.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing past this point without a person: a token or a session for /api/ (401
    # otherwise), a session for pages (the sign-in page otherwise).
    "clarion.accounts.auth.SignInRequired",
    # Who acts, for the audit log: the request's person, token and address.
    "clarion.audit.context.AuditContext",
    # Before any view reads the request: control characters never reach a view, and a
    # body is JSON only as application/json.
    "clarion.api.middleware.RefuseControlCharacters",
    "clarion.api.middleware.RequireJsonBodies",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

# --- People: Django's users, the e-mail address as the user name ---
AUTHENTICATION_BACKENDS = [
    # First: django-axes refuses sign-ins from a locked-out address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CLARION_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
# The link `clarion serve` prints for the first owner is valid this long.
CLARION_SETUP_LINK_HOURS = env_int("CLARION_SETUP_LINK_HOURS", 24, minimum=1)
# Sign-in throttling (django-axes): this many failures for one e-mail address from one
# client lock that pair out for the cool-off time; a success resets the count.
AXES_FAILURE_LIMIT = env_int("CLARION_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CLARION_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# The client's address, for throttling and the audit log alike: REMOTE_ADDR, or behind one
# of CLARION_TRUSTED_PROXIES (addresses or networks, comma-separated) the nearest address
# in X-Forwarded-For that is not one of them. Without trusted proxies the header is ignored.
CLARION_TRUSTED_PROXIES = env_networks("CLARION_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "clarion.audit.context.client_ip"

ROOT_URLCONF = "clarion.urls"
WSGI_APPLICATION = "clarion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clarion.web.shell.shell",
            ],
        },
    },
]

# --- Database: embedded SQLite (WAL, busy timeout) unless DATABASE_URL is set ---
# Clarion's SQLite backend is Django's, creating the database (and its WAL) 0600.
SQLITE_ENGINE = "clarion.core.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
# Why DATABASE_URL cannot be used ("" when it can): every command stops with it and the fix
# (``clarion.bootstrap.ensure_database``), and `clarion doctor` shows it, instead of a traceback.
DATABASE_URL_ERROR = ""
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        }
    except ValueError as exc:
        DATABASE_URL_ERROR = (
            "unknown scheme"
            if isinstance(exc, dj_database_url.UnknownSchemeError)
            else "not a valid URL"
        )
        DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(CLARION_HOME / "clarion.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while a writer writes; the busy timeout makes
                # concurrent writers wait for the lock instead of failing at once.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("CLARION_SQLITE_BUSY_TIMEOUT", 30, minimum=1),
            },
            # In memory unless asked otherwise (named, so that each pytest-xdist worker
            # keeps its own in-memory database rather than a file name made from ours).
            "TEST": {"NAME": str(CLARION_HOME / "test-clarion.sqlite3")}
            if env_bool("CLARION_TEST_FILE_DB", False)
            else {"NAME": ":memory:"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: django-tasks with the database backend (same database) ---
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
CLARION_WORKER_HEARTBEAT_SECONDS = env_int("CLARION_WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
# A post due longer ago than this and not published is overdue (/health, doctor).
CLARION_OVERDUE_MINUTES = env_int("CLARION_OVERDUE_MINUTES", 15, minimum=1)

# --- LLM layer ---
CLARION_LLM = env_str("CLARION_LLM", "auto")
CLARION_LLM_BASE_URL = env_str("CLARION_LLM_BASE_URL")
CLARION_LLM_API_KEY = env_str("CLARION_LLM_API_KEY")
CLARION_OLLAMA_URL = env_str("CLARION_OLLAMA_URL", "http://localhost:11434")
CLARION_OLLAMA_MODEL = env_str("CLARION_OLLAMA_MODEL", "llama3.2")
CLARION_LLM_PROBE_TIMEOUT = env_float("CLARION_LLM_PROBE_TIMEOUT", 0.5, minimum=0.05)
CLARION_LLM_TIMEOUT = env_float("CLARION_LLM_TIMEOUT", 120.0, minimum=1.0)
CLARION_LLM_MAX_CONCURRENCY = env_int("CLARION_LLM_MAX_CONCURRENCY", 4, minimum=1, maximum=256)
# Requests a minute per provider, for every process together: "500" (every provider) or
# "openai=500,anthropic=50"; empty or 0: no budget.
CLARION_LLM_REQUESTS_PER_MINUTE = env_rates("CLARION_LLM_REQUESTS_PER_MINUTE")
# Dollars per million input/output tokens by model, on top of clarion.agents.prices'
# list prices: "openai:gpt-4o=2.5/10,openai-compatible:house-model=0.2/0.6".
CLARION_LLM_PRICES = env_prices("CLARION_LLM_PRICES")
CLARION_LLM_MAX_RETRIES = env_int("CLARION_LLM_MAX_RETRIES", 3, minimum=0, maximum=10)
CLARION_LLM_OUTPUT_RETRIES = env_int("CLARION_LLM_OUTPUT_RETRIES", 2, minimum=0, maximum=10)
CLARION_LLM_RETRY_BACKOFF = env_float("CLARION_LLM_RETRY_BACKOFF", 1.0, minimum=0.0)
CLARION_LLM_RUN_REQUEST_LIMIT = env_int("CLARION_LLM_RUN_REQUEST_LIMIT", 500, minimum=1)
CLARION_LLM_RUN_TOKEN_LIMIT = env_int("CLARION_LLM_RUN_TOKEN_LIMIT", 2_000_000, minimum=1)
# How many plans the strategist may propose before a campaign request fails.
CLARION_STRATEGY_PLAN_ATTEMPTS = env_int("CLARION_STRATEGY_PLAN_ATTEMPTS", 3, minimum=1, maximum=10)
CLARION_MAX_TURNS = env_int("CLARION_MAX_TURNS", 5, minimum=1, maximum=10)
# A session or job held by a process without a heartbeat (a command, the web server) and
# untouched this long is taken to be orphaned. A dead `clarion worker` is noticed sooner:
# after three missed heartbeats.
CLARION_SESSION_LEASE_SECONDS = env_int("CLARION_SESSION_LEASE_SECONDS", 1800, minimum=10)
# Times a task or session whose process died is taken back; after that it is failed
# (work that kills every worker that runs it must not kill them all).
CLARION_MAX_RECOVERIES = env_int("CLARION_MAX_RECOVERIES", 3, minimum=0, maximum=100)

# --- Secrets at rest (channel tokens): comma-separated Fernet keys, the first one encrypts ---
# Empty: a key derived from SECRET_KEY. Malformed keys are reported by check clarion.E003.
CLARION_ENCRYPTION_KEYS = [
    k.strip() for k in env_str("CLARION_ENCRYPTION_KEYS").split(",") if k.strip()
]

# --- Publishing (the daily orchestrator and the ledger) ---
# HMAC key that signs content packages; empty: derived from SECRET_KEY.
CLARION_PACKAGE_SECRET = env_str("CLARION_PACKAGE_SECRET")
# Slots worked on at once (threads) in one process; 0: twice the model's bound, so that
# writing keeps the bound full.
CLARION_PUBLISH_CONCURRENCY = env_int("CLARION_PUBLISH_CONCURRENCY", 0, minimum=0, maximum=64)
# A claim lasts this long unless its process renews it (every third of it, while it
# works the row); a dead process's rows are recovered by another worker after it.
CLARION_PUBLISH_LEASE_SECONDS = env_int("CLARION_PUBLISH_LEASE_SECONDS", 60, minimum=1)
# Sends of one row within one claim (a short wait in between); longer waits defer the row.
CLARION_PUBLISH_MAX_ATTEMPTS = env_int("CLARION_PUBLISH_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
CLARION_PUBLISH_RETRY_BACKOFF = env_float("CLARION_PUBLISH_RETRY_BACKOFF", 1.0, minimum=0.0)
CLARION_PUBLISH_TIMEOUT = env_float("CLARION_PUBLISH_TIMEOUT", 10.0, minimum=0.01)
# A retryable failure (rate limit, network down) is deferred and tried again for this long
# before the row is failed.
CLARION_PUBLISH_RETRY_HOURS = env_float("CLARION_PUBLISH_RETRY_HOURS", 6.0, minimum=0.0)
# After an unknown outcome, wait this long before asking the network whether the post exists.
CLARION_PUBLISH_RECONCILE_DELAY = env_float("CLARION_PUBLISH_RECONCILE_DELAY", 30.0, minimum=0.0)
# A run by hand (CLI, API) waits this long at most for its deferred rows before returning.
CLARION_PUBLISH_MAX_WAIT = env_float("CLARION_PUBLISH_MAX_WAIT", 60.0, minimum=0.0)
# A signed content package is valid this long after it is made, and only once.
CLARION_PACKAGE_TTL_SECONDS = env_int("CLARION_PACKAGE_TTL_SECONDS", 900, minimum=1)
# Packages, outbox files and agent logs older than this many days are deleted (the audit
# log is kept).
CLARION_RETENTION_DAYS = env_int("CLARION_RETENTION_DAYS", 90, minimum=1)

# --- Webhooks ---
# Seconds a receiver has to answer; attempts at one delivery before it is failed; the wait
# before the second attempt (doubling after each failure, at most 6 hours).
CLARION_WEBHOOK_TIMEOUT = env_float("CLARION_WEBHOOK_TIMEOUT", 10.0, minimum=0.1)
CLARION_WEBHOOK_MAX_ATTEMPTS = env_int("CLARION_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1, maximum=50)
CLARION_WEBHOOK_RETRY_SECONDS = env_float("CLARION_WEBHOOK_RETRY_SECONDS", 30.0, minimum=0.0)

# --- Internationalisation ---
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("CLARION_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CLARION_HOME / "static"
# Clarion serves its own static files (the API docs' Swagger UI, the admin's styles) with
# WhiteNoise, straight from the installed packages (no collectstatic needed), so the docs and
# the admin work under any WSGI server. Set it to false when a web server in front serves
# STATIC_ROOT (after `clarion manage collectstatic`).
CLARION_SERVE_STATIC = env_bool("CLARION_SERVE_STATIC", True)
if CLARION_SERVE_STATIC:
    MIDDLEWARE.insert(1, "clarion.core.static.StaticFiles")
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = CLARION_HOME / "media"

# Successful requests to these paths (regular expressions) stay out of the request log:
# the dashboard polls the campaign graph every few seconds.
CLARION_LOG_QUIET_PATHS = [
    p.strip()
    for p in env_str("CLARION_LOG_QUIET_PATHS", r"^/api/campaigns/[^/]+/graph$").split(",")
    if p.strip()
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_polling": {"()": "clarion.core.logging.DropPollingRequests"}},
    "formatters": {
        "plain": {
            "()": "clarion.core.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["quiet_polling"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("CLARION_LOG_LEVEL", "WARNING")},
    "loggers": {
        "clarion": {"level": env_str("CLARION_LOG_LEVEL", "INFO"), "propagate": True},
        "httpx": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- API ---
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
NINJA_PAGINATION_MAX_OFFSET = 1_000_000
