"""Reconciling by identity: a post the network reformatted, or buried under newer posts, is
found instead of being sent again."""

from __future__ import annotations

import httpx
import pytest

from clarion.publishing.connectors.base import normalised, same_text
from clarion.publishing.connectors.mastodon import status_text
from clarion.publishing.models import Publication
from clarion.publishing.services import publish_due, run_daily
from clarion.testing.fake_network import FakeNetwork, render_content
from tests.publishing.helpers import DAY, make_plan, use_fake_network
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db

TEXT = (
    "Fresh beans, every week.\r\n\r\n\r\n"
    "Roasted on Monday, in your cup by Wednesday.\r\n"
    "Subscribe for your free tasting kit."
)


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("A\r\nB", "A\nB"),
        ("A\n\n\n\nB", "A\n\nB"),
        ("Café", "Cafe\u0301"),  # NFC and NFD
        ("Read https://example.com/a/very/long/path?x=1.", "Read https://t.co/abc123."),
        ("  padded  ", "padded"),
    ],
)
def test_texts_a_network_reformatted_are_the_same_post(sent, shown):
    assert same_text(sent, shown)
    assert normalised(sent) == normalised(shown)


def test_different_texts_are_different_posts():
    assert not same_text("Subscribe today.", "Subscribe tomorrow.")
    assert not same_text("Read https://a.example now", "Read now")


def test_the_fake_renders_a_status_as_mastodon_does_and_the_connector_reads_it_back():
    html = render_content(TEXT + " https://northwind.example/beans/of/the/month/december")

    assert html.count("<p>") == 2  # three line breaks: one paragraph break
    assert "<br />" in html
    assert '<span class="invisible">https://</span>' in html
    assert same_text(
        TEXT + " https://northwind.example/beans/of/the/month/december", status_text(html)
    )


def test_a_lost_answer_is_found_though_mastodon_reformatted_the_text(brand, scripted):
    scripted.script("write", draft(TEXT))
    scripted.script("review", verdict("approve"))
    with FakeNetwork(honour_idempotency=False) as network:
        make_plan(brand, networks=("LinkedIn",))
        use_fake_network(brand, network)
        network.timeout_after_send(hang=1.0)

        run_daily(date=DAY, wait_for_deferred=0)
        assert Publication.objects.get().state == "needs_attention"

        assert publish_due() == {"published": 1}

        row = Publication.objects.get()
        assert network.created == 1
        assert row.remote_id == network.statuses[0].id
        assert (
            "\r\n" in row.content and "\r\n" not in network.statuses[0].as_json("", "x")["content"]
        )


def test_a_lost_post_is_found_behind_more_than_a_page_of_newer_posts(brand):
    with FakeNetwork(honour_idempotency=False) as network:
        make_plan(brand, networks=("LinkedIn",))
        use_fake_network(brand, network)
        network.timeout_after_send(hang=1.0)
        run_daily(date=DAY, wait_for_deferred=0)
        assert Publication.objects.get().state == "needs_attention"
        for n in range(95):  # the account keeps posting from elsewhere
            httpx.post(
                f"{network.base_url}/api/v1/statuses",
                data={"status": f"Another post, number {n}."},
                headers={"Authorization": f"Bearer {network.token}"},
            )

        assert publish_due() == {"published": 1}

        assert network.created == 96
        assert network.duplicates == 0
        row = Publication.objects.get()
        assert row.remote_id == network.statuses[0].id


def test_the_search_stops_at_the_first_send(brand):
    """Older posts with the same text (another day's) are not taken for this one."""
    from datetime import timedelta

    from clarion.publishing.connectors import OutgoingPost, connector_for

    with FakeNetwork() as network:
        make_plan(brand, networks=("LinkedIn",))
        use_fake_network(brand, network)
        for n in range(45):
            httpx.post(
                f"{network.base_url}/api/v1/statuses",
                data={"status": "Same words." if n == 0 else f"Filler {n}."},
                headers={"Authorization": f"Bearer {network.token}"},
            )
        account = brand.channel_accounts.get(platform="LinkedIn", is_active=True)
        post = OutgoingPost(
            idempotency_key="k", content_hash="h", text="Same words.", network="LinkedIn",
            date=DAY, slot=0, brand_slug=brand.slug,
        )  # fmt: skip
        from django.utils import timezone

        connector = connector_for(account)
        assert connector.find_existing(post, since=timezone.now() - timedelta(minutes=1))
        requests = network.requests
        assert connector.find_existing(post, since=timezone.now() + timedelta(hours=1)) is None
        assert network.requests - requests == 2  # one page was enough to pass the first send
