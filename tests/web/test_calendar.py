"""The calendar and analytics pages in a real browser: generate a month, open a post's
panel, read the charts.

With ``CLARION_README_SCREENSHOTS`` set, the calendar is saved as
``docs/screenshots/calendar.png`` for the README.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from clarion.planning.models import MonthlyPlan
from clarion.publishing.models import ErrorKind, Publication, PublicationState
from clarion.publishing.services import run_daily
from tests.factories import live_worker, make_brand

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _outbox_in_tmp(settings, tmp_path):
    """Posts the outbox "publishes" go to files under the test's own directory."""
    settings.CLARION_HOME = tmp_path


README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _readme_screenshot(tab, name: str) -> None:
    if os.environ.get("CLARION_README_SCREENSHOTS"):
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(README_SHOTS / name), full_page=True)


def _publish_some_of(plan: MonthlyPlan, days: int) -> None:
    """The plan's first ``days`` days run (outbox): one post failed, one with an unknown
    outcome; the next day written ahead, one of its posts waiting for approval."""
    for offset in range(days):
        run_daily(date=plan.start_date + dt.timedelta(days=offset), brands=[plan.brand])
    rows = Publication.objects.filter(brand=plan.brand).order_by("date", "network")
    failed, unknown = rows[1], rows[4]
    failed.state, failed.error_kind = PublicationState.FAILED, ErrorKind.PERMANENT
    failed.error = "422 from the network: the text is longer than 280 characters"
    failed.remote_id = failed.remote_url = ""
    failed.published_at = None
    failed.save()
    unknown.state, unknown.error_kind = PublicationState.NEEDS_ATTENTION, ErrorKind.UNKNOWN_OUTCOME
    unknown.error = "the connection dropped after the post was sent"
    unknown.remote_id = unknown.remote_url = ""
    unknown.published_at = None
    unknown.save()
    ahead = plan.start_date + dt.timedelta(days=days)
    run_daily(date=ahead, brands=[plan.brand], respect_schedule=True)
    waiting = Publication.objects.filter(brand=plan.brand, date=ahead).order_by("network").first()
    if waiting is not None:
        waiting.state = PublicationState.AWAITING_APPROVAL
        waiting.save()


def test_generate_the_month_open_a_post_and_see_the_charts(page):
    brand = make_brand()
    make_brand(brand_name="Harbour Tea")
    month = timezone.localdate().replace(day=1)

    page.goto("/calendar/")
    assert "Harbour Tea" in page.locator("#no-plan").inner_text()  # the first brand
    with page.expect_navigation():
        page.select_option("#calendar-brand", brand.slug)
    assert "Northwind Coffee" in page.locator("#no-plan").inner_text()
    page.click("#generate-month")
    page.locator("#generate-result").wait_for()
    assert "Planned" in page.locator("#generate-result").inner_text()
    chips = page.locator("#month a.chip")
    plan = MonthlyPlan.objects.get(brand=brand, month=month, is_active=True)
    assert chips.count() == plan.slots.count() > 0
    assert page.locator("#month a.chip.chip-planned").count() == chips.count()

    # Some days run: the chips take the colours of their posts.
    _publish_some_of(plan, days=3)
    live_worker()
    page.reload()
    assert page.locator("#month a.chip.chip-published").count() > 0
    assert page.locator("#month a.chip.chip-failed").count() == 1
    _readme_screenshot(page, "calendar.png")

    page.locator("#month a.chip.chip-failed").click()
    panel = page.locator("#slot-panel")
    panel.locator("#panel-title").wait_for()
    assert "longer than 280 characters" in panel.inner_text()
    page.wait_for_function("document.activeElement.id === 'panel-title'")  # focus follows
    page.locator("#slot-panel .close").click()
    assert page.locator("#slot-panel #panel-title").count() == 0
    page.locator("#month a.chip.chip-published").first.click()
    panel.locator("#remote-link").wait_for()

    page.goto("/analytics/")
    chart = page.locator("svg.chart").first
    chart.wait_for()
    assert "Northwind Coffee" in page.locator("#yesterday").inner_text()


def test_the_calendar_and_analytics_fit_a_phone(browser, live_server, owner):
    from tests.publishing.helpers import make_plan
    from tests.web.conftest import signed_in_context

    brand = make_brand()
    day = timezone.localdate()
    make_plan(brand, day=day.replace(day=1), networks=("LinkedIn", "Facebook", "X"), days=5)
    context = signed_in_context(browser, live_server, owner, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    for url in ("/calendar/", "/analytics/"):
        tab.goto(url)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways on a phone ({width}px)"
    tab.goto("/calendar/")
    tab.locator("#month a.chip").first.click()
    tab.locator("#panel-title").wait_for()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
