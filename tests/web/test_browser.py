"""The web app in a real browser: sign in, the frame, a phone-sized screen."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import signed_in_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_signs_in_and_lands_on_the_overview(browser, live_server, owner):
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/")
    assert "/sign-in/" in tab.url

    tab.fill("input[name=username]", "owner@example.com")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")

    tab.wait_for_url(f"{live_server.url}/")
    assert tab.locator("h1").inner_text() == "Default"
    assert tab.get_by_role("navigation", name="Main").is_visible()
    context.close()


def test_the_frame_fits_a_phone(browser, live_server, owner):
    context = signed_in_context(browser, live_server, owner, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto("/")

    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    context.close()
