"""Editing a variant's text: the hard checks run again; a failing text is refused with its reasons."""

from __future__ import annotations

import pytest

from clarion.campaigns import services
from clarion.campaigns.models import ContentVariant, Post, PostStatus
from clarion.core.errors import Conflict
from tests.campaigns.factories import make_campaign
from tests.campaigns.test_regeneration import give_content
from tests.conftest import token_client
from tests.factories import make_brand

pytestmark = pytest.mark.django_db
JSON = "application/json"
GOOD = "Roasted on Monday, at your door by Wednesday. Subscribe today."


@pytest.fixture
def post(brand) -> Post:
    first = make_campaign(brand, (2, 2)).posts.get(post_id="p1-1")
    give_content(first)
    return first


def variant_of(post: Post, variant_id: str = "A") -> ContentVariant:
    return post.variants.get(platform="X", variant_id=variant_id)


def test_a_text_that_passes_the_checks_is_stored_and_marked_edited(post):
    variant = services.edit_variant(variant=variant_of(post), content=f"  {GOOD}\n")

    stored = variant_of(post)
    assert stored.content == variant.content == GOOD
    assert stored.metadata["edited"] is True and "edited_at" in stored.metadata


def test_a_text_that_fails_the_checks_is_refused_with_every_reason(post):
    before = variant_of(post).content
    with pytest.raises(services.VariantRejected) as refused:
        services.edit_variant(variant=variant_of(post), content="Cheap beans. " * 30)

    problems = refused.value.problems
    assert any("over the limit of 280 for X" in p for p in problems)
    assert any("call to action" in p for p in problems)
    assert any("Banned terms used: cheap" in p for p in problems)
    assert refused.value.field == "content"
    assert variant_of(post).content == before


def test_the_checks_are_those_of_approval(post):
    candidate = ContentVariant(platform="X", content="Guaranteed freshness.")
    with pytest.raises(services.VariantRejected) as refused:
        services.edit_variant(variant=variant_of(post), content=candidate.content)
    assert refused.value.problems == services.variant_problems(candidate, post.campaign.brand)


def test_an_approved_variant_edited_stays_approved(post):
    services.approve_all(campaign=post.campaign)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED

    services.edit_variant(variant=variant_of(post), content=GOOD)

    assert variant_of(post).is_approved


def test_an_archived_post_cannot_be_edited(post):
    Post.objects.filter(pk=post.pk).update(is_active=False)
    post.refresh_from_db()
    with pytest.raises(Conflict, match="archived"):
        services.edit_variant(variant=variant_of(post), content=GOOD)


def test_the_api_edits_a_variant(api_client, post):
    response = api_client.patch(
        f"/api/posts/{post.pk}/variants/X/a", {"content": GOOD}, content_type=JSON
    )

    assert response.status_code == 200, response.content
    assert response.json()["content"] == GOOD
    assert response.json()["metadata"]["edited"] is True


def test_the_api_refuses_a_too_long_text_with_the_reason(api_client, post):
    response = api_client.patch(
        f"/api/posts/{post.pk}/variants/X/A",
        {"content": "Subscribe today. " + "x" * 300},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert "over the limit of 280 for X" in response.json()["detail"][0]["msg"]
    assert variant_of(post).content != GOOD


def test_the_api_answers_404_for_a_missing_variant_or_another_workspace_post(
    api_client, post, other_workspace, outsider
):
    assert (
        api_client.patch(
            f"/api/posts/{post.pk}/variants/Mastodon/A", {"content": GOOD}, content_type=JSON
        ).status_code
        == 404
    )
    theirs = make_campaign(make_brand(workspace=other_workspace), (2,)).posts.first()
    give_content(theirs)
    assert (
        api_client.patch(
            f"/api/posts/{theirs.pk}/variants/X/A", {"content": GOOD}, content_type=JSON
        ).status_code
        == 404
    )
    outsider_client = token_client(outsider)
    assert (
        outsider_client.patch(
            f"/api/posts/{post.pk}/variants/X/A", {"content": GOOD}, content_type=JSON
        ).status_code
        == 404
    )


def test_a_viewer_cannot_edit_through_the_api(viewer, post):
    response = token_client(viewer).patch(
        f"/api/posts/{post.pk}/variants/X/A", {"content": GOOD}, content_type=JSON
    )
    assert response.status_code == 403
    assert variant_of(post).content != GOOD
