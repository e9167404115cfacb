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


def test_a_person_of_another_workspace_sees_none_of_it(browser, live_server, owner, outsider):
    from clarion.campaigns.services import create_campaign
    from tests.factories import make_brand
    from tests.publishing.helpers import make_plan

    brand = make_brand()
    campaign = create_campaign(brand=brand, goal="Win remote workers", phase_count=3)
    make_plan(brand)
    post = campaign.posts.order_by("pk").first()
    context = signed_in_context(browser, live_server, outsider)
    tab = context.new_page()

    for path in [
        f"/campaigns/{campaign.campaign_id}/",
        f"/posts/{post.pk}/",
        f"/calendar/?brand={brand.slug}",
    ]:
        response = tab.goto(path)
        assert response.status == 404, path
    tab.goto("/campaigns/")
    assert campaign.name not in tab.content()
    assert brand.brand_name not in tab.content()
    tab.goto("/")
    assert tab.locator("#brand-count").inner_text() == "0"
    context.close()


def test_a_person_plans_a_campaign_watches_it_fill_and_runs_today_dry(page, settings, tmp_path):
    from django.utils import timezone
    from playwright.sync_api import expect

    from clarion.campaigns.content import generate_content
    from clarion.campaigns.models import Campaign
    from clarion.publishing.models import Publication
    from tests.factories import live_worker, make_brand
    from tests.publishing.helpers import make_plan

    settings.MEDIA_ROOT = tmp_path / "media"
    live_worker()
    brand = make_brand()
    make_plan(brand, day=timezone.localdate(), networks=("LinkedIn", "X"))

    page.goto("/campaigns/")
    page.fill("textarea[name=goal]", "Win remote workers over to the subscription")
    page.fill("input[name=phase_count]", "3")
    page.click("text=Plan the campaign")
    expect(page.locator("svg.canvas a.node")).not_to_have_count(0)
    expect(page.locator("#progress")).to_contain_text("Writing content in the background")

    # The worker writes the posts; the canvas follows without a reload.
    generate_content(campaign=Campaign.objects.get())
    expect(page.locator("#progress")).to_be_empty(timeout=15_000)
    expect(page.locator("svg.canvas a.node.status-draft")).to_have_count(0)

    page.goto("/publishing/")
    page.get_by_role("button", name="Run today (dry run)").click()
    expect(page.locator("body")).to_contain_text(
        "Dry run: 2 posts written and checked, nothing published."
    )
    assert not Publication.objects.filter(state="published").exists()
