"""Only what passed is published: the reviewer's approval or a person's, and the hard checks
again on the exact text at the moment of sending."""

from __future__ import annotations

import pytest

from clarion.core.errors import Conflict, InvalidInput
from clarion.publishing import approvals, signing
from clarion.publishing.models import Publication
from clarion.publishing.reports import run_summary
from clarion.publishing.services import publish_due, retry_failed, run_daily
from tests.publishing.helpers import DAY, make_plan, use_fake_network
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db

DRAFT = "Fresh beans, every week. Subscribe for your free tasting kit."


@pytest.fixture
def unapproved(brand, network, scripted, settings):
    """A LinkedIn slot whose writer ↔ reviewer session ran out of turns."""
    settings.CLARION_MAX_TURNS = 2
    scripted.script("write", draft(DRAFT), draft(DRAFT + " Roasted on Monday."))
    scripted.script("review", verdict("revise", score=5, feedback="The hook is flat."))
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    run = run_daily(date=DAY)
    return run


def test_a_post_the_reviewer_did_not_approve_waits_for_a_person(unapproved, network):
    row = Publication.objects.get()

    assert unapproved.counts["awaiting_approval"] == 1
    assert row.state == "awaiting_approval"
    assert row.error_kind == "unapproved"
    assert "did not approve it in 2 turn(s): The hook is flat." in row.error
    assert row.approved_at is None
    assert network.requests == 0
    assert "1 waiting for approval" in run_summary(unapproved)
    assert "Done" not in run_summary(unapproved)
    assert publish_due() == {}  # the worker never sends it either
    assert network.requests == 0


def test_approving_it_publishes_exactly_that_text_once(unapproved, network):
    row = Publication.objects.get()

    approvals.approve_publication(publication_id=row.pk, by="maya")

    row.refresh_from_db()
    assert (row.state, row.approved_by) == ("pending", "person:maya")
    assert publish_due() == {"published": 1}
    assert [s.text for s in network.statuses] == [row.content]
    assert publish_due() == {}


def test_an_edited_text_is_checked_before_it_is_approved(unapproved, network):
    row = Publication.objects.get()
    before = (row.content, row.state)

    with pytest.raises(InvalidInput) as too_long:
        approvals.approve_publication(
            publication_id=row.pk, by="maya", text="Subscribe now. " + "x" * 3100
        )
    assert "too long" in str(too_long.value).lower() or "3000" in str(too_long.value)
    with pytest.raises(InvalidInput, match="call to action"):
        approvals.approve_publication(publication_id=row.pk, by="maya", text="Just beans.")

    row.refresh_from_db()
    assert (row.content, row.state) == before
    edited = "New harvest, new roast. Subscribe for your free tasting kit."
    approvals.approve_publication(publication_id=row.pk, by="maya", text=edited)
    assert publish_due() == {"published": 1}
    assert [s.text for s in network.statuses] == [edited]


def test_a_rejected_post_is_never_sent_and_a_retry_writes_a_new_one(unapproved, network, scripted):
    row = Publication.objects.get()

    approvals.reject_publication(publication_id=row.pk, by="maya", reason="off brand")

    row.refresh_from_db()
    assert (row.state, row.error_kind) == ("failed", "rejected")
    assert row.error == "rejected by maya: off brand"
    assert publish_due() == {}
    with pytest.raises(Conflict):
        approvals.approve_publication(publication_id=row.pk, by="maya")
    scripted.replies.clear()
    scripted.script("write", draft("A brand-new post. Subscribe for your free tasting kit."))
    scripted.script("review", verdict("approve"))

    retry_failed(date=DAY, platform="LinkedIn")

    assert [s.text for s in network.statuses] == [
        "A brand-new post. Subscribe for your free tasting kit."
    ]


def test_a_text_changed_in_the_database_after_approval_is_refused_at_sending(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=600)  # written, approved, stored; then deferred
    run_daily(date=DAY, wait_for_deferred=0)
    row = Publication.objects.get()
    assert row.approved_by == "reviewer"
    tampered = "Buy cheap knockoff beans now! " + "x" * 593  # 623 characters
    Publication.objects.filter(pk=row.pk).update(content=tampered, not_before=None)

    assert publish_due() == {"invalid": 1}

    row.refresh_from_db()
    assert row.state == "failed"
    assert row.error == "refused at sending: the text changed after it was approved"
    assert network.created == 0


def test_a_consistent_edit_in_the_database_still_passes_the_hard_checks_at_sending(brand, network):
    brand.banned_terms = ["knockoff"]
    brand.save()
    make_plan(brand, networks=("X",))
    use_fake_network(brand, network, platform="X")
    network.fail_next(429, reset_seconds=600)
    run_daily(date=DAY, wait_for_deferred=0)
    row = Publication.objects.get()
    tampered = "Knockoff beans, half price! Subscribe. " + "x" * 584  # 623 characters
    Publication.objects.filter(pk=row.pk).update(
        content=tampered, content_hash=signing.content_hash(tampered), not_before=None
    )

    assert publish_due() == {"invalid": 1}

    row.refresh_from_db()
    assert row.error.startswith("refused at sending: ")
    assert "knockoff" in row.error.lower() and "280" in row.error
    assert network.created == 0


def test_the_approval_queue_over_the_api(unapproved, network, keep_test_connection, api_client):
    client = api_client
    row = Publication.objects.get()

    listed = client.get("/api/approvals").json()
    assert [r["id"] for r in listed] == [row.pk]
    assert listed[0]["state"] == "awaiting_approval"

    bad = client.post(
        f"/api/approvals/{row.pk}/approve",
        {"text": "No call here."},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "call to action" in bad.json()["detail"][0]["msg"]

    ok = client.post(f"/api/approvals/{row.pk}/approve", {}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["approved_by"] == "person:owner@example.com"
    again = client.post(f"/api/approvals/{row.pk}/reject", {}, content_type="application/json")
    assert again.status_code == 409
    assert (
        client.post("/api/approvals/999999/reject", {}, content_type="application/json").status_code
        == 404
    )
    assert client.get("/api/approvals").json() == []
