"""Fencing: a worker that lost its claim never sends, never records an outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clarion.publishing import delivery, ledger
from clarion.publishing.connectors import connector_for
from clarion.publishing.delivery import LOST, PUBLISHED, outgoing, send
from clarion.publishing.models import Publication
from clarion.publishing.services import run_daily
from tests.publishing.helpers import DAY, make_plan, use_fake_network

pytestmark = pytest.mark.django_db


def written_row(brand, network) -> Publication:
    """A LinkedIn row with its approved text stored, as a worker leaves it before sending."""
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=600)  # written and stored, then deferred
    run_daily(date=DAY, wait_for_deferred=0)
    row = Publication.objects.get()
    assert row.content and row.approved_by == "reviewer"
    Publication.objects.filter(pk=row.pk).update(not_before=None)
    network.reset()
    return row


def expire(row: Publication) -> None:
    Publication.objects.filter(pk=row.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_claim_gets_a_new_token_each_time_and_only_once_its_lease_ran_out(brand, network):
    row = written_row(brand, network)

    first = ledger.claim(row.pk, worker_id="a")
    assert first is not None
    assert ledger.claim(row.pk, worker_id="b") is None  # A's lease is running
    expire(row)
    second = ledger.claim(row.pk, worker_id="b")

    assert second is not None
    assert second.token != first.token
    assert Publication.objects.get().claimed_by == "b"


def test_a_worker_whose_claim_was_taken_over_never_sends_nor_records(brand, network):
    row = written_row(brand, network)
    stalled = ledger.claim(row.pk, worker_id="stalled")
    assert stalled is not None
    expire(row)
    recovered = ledger.claim(row.pk, worker_id="recovering")
    assert recovered is not None
    post = outgoing(stalled.publication, brand_slug=brand.slug)

    outcome = send(stalled, post=post, connector=connector_for(row.account))

    assert outcome == LOST
    assert network.requests == 0
    assert not ledger.mark_published(stalled, remote_id="x", url="")
    assert ledger.defer(stalled, seconds=5, kind="retryable", error="late") is None
    assert not ledger.mark_failed(stalled, kind="permanent", error="late")
    assert Publication.objects.get().claimed_by == "recovering"
    assert Publication.objects.get().state == "claimed"


def test_a_lease_that_ran_out_stops_its_worker_even_before_anyone_recovers_it(brand, network):
    row = written_row(brand, network)
    claim = ledger.claim(row.pk, worker_id="slow")
    assert claim is not None
    expire(row)

    assert not ledger.fence(claim, sending=True)
    assert (
        send(claim, post=outgoing(row, brand_slug=brand.slug), connector=connector_for(row.account))
        == LOST
    )
    assert network.requests == 0


def test_a_worker_that_waited_rechecks_its_claim_and_does_not_send_twice(
    brand, network, monkeypatch
):
    """Rate limited, it waits; meanwhile its claim runs out and another worker publishes."""
    row = written_row(brand, network)
    mine = ledger.claim(row.pk, worker_id="waiting")
    assert mine is not None
    network.fail_next(429)  # a short reset: waited out within the claim

    def meanwhile(seconds: float) -> None:
        expire(row)
        other = ledger.claim(row.pk, worker_id="other")
        assert other is not None
        post = outgoing(other.publication, brand_slug=brand.slug)
        assert send(other, post=post, connector=connector_for(row.account)) == PUBLISHED

    monkeypatch.setattr(delivery.time, "sleep", meanwhile)
    outcome = send(
        mine, post=outgoing(row, brand_slug=brand.slug), connector=connector_for(row.account)
    )

    assert outcome == LOST
    assert network.created == 1
    assert network.duplicates == 0
    assert Publication.objects.get().state == "published"
    assert Publication.objects.get().claimed_by == "other"


def test_an_outcome_lost_to_a_takeover_is_not_counted_as_published(brand, network, monkeypatch):
    """Sent, but the claim changed hands before the outcome was recorded: the new holder
    reconciles and finds the post; the first worker reports the loss."""
    row = written_row(brand, network)
    mine = ledger.claim(row.pk, worker_id="first")
    assert mine is not None
    real_publish = type(connector_for(row.account)).publish

    def publish_then_lose_the_claim(self, post):
        posted = real_publish(self, post)
        expire(row)
        assert ledger.claim(row.pk, worker_id="second") is not None
        return posted

    monkeypatch.setattr(type(connector_for(row.account)), "publish", publish_then_lose_the_claim)
    outcome = send(
        mine, post=outgoing(row, brand_slug=brand.slug), connector=connector_for(row.account)
    )
    monkeypatch.undo()

    assert outcome == LOST
    expire(row)
    from clarion.publishing.services import publish_due

    assert publish_due() == {"published": 1}  # found on the network, not sent again
    assert network.created == 1
    assert Publication.objects.get().remote_id == network.statuses[0].id


def test_a_deferred_row_is_not_claimed_before_its_time(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=600)
    run_daily(date=DAY, wait_for_deferred=0)
    row = Publication.objects.get()

    assert ledger.claim(row.pk, worker_id="eager") is None
    assert ledger.claim(row.pk, worker_id="on time", due_by=row.not_before) is not None


def test_the_lease_keeper_renews_the_leases_of_rows_being_worked(brand, network):
    row = written_row(brand, network)
    claim = ledger.claim(row.pk, worker_id="busy")
    assert claim is not None
    Publication.objects.filter(pk=row.pk).update(
        lease_expires_at=timezone.now() + timedelta(seconds=2)
    )

    assert ledger.renew_all([claim.token, "someone-else"]) == {claim.token}

    renewed = Publication.objects.get().lease_expires_at
    assert renewed - timezone.now() > timedelta(seconds=50)
    expire(row)
    assert ledger.renew_all([claim.token]) == set()  # a lease that ran out stays lost
