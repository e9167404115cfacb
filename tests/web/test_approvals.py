"""Approvals, publishing and brands in a real browser: approve, edit, reject from the
queue; see a failed publication's error in words and retry it; make a brand in the form."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clarion.brands.models import Brand
from clarion.publishing.models import Publication
from clarion.publishing.services import run_daily
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_thread(settings, tmp_path):
    settings.CLARION_HOME = tmp_path
    settings.CLARION_PUBLISH_CONCURRENCY = 1
    settings.CLARION_PUBLISH_MAX_WAIT = 0.0


def test_a_person_makes_a_brand_then_approves_edits_and_rejects_its_posts(page):
    page.goto("/brands/new/")
    page.get_by_label("Brand name").fill("Northwind Coffee")
    page.get_by_label("Positioning").fill("Small-batch coffee roasted to order.")
    page.get_by_label("Calls to action").fill("subscribe\nfree tasting kit")
    page.get_by_label("Banned terms").fill("cheap")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Create the brand").click()
    assert "unknown time zone 'Mars/Olympus'" in page.locator("#errors-timezone").inner_text()
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Create the brand").click()
    page.get_by_text("Northwind Coffee is ready.").wait_for()
    brand = Brand.objects.get()
    assert brand.approval_required is True  # the web app's default
    assert brand.cta_targets == ["subscribe", "free tasting kit"]

    today = timezone.localdate()
    make_plan(brand, day=today, networks=("LinkedIn", "X", "Facebook"))
    run_daily(date=today, brands=[brand])
    rows = {p.network: p for p in Publication.objects.all()}

    page.goto("/approvals/")
    assert page.locator("#nav-count-approvals").inner_text() == "3"

    linkedin = page.locator(f"#approval-{rows['LinkedIn'].pk}")
    linkedin.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved: it goes out at its time.").wait_for()
    assert page.locator("#nav-count-approvals").inner_text() == "2"

    x_row = page.locator(f"#approval-{rows['X'].pk}")
    x_row.get_by_text("Edit, then approve").click()
    x_row.locator("textarea").fill("Subscribe now. " + "x" * 300)
    x_row.get_by_role("button", name="Approve the edited text").click()
    reason = page.locator(f"#approval-{rows['X'].pk} [role=alert]")
    reason.wait_for()
    assert "280" in reason.inner_text()

    facebook = page.locator(f"#approval-{rows['Facebook'].pk}")
    facebook.get_by_text("Reject").first.click()
    facebook.get_by_label("Comment").fill("not this week")
    facebook.get_by_role("button", name="Reject").click()
    page.get_by_text("Rejected: it will not be sent.").wait_for()
    assert page.locator("#nav-count-approvals").inner_text() == "1"

    states = dict(Publication.objects.values_list("network", "state"))
    assert states == {"LinkedIn": "pending", "X": "awaiting_approval", "Facebook": "failed"}

    page.reload()
    page.locator(f"#approval-{rows['X'].pk} input[name=ids]").check()
    page.get_by_role("button", name="Approve selected").click()
    page.get_by_text("Approved 1 post: each goes out at its time.").wait_for()
    assert page.locator("#approvals-waiting").inner_text() == "0"
    assert Publication.objects.get(network="X").state == "pending"


def test_a_person_sees_why_a_post_failed_and_retries_it(page):
    brand = make_brand()
    make_plan(brand, guidelines={"banned_terms": ["roasted beans"]}, networks=("X",))
    run_daily(date=DAY, brands=[brand])

    page.goto(f"/publishing/?date={DAY}")
    row = page.locator("table.day-table tbody tr").first
    assert "failed" in row.inner_text()
    assert "The text failed the checks — validation failed: Banned terms used" in row.inner_text()

    make_plan(brand, guidelines={}, networks=("X",))
    page.get_by_role("button", name="Retry 1 failed on X").click()
    page.locator("#run-result").wait_for()
    assert "Retry of 10 Mar 2026" in page.locator("#run-result").inner_text()
    assert "published" in page.locator("table.day-table tbody tr").first.inner_text()
    assert Publication.objects.get().state == "published"


def test_the_pages_fit_a_phone(browser, live_server, owner):
    from tests.web.conftest import signed_in_context

    brand = make_brand(approval_required=True)
    make_plan(brand, day=DAY)
    run_daily(date=DAY, brands=[brand])
    context = signed_in_context(browser, live_server, owner, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    for path in ("/approvals/", f"/publishing/?date={DAY}", "/brands/", "/brands/new/", "/jobs/"):
        tab.goto(path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    assert Brand.objects.count() == 1
    context.close()
