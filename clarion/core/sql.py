"""SQL expressions Django lacks on both of our databases, SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField, F, Func, IntegerField

SEPARATOR = ","


class DistinctList(Aggregate):
    """The distinct non-null values of a text column joined by commas (order not kept):
    ``GROUP_CONCAT(DISTINCT …)`` on SQLite, ``STRING_AGG(DISTINCT …, ',')`` on PostgreSQL.

    For values that cannot hold a comma (identifiers, choices); split with ``split_list``.
    """

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template=f"%(function)s(DISTINCT %(expressions)s, '{SEPARATOR}')",
            **extra,
        )


def split_list(value: str | None) -> list[str]:
    """A ``DistinctList`` result as a sorted list."""
    return sorted(value.split(SEPARATOR)) if value else []


class JsonCount(Func):
    """``column[key]`` of a JSON object column as Python's ``int(value)`` counts it when
    ``isinstance(value, int | float)``: numbers truncated toward zero, ``true`` 1, and
    anything else (absent, null, text, lists, objects, ``false``) 0.

    ``key`` is a fixed metric name (letters and underscores), never user input.
    """

    output_field = IntegerField()

    def __init__(self, column: str, key: str) -> None:
        if not key.replace("_", "").isalpha():
            raise ValueError(f"not a metric name: {key!r}")
        self.key = key
        super().__init__(F(column))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        raise NotImplementedError(f"JsonCount is not written for {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # json_extract gives SQL values: integers, reals, 1/0 for true/false, text for
        # strings, lists and objects, NULL for null or absent; only the numbers count.
        column, params = compiler.compile(self.source_expressions[0])
        value = f"json_extract({column}, %s)"
        path = f'$."{self.key}"'
        sql = (
            f"CASE WHEN typeof({value}) IN ('integer', 'real') "
            f"THEN CAST({value} AS INTEGER) ELSE 0 END"
        )
        return sql, (*params, path, *params, path)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"CASE jsonb_typeof({column} -> %s) "
            f"WHEN 'number' THEN trunc(({column} ->> %s)::numeric) "
            f"WHEN 'boolean' THEN CASE WHEN ({column} ->> %s) = 'true' THEN 1 ELSE 0 END "
            "ELSE 0 END"
        )
        return sql, (*params, self.key, *params, self.key, *params, self.key)


class HourOfTime(Func):
    """The hour (0–23) of a time-of-day column, without Django's per-row Python function
    on SQLite (times are stored there as ``HH:MM:SS`` text)."""

    output_field = IntegerField()

    def __init__(self, column: str) -> None:
        super().__init__(F(column))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        return f"CAST(substr({column}, 1, 2) AS INTEGER)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        return f"CAST(EXTRACT(HOUR FROM {column}) AS integer)", params
