"""Django's SQLite backend, with the database files readable by their owner only."""
