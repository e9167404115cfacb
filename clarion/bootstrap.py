"""Start Django for the command line: settings, the data directory, migrations."""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_ready = False
_migrated = False


def setup() -> None:
    """Configure Django (idempotent)."""
    global _ready
    with _lock:
        if _ready:
            return
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clarion.settings")
        import django
        from django.conf import settings

        from clarion.conf import private_dir

        django.setup()
        private_dir(settings.CLARION_HOME)
        _ready = True


def ensure_database() -> int:
    """Apply pending migrations so a user never runs ``migrate`` by hand; return how many."""
    global _migrated
    setup()
    with _lock:
        if _migrated:
            return 0
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        if pending:
            call_command("migrate", interactive=False, verbosity=0)
        _migrated = True
        return pending
