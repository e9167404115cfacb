from __future__ import annotations

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from clarion.campaigns.media import (
    CARD_HEIGHT,
    CARD_WIDTH,
    card_font,
    card_headline,
    draw_card,
    fit_text,
    headline_of,
    palette,
    render_card,
    wrap,
)
from clarion.campaigns.models import ContentVariant, Post
from tests.campaigns.factories import make_campaign
from tests.factories import make_brand

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def post(brand):
    return make_campaign(brand, phases=[2]).posts.get(post_id="p1-1")


def card_url(post: Post) -> str:
    return reverse(
        "campaigns:post-card",
        kwargs={"campaign_id": post.campaign.campaign_id, "post_id": post.post_id},
    )


def test_a_card_is_a_1200_by_630_png_stored_under_media_root(post, settings):
    path = render_card(post=post)

    assert path == settings.MEDIA_ROOT / "cards" / str(post.campaign_id) / f"{post.pk}.png"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (CARD_WIDTH, CARD_HEIGHT) == (1200, 630)
    post.refresh_from_db()
    assert post.media_path == f"cards/{post.campaign_id}/{post.pk}.png"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_drawing_a_card_again_replaces_it(post):
    first = render_card(post=post).read_bytes()
    Post.objects.filter(pk=post.pk).update(hook="A completely different hook")
    post.refresh_from_db()

    second = render_card(post=post)

    assert second.read_bytes() != first
    assert len(list(second.parent.iterdir())) == 1


def test_the_card_shows_the_brand_colours_from_the_slug(post):
    path = render_card(post=post)
    colours = palette(post.campaign.brand.slug)

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((CARD_WIDTH - 5, 5)) == colours.background
        assert rgb.getpixel((5, CARD_HEIGHT // 2)) == colours.accent
    assert palette("northwind-coffee") == palette("northwind-coffee")
    assert palette("northwind-coffee").background != palette("acme-bikes").background


def test_a_post_without_a_hook_gets_its_title_on_the_card(brand):
    campaign = make_campaign(brand, phases=[1])
    Post.objects.filter(campaign=campaign).update(hook="")
    with_title = campaign.posts.get()
    Post.objects.filter(campaign=campaign).update(hook=with_title.title)
    same_text = campaign.posts.get()

    assert render_card(post=with_title).read_bytes() == render_card(post=same_text).read_bytes()


def test_a_card_shows_the_posts_own_headline_once_its_copy_is_written(post):
    assert card_headline(post) == post.hook
    ContentVariant.objects.create(
        post=post, platform="X", variant_id="A", content="Roasted on Monday.\n\n#NorthwindCoffee"
    )
    ContentVariant.objects.create(
        post=post,
        platform="LinkedIn",
        variant_id="A",
        content="3 reasons home baristas switch: #Coffee\n• Fresh\n• Traceable\n• Flexible",
    )
    ContentVariant.objects.create(post=post, platform="LinkedIn", variant_id="B", content="Other.")
    Post.objects.filter(pk=post.pk).update(selected_variant="A")
    post.refresh_from_db()

    assert card_headline(post) == "3 reasons home baristas switch"
    path = render_card(post=post)
    expected = draw_card(
        brand_name=post.campaign.brand.brand_name,
        slug=post.campaign.brand.slug,
        hook="3 reasons home baristas switch",
        label=f"Phase {post.phase} · {post.phase_name}",
    )
    with Image.open(path) as image:
        assert image.convert("RGB").tobytes() == expected.tobytes()


def test_a_headline_is_the_first_line_of_the_copy_cut_at_a_sentence():
    assert headline_of("\n\nFresh beans. Every week.\nMore text.") == "Fresh beans. Every week."
    long = "A" * 150 + ". Then more."
    assert headline_of(f"Short first. {long}") == "Short first."
    assert len(headline_of("word " * 60)) <= 140
    assert headline_of("#OnlyTags #Here") == ""


def test_long_text_wraps_inside_the_box():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    text = "Roasted to order and delivered within 48 hours " * 6 + "x" * 120

    size, lines = fit_text(draw, text, width=1040, height=370)

    assert 36 <= size <= 80
    assert len(lines) * round(size * 1.18) <= 370
    for line in lines:
        assert draw.textlength(line, font=card_font(size)) <= 1040
    assert wrap(draw, "short hook", card_font(80), 1040) == ["short hook"]


def test_the_card_is_served_as_a_png(client, post):
    path = render_card(post=post)

    response = client.get(card_url(post))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "/media/cards/no-such-campaign/p1-1.png",
        "/media/cards/{campaign}/p9-9.png",
        "/media/cards/{campaign}/p1-2.png",  # a post without a card
        "/media/cards/{campaign}/..%2F..%2Fsecret.png",
        "/media/cards/{campaign}/%2E%2E.png",
    ],
)
def test_unknown_posts_and_missing_cards_are_404(client, post, url, settings):
    render_card(post=post)
    (settings.MEDIA_ROOT / "secret.png").write_bytes(b"not for you")

    response = client.get(url.format(campaign=post.campaign.campaign_id))

    assert response.status_code == 404


def test_a_deleted_card_file_is_404_and_a_recorded_path_outside_the_cards_is_never_served(
    client, post, settings
):
    render_card(post=post).unlink()
    assert client.get(card_url(post)).status_code == 404

    (settings.MEDIA_ROOT / "secret.png").write_bytes(b"not for you")
    Post.objects.filter(pk=post.pk).update(media_path="cards/../secret.png")
    assert client.get(card_url(post)).status_code == 404
    Post.objects.filter(pk=post.pk).update(media_path="/etc/hostname")
    assert client.get(card_url(post)).status_code == 404


def test_only_get_is_allowed(client, post):
    render_card(post=post)
    assert client.post(card_url(post)).status_code == 405


def test_two_brands_cards_do_not_collide(post):
    other = make_campaign(make_brand(brand_name="Acme Bikes"), phases=[2]).posts.get(post_id="p1-1")

    assert render_card(post=post) != render_card(post=other)
