"""The campaign pages: the list, the canvas, the post panel and the chat box."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clarion.campaigns import services
from clarion.campaigns.content import generate_content
from clarion.campaigns.media import render_card
from clarion.campaigns.models import (
    Campaign,
    ContentVariant,
    ConversationMessage,
    Post,
    PostLink,
    PostStatus,
    StrategyVersion,
    VersionKind,
)
from tests.campaigns.factories import make_campaign
from tests.factories import make_brand

pytestmark = pytest.mark.django_db

GOAL = "Win 500 subscribers for the new single-origin subscription."
GOOD_TEXT = "Roasted on Monday, at your door by Wednesday. Subscribe today."


VARIANT_TEXTS = (
    ("A", 0.82, "{title}: roasted on Monday, at your door by Wednesday. Subscribe today."),
    ("B", 0.74, "No stale beans in your cup. {title}, in 48 hours. Get the free tasting kit."),
)


def write_content(campaign: Campaign) -> None:
    """A/B variants on every network for each active post, as the worker leaves them."""
    posts = list(campaign.posts.filter(is_active=True))
    ContentVariant.objects.bulk_create(
        ContentVariant(
            post=post,
            variant_id=variant,
            platform=platform,
            content=text.format(title=post.title),
            metadata={"score": score, "needs_human_review": False},
        )
        for post in posts
        for platform in campaign.platforms
        for variant, score, text in VARIANT_TEXTS
    )
    campaign.posts.filter(pk__in=[p.pk for p in posts]).update(
        status=PostStatus.READY, selected_variant="A"
    )
    Campaign.objects.filter(pk=campaign.pk).update(phase="ready")


@pytest.fixture
def campaign(brand):
    """A campaign planned by the (offline) strategist, with its A/B variants written."""
    planned = services.create_campaign(
        brand=brand, goal=GOAL, name="Spring launch", phase_count=3, generate_content=False
    )
    write_content(planned)
    planned.refresh_from_db()
    return planned


@pytest.fixture
def other_campaign(other_workspace):
    return make_campaign(make_brand(workspace=other_workspace), (2, 2), campaign_id="theirs")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, *args: object) -> str:
    return reverse(f"campaigns:{name}", args=args)


def first_post(campaign: Campaign) -> Post:
    return campaign.posts.filter(is_active=True).order_by("phase", "position").first()


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


# --- The list ---


def test_the_list_shows_the_workspace_campaigns_with_their_counts(client, campaign, other_campaign):
    response = client.get(url("list-campaigns"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Spring launch" in page
    total = campaign.posts.filter(is_active=True).count()
    assert f"{total} / {total}" in page  # every post has its content
    assert "Northwind Coffee" in page
    assert "theirs" not in page and other_campaign.name not in page


def test_a_new_campaign_is_planned_and_its_content_queued(client, brand):
    response = client.post(
        url("create-campaign"),
        {
            "brand": brand.pk,
            "goal": GOAL,
            "name": "Autumn",
            "phase_count": 3,
            "platforms": ["X", "LinkedIn"],
        },
    )

    created = Campaign.objects.get(name="Autumn")
    assert response.status_code == 302
    assert response["Location"] == url("show-campaign", created.campaign_id)
    assert created.platforms == ["X", "LinkedIn"]
    assert created.phase == "generating"
    canvas = client.get(response["Location"]).content.decode()
    assert "Writing content in the background" in canvas
    assert 'hx-trigger="every 2s"' in canvas


def test_a_new_campaign_with_bad_input_says_what_is_wrong(client, brand):
    response = client.post(
        url("create-campaign"), {"brand": brand.pk, "goal": " ", "phase_count": 9}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "less than or equal to 6" in page
    assert not Campaign.objects.exists()


def test_a_new_campaign_cannot_use_another_workspace_brand(client, brand, other_workspace):
    theirs = make_brand(workspace=other_workspace)
    response = client.post(url("create-campaign"), {"brand": theirs.pk, "goal": GOAL})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


# --- The canvas ---


def test_the_canvas_draws_every_active_post_and_link(client, campaign):
    response = client.get(url("show-campaign", campaign.campaign_id))

    assert response.status_code == 200
    page = response.content.decode()
    posts = list(campaign.posts.filter(is_active=True))
    for post in posts:
        assert f'data-post-id="{post.post_id}"' in page
        assert url("show-post", post.pk) in page
    links = PostLink.objects.filter(source__campaign=campaign).count()
    assert page.count('<path class="link') == links
    assert " C" in page  # links are cubic curves
    assert "content ready" in page
    assert "Export Mermaid" in page and "Approve all" in page
    assert 'id="version-1"' in page


def test_the_mermaid_export_is_a_download_of_the_active_graph(client, campaign):
    response = client.get(url("export-mermaid", campaign.campaign_id))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == services.export_mermaid(campaign)


def test_approve_all_says_how_many_were_approved_and_why_others_were_not(client, campaign):
    post = first_post(campaign)
    post.variants.filter(variant_id=post.selected_variant).update(content="Cheap coffee.")

    response = client.post(url("approve-all", campaign.campaign_id), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    approved = campaign.posts.filter(status=PostStatus.APPROVED).count()
    assert approved == campaign.posts.filter(is_active=True).count() - 1
    assert f"{approved} posts approved" in page
    assert post.post_id in page
    assert "Banned terms used: cheap." in page
    assert response["HX-Trigger"] == "canvas-changed"


def test_versions_are_compared_on_the_canvas(client, campaign):
    services.regenerate_from_phase(
        campaign=campaign, phase_num=2, new_direction="pivot to home baristas"
    )

    response = client.get(url("show-campaign", campaign.campaign_id), {"a": 1, "b": 2})

    page = response.content.decode()
    assert response.status_code == 200
    assert "v1 → v2" in page
    assert "diff-changed" in page or "diff-added" in page
    assert 'class="canvas comparing"' in page


def test_comparing_a_version_that_does_not_exist_says_so(client, campaign):
    response = client.get(url("show-campaign", campaign.campaign_id), {"a": 1, "b": 7})

    assert response.status_code == 200
    assert "has no version 7" in response.content.decode()


def test_restoring_a_version_makes_its_posts_active_again(client, campaign):
    before = set(campaign.posts.filter(is_active=True).values_list("pk", flat=True))
    services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="a new angle")

    response = client.post(url("restore-version", campaign.campaign_id, 1))

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.current_version == 3
    assert set(campaign.posts.filter(is_active=True).values_list("pk", flat=True)) == before
    assert campaign.versions.get(number=3).kind == VersionKind.RESTORED


def test_restoring_the_current_version_says_why_not(client, campaign):
    response = client.post(url("restore-version", campaign.campaign_id, 1))

    assert response.status_code == 422
    assert "already the current version" in response.content.decode()


def test_the_progress_polls_until_every_new_post_has_its_content(client, brand):
    planned = services.create_campaign(brand=brand, goal=GOAL, phase_count=2)
    progress = url("show-progress", planned.campaign_id)

    waiting = client.get(progress, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "HX-Trigger" not in waiting

    generate_content(campaign=planned)
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert "every 2s" not in done.content.decode()
    assert "have their variants and card" in done.content.decode()
    assert done["HX-Trigger"] == "canvas-changed"


# --- The chat box ---


def test_a_regenerate_command_with_a_phase_out_of_range_is_refused_before_sending(client, campaign):
    check = client.get(
        url("check-message", campaign.campaign_id), {"message": "!regenerate phase 9 go"}
    )
    assert "phase must be between 1 and 4" in check.content.decode()

    response = client.post(
        url("send-message", campaign.campaign_id),
        {"message": "!regenerate phase 9 go"},
        HTTP_HX_REQUEST="true",
    )
    assert "phase must be between 1 and 4" in response.content.decode()
    assert not ConversationMessage.objects.exists()  # nothing was sent
    assert campaign.versions.count() == 1


def test_a_malformed_command_gets_the_syntax_and_a_plain_message_no_hint(client, campaign):
    check = url("check-message", campaign.campaign_id)
    assert (
        "!regenerate phase &lt;number&gt;"
        in client.get(check, {"message": "!regenerate phase two"}).content.decode()
    )
    assert "error" not in client.get(check, {"message": "How is phase 2 doing?"}).content.decode()


def test_regenerating_from_the_chat_box_adds_a_version_and_refreshes_the_canvas(client, campaign):
    response = client.post(
        url("send-message", campaign.campaign_id),
        {"message": "!regenerate phase 2 pivot to developer-first content"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "canvas-changed"
    page = response.content.decode()
    assert "Regenerated from phase 2: version 2" in page
    assert campaign.versions.filter(number=2, kind=VersionKind.REGENERATED).exists()
    path = url("show-campaign", campaign.campaign_id)
    board = client.get(path, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board").content.decode()
    history = client.get(path, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="history").content.decode()
    assert 'hx-trigger="every 2s"' in board  # the new posts are being written
    assert 'id="version-2"' in history and "<svg" not in history


def test_a_question_is_answered_by_the_strategist(client, campaign):
    response = client.post(
        url("send-message", campaign.campaign_id),
        {"message": "Which phase matters most?"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert list(campaign.messages.values_list("role", flat=True)) == ["user", "assistant"]
    assert "Which phase matters most?" in response.content.decode()


# --- The post panel ---


def test_the_post_panel_shows_variants_per_network_with_scores_and_checks(client, campaign):
    post = first_post(campaign)
    render_card(post=post)

    panel = client.get(url("show-post", post.pk), HTTP_HX_REQUEST="true")
    full = client.get(url("show-post", post.pk))

    assert panel.status_code == full.status_code == 200
    html = panel.content.decode()
    assert "<html" not in html and "<html" in full.content.decode()
    for platform in ("X", "LinkedIn", "Facebook"):
        assert f'<h3 class="network">{platform}</h3>' in html
    assert html.count('class="variant') >= 6
    assert "review score" in html
    assert url("post-card", campaign.campaign_id, post.post_id) in html
    assert "Passes the checks" in html


def test_selecting_a_variant_from_the_panel(client, campaign):
    post = first_post(campaign)
    other = "B" if post.selected_variant == "A" else "A"

    response = client.post(
        url("select-variant", post.pk), {"variant_id": other}, HTTP_HX_REQUEST="true"
    )

    post.refresh_from_db()
    assert post.selected_variant == other
    assert f"Variant {other} selected." in response.content.decode()
    assert response["HX-Trigger"] == "canvas-changed"


def test_selecting_a_variant_that_does_not_exist_says_which_do(client, campaign):
    post = first_post(campaign)

    response = client.post(url("select-variant", post.pk), {"variant_id": "Q"})

    assert response.status_code == 422
    assert "has no variant &#x27;Q&#x27; (A, B)" in response.content.decode()


def test_editing_a_variant_with_a_good_text_stores_it(client, campaign):
    variant = ContentVariant.objects.filter(post=first_post(campaign), platform="X").first()

    response = client.post(
        url("edit-variant", variant.post_id, variant.pk),
        {"content": GOOD_TEXT},
        HTTP_HX_REQUEST="true",
    )

    variant.refresh_from_db()
    assert variant.content == GOOD_TEXT
    assert variant.metadata["edited"] is True
    assert "saved: it passes the checks" in response.content.decode()


def test_editing_a_variant_with_a_too_long_text_says_why_and_keeps_the_old_one(client, campaign):
    variant = ContentVariant.objects.filter(post=first_post(campaign), platform="X").first()
    before = variant.content
    too_long = "Subscribe today. " + "Fresh beans roasted to order. " * 12

    response = client.post(url("edit-variant", variant.post_id, variant.pk), {"content": too_long})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Not saved: the text fails the checks." in page
    assert "over the limit of 280 for X" in page
    assert too_long.strip()[:40] in page  # the text typed is kept for fixing
    variant.refresh_from_db()
    assert variant.content == before


def test_editing_a_variant_of_another_post_is_404(client, campaign):
    one, two = campaign.posts.filter(is_active=True)[:2]
    variant = two.variants.first()

    response = client.post(url("edit-variant", one.pk, variant.pk), {"content": GOOD_TEXT})

    assert response.status_code == 404


# --- Workspaces and roles ---


def test_another_workspace_campaign_post_and_version_are_404(client, other_campaign):
    post = other_campaign.posts.first()
    StrategyVersion.objects.create(
        campaign=other_campaign, number=1, kind=VersionKind.CREATED, post_ids=[post.pk]
    )
    variant = ContentVariant.objects.create(post=post, variant_id="A", content=GOOD_TEXT)
    slug = other_campaign.campaign_id

    for path in (
        url("show-campaign", slug),
        url("show-progress", slug),
        url("export-mermaid", slug),
        url("check-message", slug),
        url("show-post", post.pk),
    ):
        assert client.get(path).status_code == 404, path
    for path in (
        url("approve-all", slug),
        url("restore-version", slug, 1),
        url("send-message", slug),
        url("select-variant", post.pk),
        url("edit-variant", post.pk, variant.pk),
    ):
        assert client.post(path, {"message": "hi", "content": GOOD_TEXT}).status_code == 404, path


def test_a_viewer_sees_no_edit_controls_and_cannot_change_anything(viewer, campaign):
    browser = signed_in(viewer)
    post = first_post(campaign)
    variant = post.variants.first()
    slug = campaign.campaign_id

    canvas = browser.get(url("show-campaign", slug)).content.decode()
    panel = browser.get(url("show-post", post.pk)).content.decode()
    listing = browser.get(url("list-campaigns")).content.decode()

    assert "Approve all" not in canvas and "Restore" not in canvas
    assert 'name="message"' not in canvas
    assert "Export Mermaid" in canvas  # reading is fine
    assert "Edit text" not in panel and "Use variant" not in panel
    assert "New campaign" not in listing
    for path, data in (
        (url("create-campaign"), {"goal": GOAL}),
        (url("approve-all", slug), {}),
        (url("restore-version", slug, 1), {}),
        (url("send-message", slug), {"message": "!regenerate phase 2 go"}),
        (url("select-variant", post.pk), {"variant_id": "B"}),
        (url("edit-variant", post.pk, variant.pk), {"content": GOOD_TEXT}),
    ):
        assert browser.post(path, data).status_code == 403, path
    assert campaign.versions.count() == 1
    assert not ConversationMessage.objects.exists()


# --- Speed: queries do not grow with the posts ---


def big_campaign(brand, *, per_phase: int, name: str) -> Campaign:
    """A 6-phase campaign of ``per_phase`` posts a phase, each with 6 variants, in bulk."""
    campaign = Campaign.objects.create(
        campaign_id=name, brand=brand, name=name, description=GOAL, phase="ready"
    )
    posts = Post.objects.bulk_create(
        Post(
            campaign=campaign,
            post_id=f"p{phase}-{position}",
            phase=phase,
            phase_name=f"Stage {phase}",
            position=position,
            title=f"Step {phase}.{position}: fresh beans for remote workers",
            status=PostStatus.READY,
            selected_variant="A",
        )
        for phase in range(1, 7)
        for position in range(1, per_phase + 1)
    )
    by_phase: dict[int, list[Post]] = {}
    for post in posts:
        by_phase.setdefault(post.phase, []).append(post)
    PostLink.objects.bulk_create(
        PostLink(source=by_phase[phase][i], target=by_phase[phase + 1][j])
        for phase in range(1, 6)
        for i in range(per_phase)
        for j in {i, (i + 1) % per_phase}
    )
    ContentVariant.objects.bulk_create(
        ContentVariant(
            post=post,
            variant_id=variant,
            platform=platform,
            content=GOOD_TEXT,
            metadata={"score": 0.8},
        )
        for post in posts
        for platform in ("X", "LinkedIn", "Facebook")
        for variant in ("A", "B")
    )
    StrategyVersion.objects.create(
        campaign=campaign, number=1, kind=VersionKind.CREATED, post_ids=[p.pk for p in posts]
    )
    ConversationMessage.objects.bulk_create(
        ConversationMessage(campaign=campaign, role="user", content=f"question {n}")
        for n in range(60)
    )
    return campaign


def count_queries(client: Client, path: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_run_as_many_queries_for_500_posts_as_for_12(
    client, brand, django_assert_max_num_queries
):
    small = big_campaign(brand, per_phase=2, name="small")
    large = big_campaign(brand, per_phase=84, name="large")  # 504 posts, 3,024 variants
    assert large.posts.count() == 504
    paths = {
        "canvas": lambda c: url("show-campaign", c.campaign_id),
        "board": lambda c: url("show-campaign", c.campaign_id),
        "history": lambda c: url("show-campaign", c.campaign_id),
        "progress": lambda c: url("show-progress", c.campaign_id),
        "post": lambda c: url("show-post", c.posts.first().pk),
    }
    for name, path in paths.items():
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": name} if name != "canvas" else {}
        assert count_queries(client, path(small), **headers) == count_queries(
            client, path(large), **headers
        ), name
    with django_assert_max_num_queries(16):
        client.get(url("show-campaign", large.campaign_id))
    with django_assert_max_num_queries(13):
        client.get(url("list-campaigns"))
