"""The campaign canvas in a real browser: open it, a post, a variant, the chat, versions.

With ``CLARION_README_SCREENSHOTS`` set, the canvas and the post panel are saved to
``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clarion.campaigns import services
from clarion.campaigns.content import generate_content
from clarion.campaigns.media import render_card
from clarion.campaigns.models import Campaign
from tests.campaigns.test_pages import write_content
from tests.factories import live_worker, make_brand
from tests.web.conftest import signed_in_context

pytestmark = pytest.mark.django_db(transaction=True)

README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GOAL = "Win 500 subscribers for the new single-origin subscription among remote workers."


def shoot(target, name: str) -> None:
    if os.environ.get("CLARION_README_SCREENSHOTS"):
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(README_SHOTS / name))


@pytest.fixture
def campaign(settings, tmp_path) -> Campaign:
    settings.MEDIA_ROOT = tmp_path / "media"
    live_worker()  # the frame's "no worker" banner would hide what the page shows
    planned = services.create_campaign(
        brand=make_brand(),
        goal=GOAL,
        name="Single-origin launch",
        phase_count=5,
        generate_content=False,
    )
    write_content(planned)
    for post in planned.posts.all():
        render_card(post=post)
    planned.refresh_from_db()
    return planned


def test_the_canvas_journey(page, campaign):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/campaigns/{campaign.campaign_id}/")
    posts = campaign.posts.filter(is_active=True).count()
    expect(page.locator("svg.canvas a.node")).to_have_count(posts)
    expect(page.locator("svg.canvas path.link")).not_to_have_count(0)
    shoot(page, "canvas.png")

    # A post: its variants side by side per network, then another variant chosen.
    first = campaign.posts.filter(is_active=True).order_by("phase", "position").first()
    page.locator(f'a.node[data-post-id="{first.post_id}"]').click()
    panel = page.locator("#panel")
    expect(panel.get_by_role("heading", name=first.title)).to_be_visible()
    expect(panel.locator("h3.network")).to_have_count(3)
    expect(panel.locator(".variant")).to_have_count(6)
    shoot(panel, "post-panel.png")
    panel.locator("button", has_text="Use variant B").first.click()
    expect(page.locator("#panel .notice")).to_have_text("Variant B selected.")
    first.refresh_from_db()
    assert first.selected_variant == "B"

    # An edit that fails the checks says why, and keeps the text for fixing.
    variant = page.locator('#panel .variant[data-platform="X"][data-variant="A"]')
    variant.locator("summary", has_text="Edit text").click()
    variant.locator("textarea").fill("Cheap beans. " * 30)
    variant.locator("button", has_text="Check and save").click()
    problems = page.locator('#panel .variant[data-platform="X"][data-variant="A"] .edit-problems')
    expect(problems).to_contain_text("over the limit of 280 for X")
    expect(problems).to_contain_text("Banned terms used: cheap")

    # The chat box checks a command before it is sent, then regenerates from phase 2.
    box = page.locator("#chat-message")
    box.press_sequentially("!regenerate phase 9 go")
    expect(page.locator("#chat-check")).to_contain_text("phase must be between 1 and 6")
    box.fill("")
    box.press_sequentially("!regenerate phase 2 pivot to developer-first content")
    expect(page.locator("#chat-check .error")).to_have_count(0)
    page.locator("#chat button[type=submit]").click()
    expect(page.locator("#messages")).to_contain_text("Regenerated from phase 2: version 2")
    expect(page.locator("#version-2")).to_contain_text("regenerated")
    expect(page.locator("#progress")).to_contain_text("Writing content in the background")

    # The worker writes the new posts; the progress follows and the canvas refreshes.
    generate_content(campaign=Campaign.objects.get(pk=campaign.pk))
    expect(page.locator("#progress")).to_be_empty(timeout=15_000)
    expect(page.locator("svg.canvas a.node.status-draft")).to_have_count(0)

    # Compare the two versions: the changes are highlighted on the canvas.
    page.select_option("#compare-a", "1")
    page.select_option("#compare-b", "2")
    page.locator(".compare button").click()
    expect(page.locator("#diff")).to_contain_text("v1 → v2")
    expect(page.locator("svg.canvas.comparing")).to_be_visible()
    assert page.locator("svg.canvas a.node.diff-changed, svg.canvas a.node.diff-added").count()
    assert re.search(r"a=1&b=2", page.url)

    # Restore version 1 (after a confirmation): it becomes version 3.
    page.locator("#version-1 button", has_text="Restore").click()
    expect(page.locator("#version-3")).to_contain_text("restored")
    campaign.refresh_from_db()
    assert campaign.current_version == 3


def test_the_canvas_fits_a_phone(browser, live_server, owner, campaign):
    context = signed_in_context(browser, live_server, owner, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"/campaigns/{campaign.campaign_id}/")
    expect(tab.locator("svg.canvas")).to_be_visible()
    tab.locator("a.node").first.click()
    expect(tab.locator("#panel")).to_be_visible()

    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the canvas page scrolls sideways on a phone ({width}px)"
    tab.goto("/campaigns/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
