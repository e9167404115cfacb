"""Logging helpers: no secret in any log line, and a request log readable while the dashboard polls."""

from __future__ import annotations

import logging
import re
from functools import cache

from django.conf import settings

from clarion.core.redact import redact_text

_REQUEST_LINE = re.compile(r'"[A-Z]+ (?P<path>[^ ?"]+)')


@cache
def _patterns(raw: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in raw if p)


class DropPollingRequests(logging.Filter):
    """Drop log records of successful requests to the paths the dashboard polls.

    The paths are regular expressions in ``CLARION_LOG_QUIET_PATHS`` (comma
    separated; empty logs every request). Errors (status >= 400) are always kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        patterns = _patterns(tuple(settings.CLARION_LOG_QUIET_PATHS))
        if not patterns:
            return True
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status >= 400:
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if not isinstance(path, str):
            match = _REQUEST_LINE.search(record.getMessage())
            path = match.group("path") if match else None
        return path is None or not any(p.search(path) for p in patterns)


class RedactingFormatter(logging.Formatter):
    """Format as usual, then hide URL credentials, tokens and configured secrets (tracebacks too)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))
