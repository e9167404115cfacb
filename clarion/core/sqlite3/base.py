"""Django's SQLite backend, creating the database file 0600 before SQLite opens it.

SQLite gives its -wal, -shm and -journal files the permissions of the database
file, so they are private too. Files an older version left readable by others
are tightened on the next connection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

PRIVATE = 0o600
_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_database_file(name: str) -> None:
    """Create ``name`` empty and 0600 when it does not exist; make it and its companions 0600."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return  # an in-memory database: no file
    try:
        os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
    except FileExistsError:
        pass
    except OSError:
        return  # no such directory, say: SQLite reports it when it opens the file
    for suffix in _COMPANIONS:
        path = Path(name + suffix)
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE)
        except OSError:  # absent, or owned by someone else: leave it
            continue


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        private_database_file(str(conn_params["database"]))
        return super().get_new_connection(conn_params)
