"""The request log leaves out the dashboard's polling of the campaign graph."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from clarion.core.logging import DropPollingRequests


def server_record(path: str, status: str = "200") -> logging.LogRecord:
    """A record as Django's development server logs a request."""
    return logging.makeLogRecord(
        {
            "name": "django.server",
            "msg": '"%s" %s %s',
            "args": (f"GET {path} HTTP/1.1", status, "512"),
            "status_code": int(status),
        }
    )


@pytest.mark.parametrize(
    ("path", "status", "kept"),
    [
        ("/api/campaigns/campaign_001/graph", "200", False),
        ("/api/campaigns/campaign_001/graph?since=3", "200", False),
        ("/api/campaigns/campaign_001/graph", "404", True),
        ("/api/campaigns/campaign_001", "200", True),
        ("/api/campaigns/campaign_001/chat", "200", True),
    ],
)
def test_polling_requests_are_dropped_and_others_kept(path, status, kept):
    assert DropPollingRequests().filter(server_record(path, status)) is kept


def test_records_carrying_the_request_are_filtered_by_its_path():
    record = logging.makeLogRecord({"name": "django.request", "msg": "Slow"})
    record.request = RequestFactory().get("/api/campaigns/x/graph")
    assert DropPollingRequests().filter(record) is False


def test_the_quiet_paths_are_configurable(settings):
    settings.CLARION_LOG_QUIET_PATHS = []
    assert DropPollingRequests().filter(server_record("/api/campaigns/c/graph")) is True
    settings.CLARION_LOG_QUIET_PATHS = [r"^/api/brands$"]
    assert DropPollingRequests().filter(server_record("/api/brands")) is False


def test_the_development_server_log_uses_the_filter():
    handlers = logging.getLogger("django.server").handlers
    assert any(isinstance(f, DropPollingRequests) for h in handlers for f in h.filters)
