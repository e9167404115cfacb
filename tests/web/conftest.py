"""Browser tests: Debian's Chromium driven by Playwright, against a live Clarion server.

``page`` is a browser tab signed in as the owner; a failing test saves its screenshot
under ``$CLARION_SCREENSHOT_DIR`` (default: ``tests/web/screenshots/``, ignored by git).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

CHROMIUM = os.environ.get("CLARION_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CLARION_SCREENSHOT_DIR", Path(__file__).parent / "screenshots"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: Playwright's loop runs in this thread while it is open,
    so it must be closed before tests that run their own event loop."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def signed_in_context(browser, live_server, user, *, viewport=None):
    """A browser context with ``user``'s session cookie (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport or {"width": 1280, "height": 860}
    )
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(request, browser, live_server, owner) -> Iterator:
    """A tab signed in as the owner; its screenshot is saved when the test fails."""
    context = signed_in_context(browser, live_server, owner)
    tab = context.new_page()
    yield tab
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    if failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
