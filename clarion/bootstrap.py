"""Start Django for the command line: settings, the data directory, migrations."""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_ready = False
_migrated = False
_unusable = ""  # why the database cannot be used at all, found before Django starts


def setup() -> None:
    """Configure Django (idempotent).

    A DATABASE_URL Clarion cannot parse, or whose driver is not installed, does not stop
    Django from starting: the database is replaced by Django's dummy backend and
    ``ensure_database`` says what is wrong (so `clarion doctor` can show it too).
    """
    global _ready, _unusable
    with _lock:
        if _ready:
            return
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clarion.settings")
        import django
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.db.utils import load_backend

        from clarion.conf import private_dir

        database = settings.DATABASES["default"]
        if settings.DATABASE_URL_ERROR:
            _unusable = _bad_url(settings.DATABASE_URL, settings.DATABASE_URL_ERROR)
        else:
            try:  # the models load the backend: a missing driver would stop django.setup()
                load_backend(database["ENGINE"])
            except (ImproperlyConfigured, ImportError) as exc:
                _unusable = database_problem(exc)
                database["ENGINE"] = "django.db.backends.dummy"
        django.setup()
        private_dir(settings.CLARION_HOME)
        _ready = True


def ensure_database() -> int:
    """Apply pending migrations so a user never runs ``migrate`` by hand; return how many.

    A database Clarion cannot use (a bad DATABASE_URL, a server that is down, a missing
    database or driver) raises ConfigError: one line that says how to fix it.
    """
    global _migrated
    setup()
    with _lock:
        if _migrated:
            return 0
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import call_command
        from django.db import DatabaseError, OperationalError, ProgrammingError, connection
        from django.db.migrations.executor import MigrationExecutor

        from clarion.conf import ConfigError

        if _unusable:
            raise ConfigError(_unusable)
        try:
            connection.ensure_connection()
        except (DatabaseError, ImproperlyConfigured, ImportError) as exc:
            raise ConfigError(database_problem(exc)) from None
        try:
            executor = MigrationExecutor(connection)
            pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
            if pending:
                call_command("migrate", interactive=False, verbosity=0)
        except (OperationalError, ProgrammingError) as exc:  # no rights, locked, gone away
            raise ConfigError(database_problem(exc)) from None
        _migrated = True
        return pending


_SERVERS = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite", "oracle": "Oracle"}
_UNREACHABLE = (
    ("connection refused", "connection refused"),
    ("can't connect to", "connection refused"),
    ("timeout expired", "timed out"),
    ("timed out", "timed out"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("nodename nor servname", "unknown host"),
    ("unknown mysql server host", "unknown host"),
    ("no such file or directory", "no server socket"),
    ("no route to host", "no route to host"),
    ("network is unreachable", "network unreachable"),
)
_LOGIN_REFUSED = ("password authentication failed", "authentication failed", "access denied")


def _server() -> str:
    from django.conf import settings

    engine = str(settings.DATABASES["default"].get("ENGINE", ""))
    return next((name for key, name in _SERVERS.items() if key in engine), "the database server")


def _where() -> str:
    """The database as the user named it, without its password."""
    from django.conf import settings

    from clarion.core.redact import redact_url

    if settings.DATABASE_URL:
        return redact_url(settings.DATABASE_URL)
    return str(settings.DATABASES["default"].get("NAME", ""))


def _bad_url(url: str, error: str) -> str:
    from urllib.parse import urlsplit

    from clarion.core.redact import redact_url

    shown = redact_url(url)
    if error == "unknown scheme":
        scheme = urlsplit(url).scheme if "://" in url else ""
        error = f"unknown scheme {scheme + '://' if scheme else '(none)'}"
    return (
        f"DATABASE_URL={shown}: {error}; use a postgres://, mysql:// or sqlite:// URL "
        "(special characters in the password %-quoted), or unset it for the SQLite "
        "database in CLARION_HOME"
    )


def database_problem(exc: BaseException) -> str:
    """One line saying why the database cannot be used and how to fix it."""
    import re

    from django.conf import settings

    from clarion.core.redact import redact_text

    text = str(exc).strip()
    lowered = text.lower()
    server, where = _server(), _where()
    name = str(settings.DATABASES["default"].get("NAME", ""))
    if isinstance(exc, ImportError) or "error loading" in lowered or "did you install" in lowered:
        wanted = re.search(r"did you install ([\w.\-]+)", text, re.IGNORECASE)
        install = f"`pip install {wanted.group(1)}`" if wanted else f"install the {server} driver"
        return (
            f"DATABASE_URL={where} needs the {server} driver, which is not installed: "
            f"{install}, or use a postgres:// or sqlite:// URL"
        )
    if server == "SQLite" and "unable to open database file" in lowered:
        return (
            f"cannot open the SQLite database {name} (unable to open database file): "
            "make sure its directory exists and is writable, or fix DATABASE_URL / CLARION_HOME"
        )
    if ("does not exist" in lowered and "database" in lowered) or "unknown database" in lowered:
        return (
            f"the database {name!r} does not exist at {where}: create it "
            f"(`createdb {name}` for PostgreSQL) or fix DATABASE_URL"
        )
    if any(marker in lowered for marker in _LOGIN_REFUSED) or (
        "role" in lowered and "does not exist" in lowered
    ):
        return (
            f"{server} refused the login at {where}: fix the user name or password in DATABASE_URL"
        )
    for marker, reason in _UNREACHABLE:
        if marker in lowered:
            return f"cannot reach the database at {where} ({reason}): start {server} or fix DATABASE_URL"
    first = redact_text(text.splitlines()[0] if text else type(exc).__name__)
    return f"cannot use the database at {where}: {first}: fix DATABASE_URL"
