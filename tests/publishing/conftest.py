from __future__ import annotations

from collections.abc import Iterator

import pytest

from clarion.testing.fake_network import FakeNetwork


@pytest.fixture(autouse=True)
def _publishing_settings(settings, tmp_path):
    settings.CLARION_HOME = tmp_path
    settings.CLARION_PUBLISH_CONCURRENCY = 1
    settings.CLARION_PUBLISH_RETRY_BACKOFF = 0.0
    settings.CLARION_PUBLISH_TIMEOUT = 0.5
    settings.CLARION_PUBLISH_RECONCILE_DELAY = 0.0
    settings.CLARION_PUBLISH_MAX_WAIT = 5.0
    settings.CLARION_PACKAGE_SECRET = "test-package-secret-" * 2


@pytest.fixture
def network() -> Iterator[FakeNetwork]:
    with FakeNetwork(token="fake-token") as server:
        yield server
