"""A brand with ``approval_required``: the day's posts are written and checked, and only
those a person approved are published; the others wait, reported as waiting."""

from __future__ import annotations

import pytest

from clarion.core.errors import InvalidInput
from clarion.publishing import approvals
from clarion.publishing.models import Publication
from clarion.publishing.reports import run_summary
from clarion.publishing.services import publish_due, run_daily
from clarion.publishing.work import BRAND_REQUIRES_APPROVAL
from tests.factories import brief_data
from tests.publishing.helpers import DAY, make_plan, use_fake_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(brand, network):
    """A LinkedIn and an X slot, both approved by the reviewer, for a brand that wants a person."""
    brand.approval_required = True
    brand.save()
    make_plan(brand, networks=("LinkedIn", "X"))
    use_fake_network(brand, network)
    use_fake_network(brand, network, platform="X")
    return run_daily(date=DAY)


def test_nothing_is_published_until_a_person_approves(waiting, network):
    rows = list(Publication.objects.order_by("pk"))

    assert waiting.counts == {"awaiting_approval": 2, "slots": 2}
    assert [r.state for r in rows] == ["awaiting_approval"] * 2
    assert all(r.error == BRAND_REQUIRES_APPROVAL and r.approved_at is None for r in rows)
    assert all(r.content for r in rows)  # written and checked
    assert network.requests == 0
    summary = run_summary(waiting)
    assert "2 waiting for approval" in summary
    assert "Done" not in summary
    assert [r.pk for r in approvals.awaiting()] == [r.pk for r in rows]
    assert publish_due() == {}
    assert run_daily(date=DAY).counts["awaiting_approval"] == 2  # a rerun does not send them
    assert network.requests == 0


def test_approving_publishes_exactly_the_approved_posts(waiting, network):
    first, second = Publication.objects.order_by("pk")

    approvals.approve_publication(publication_id=first.pk, by="maya")

    assert publish_due() == {"published": 1}
    assert [s.text for s in network.statuses] == [first.content]
    second.refresh_from_db()
    assert second.state == "awaiting_approval"
    assert publish_due() == {}


def test_a_rejected_post_is_never_published(waiting, network):
    first, second = Publication.objects.order_by("pk")

    approvals.reject_publication(publication_id=first.pk, by="maya", reason="not this week")
    approvals.approve_publication(publication_id=second.pk, by="maya")

    assert publish_due() == {"published": 1}
    assert [s.text for s in network.statuses] == [second.content]
    assert run_daily(date=DAY).counts.get("published", 0) == 0
    first.refresh_from_db()
    assert (first.state, first.error_kind) == ("failed", "rejected")
    assert len(network.statuses) == 1


def test_an_edited_text_over_the_networks_limit_is_refused(waiting, network):
    x_row = Publication.objects.get(network="X")

    with pytest.raises(InvalidInput, match="280"):
        approvals.approve_publication(
            publication_id=x_row.pk, by="maya", text="Subscribe now. " + "x" * 300
        )
    with pytest.raises(InvalidInput, match="call to action"):
        approvals.approve_publication(publication_id=x_row.pk, by="maya", text="Just beans.")

    x_row.refresh_from_db()
    assert x_row.state == "awaiting_approval"
    assert publish_due() == {}
    edited = "New harvest. Subscribe for your free tasting kit."
    approvals.approve_publication(publication_id=x_row.pk, by="maya", text=edited)
    assert publish_due() == {"published": 1}
    assert [s.text for s in network.statuses] == [edited]


def test_without_the_setting_the_reviewers_approval_is_enough(brand, network):
    assert brand.approval_required is False
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)

    run = run_daily(date=DAY)

    assert run.counts["published"] == 1
    assert Publication.objects.get().approved_by == "reviewer"


def test_a_post_stored_before_the_setting_was_turned_on_waits_too(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=600)  # written, approved by the reviewer, deferred
    run_daily(date=DAY, wait_for_deferred=0)
    row = Publication.objects.get()
    assert row.approved_by == "reviewer"
    Publication.objects.filter(pk=row.pk).update(not_before=None)
    brand.approval_required = True
    brand.save()

    assert publish_due() == {"awaiting_approval": 1}

    row.refresh_from_db()
    assert (row.state, row.error) == ("awaiting_approval", BRAND_REQUIRES_APPROVAL)
    assert network.created == 0
    approvals.approve_publication(publication_id=row.pk, by="maya")
    assert publish_due() == {"published": 1}


def test_bulk_approval_over_the_api_is_all_or_none(
    waiting, network, keep_test_connection, api_client
):
    ids = list(Publication.objects.order_by("pk").values_list("pk", flat=True))

    listed = api_client.get("/api/approvals").json()
    assert [r["id"] for r in listed] == ids
    missing = api_client.post(
        "/api/approvals/approve", {"ids": [ids[0], 999999]}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert api_client.get("/api/approvals").json() != []  # nothing was approved

    ok = api_client.post("/api/approvals/approve", {"ids": ids}, content_type="application/json")

    assert ok.status_code == 200
    assert [r["approved_by"] for r in ok.json()] == ["person:owner@example.com"] * 2
    assert publish_due() == {"published": 2}
    assert network.created == 2


def test_the_setting_over_the_brand_api(client):
    created = client.post("/api/brands", brief_data(), content_type="application/json")
    assert created.json()["approval_required"] is False
    slug = created.json()["slug"]

    on = client.patch(
        f"/api/brands/{slug}", {"approval_required": True}, content_type="application/json"
    )

    assert on.status_code == 200
    assert on.json()["approval_required"] is True
    assert client.get(f"/api/brands/{slug}").json()["approval_required"] is True
    new = client.post(
        "/api/brands",
        brief_data(slug="asks", approval_required=True),
        content_type="application/json",
    )
    assert new.json()["approval_required"] is True
