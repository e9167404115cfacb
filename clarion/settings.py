"""Django settings for Clarion, read from environment variables (see ``clarion.conf``).

With nothing set, Clarion runs on an embedded SQLite database in ``CLARION_HOME``,
the offline LLM engine and the outbox channel.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from clarion.conf import data_dir, env_bool, env_float, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent
CLARION_HOME = data_dir()


def _secret_key() -> str:
    configured = env_str("CLARION_SECRET_KEY")
    if configured:
        return configured
    key_file = CLARION_HOME / "secret.key"
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
        return key


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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "clarion.core",
    "clarion.brands",
    "clarion.agents",
    "clarion.writing",
    "clarion.campaigns",
    "clarion.planning",
    "clarion.publishing",
    "clarion.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            ],
        },
    },
]

# --- Database: embedded SQLite (WAL, busy timeout) unless DATABASE_URL is set ---
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(CLARION_HOME / "clarion.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while a writer writes; the busy timeout makes
                # concurrent writers wait for the lock instead of failing at once.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("CLARION_SQLITE_BUSY_TIMEOUT", 30, minimum=1),
            },
            "TEST": {"NAME": str(CLARION_HOME / "test-clarion.sqlite3")}
            if env_bool("CLARION_TEST_FILE_DB", False)
            else {},
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

# --- LLM layer ---
CLARION_LLM = env_str("CLARION_LLM", "auto")
CLARION_LLM_BASE_URL = env_str("CLARION_LLM_BASE_URL")
CLARION_LLM_API_KEY = env_str("CLARION_LLM_API_KEY")
CLARION_OLLAMA_URL = env_str("CLARION_OLLAMA_URL", "http://localhost:11434")
CLARION_OLLAMA_MODEL = env_str("CLARION_OLLAMA_MODEL", "llama3.2")
CLARION_LLM_PROBE_TIMEOUT = env_float("CLARION_LLM_PROBE_TIMEOUT", 0.5, minimum=0.05)
CLARION_LLM_TIMEOUT = env_float("CLARION_LLM_TIMEOUT", 120.0, minimum=1.0)
CLARION_LLM_MAX_CONCURRENCY = env_int("CLARION_LLM_MAX_CONCURRENCY", 4, minimum=1, maximum=256)
CLARION_LLM_MAX_RETRIES = env_int("CLARION_LLM_MAX_RETRIES", 3, minimum=0, maximum=10)
CLARION_LLM_OUTPUT_RETRIES = env_int("CLARION_LLM_OUTPUT_RETRIES", 2, minimum=0, maximum=10)
CLARION_LLM_RETRY_BACKOFF = env_float("CLARION_LLM_RETRY_BACKOFF", 1.0, minimum=0.0)
CLARION_LLM_RUN_REQUEST_LIMIT = env_int("CLARION_LLM_RUN_REQUEST_LIMIT", 500, minimum=1)
CLARION_LLM_RUN_TOKEN_LIMIT = env_int("CLARION_LLM_RUN_TOKEN_LIMIT", 2_000_000, minimum=1)
# How many plans the strategist may propose before a campaign request fails.
CLARION_STRATEGY_PLAN_ATTEMPTS = env_int("CLARION_STRATEGY_PLAN_ATTEMPTS", 3, minimum=1, maximum=10)
CLARION_MAX_TURNS = env_int("CLARION_MAX_TURNS", 5, minimum=1, maximum=10)
# A running session untouched this long is taken to be orphaned and is queued again.
CLARION_SESSION_LEASE_SECONDS = env_int("CLARION_SESSION_LEASE_SECONDS", 1800, minimum=10)

# --- Publishing (the daily orchestrator and the ledger) ---
# HMAC key that signs content packages; empty: derived from SECRET_KEY.
CLARION_PACKAGE_SECRET = env_str("CLARION_PACKAGE_SECRET")
# Brands whose daily work runs at once (threads) in one process.
CLARION_PUBLISH_CONCURRENCY = env_int("CLARION_PUBLISH_CONCURRENCY", 4, minimum=1, maximum=64)
# A claimed publication nobody finished within the lease is recovered by another worker.
CLARION_PUBLISH_LEASE_SECONDS = env_int("CLARION_PUBLISH_LEASE_SECONDS", 300, minimum=1)
CLARION_PUBLISH_MAX_ATTEMPTS = env_int("CLARION_PUBLISH_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
CLARION_PUBLISH_RETRY_BACKOFF = env_float("CLARION_PUBLISH_RETRY_BACKOFF", 1.0, minimum=0.0)
CLARION_PUBLISH_TIMEOUT = env_float("CLARION_PUBLISH_TIMEOUT", 10.0, minimum=0.01)
# Packages, outbox files and agent logs older than this many days are deleted.
CLARION_RETENTION_DAYS = env_int("CLARION_RETENTION_DAYS", 90, minimum=1)

# --- Internationalisation ---
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("CLARION_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CLARION_HOME / "static"
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
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
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
