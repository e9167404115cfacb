"""Publishing through a network: retries, unknown outcomes, lease recovery, retry of failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clarion.publishing import orchestrator
from clarion.publishing.connectors import OutgoingPost, PublishError
from clarion.publishing.connectors.mastodon import MastodonConnector
from clarion.publishing.models import ChannelAccount, Publication
from clarion.publishing.services import publish_due, retry_failed, run_daily
from tests.publishing.helpers import DAY, make_plan, use_fake_network

pytestmark = pytest.mark.django_db


def linkedin() -> Publication:
    return Publication.objects.get(network="LinkedIn")


def test_a_post_goes_out_once_with_its_idempotency_key(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)

    run = run_daily(date=DAY)

    assert run.counts["published"] == 1
    row = linkedin()
    [status] = network.statuses
    assert status.text == row.content
    assert status.idempotency_key == row.idempotency_key
    assert row.remote_id == status.id
    assert row.remote_url.endswith(f"/@clarion/{status.id}")


def test_a_short_rate_limit_is_waited_out_within_the_claim(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, count=2)  # reset now: a short wait, then again

    run_daily(date=DAY, wait_for_deferred=0)

    assert linkedin().state == "published"
    assert network.created == 1
    assert network.requests == 3


def test_a_permanent_error_fails_the_row_with_its_reason_and_is_not_retried(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(422)

    run = run_daily(date=DAY)

    row = linkedin()
    assert run.counts["failed"] == 1
    assert row.state == "failed"
    assert row.error_kind == "permanent"
    assert "HTTP 422" in row.error
    assert network.created == 0
    assert network.requests == 1


def test_an_account_without_a_token_fails_its_row_with_the_fix_and_sends_nothing(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    ChannelAccount.objects.filter(brand=brand).update(secret_token="")

    run = run_daily(date=DAY)

    row = linkedin()
    assert run.counts["failed"] == 1
    assert row.error_kind == "permanent"
    assert "has no access token" in row.error
    assert network.requests == 0


def test_a_rate_limit_defers_the_row_to_the_networks_reset_instead_of_failing_it(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=120)

    run = run_daily(date=DAY, wait_for_deferred=0)

    row = linkedin()
    assert run.counts["deferred"] == 1
    assert (row.state, row.error_kind) == ("pending", "retryable")
    assert "HTTP 429" in row.error
    assert row.claim_token == "" or row.lease_expires_at is None
    assert timedelta(seconds=100) < row.not_before - timezone.now() <= timedelta(seconds=120)
    assert publish_due() == {}  # not before the reset
    assert network.created == 0

    outcome = publish_due(now=row.not_before + timedelta(seconds=1))
    row.refresh_from_db()
    assert outcome == {"published": 1}, (row.state, row.error, network.requests)
    assert (row.state, row.error, row.not_before) == ("published", "", None)
    assert network.created == 1


def test_a_run_by_hand_waits_for_a_short_deferral_and_publishes(brand, network, settings):
    settings.CLARION_PUBLISH_MAX_WAIT = 10.0
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=3)
    waits: list[tuple[float, int]] = []

    run = run_daily(date=DAY, on_wait=lambda seconds, rows: waits.append((seconds, rows)))

    assert run.counts == {"slots": 1, "published": 1}
    assert [rows for _, rows in waits] == [1]
    assert linkedin().state == "published"
    assert network.created == 1


def test_retryable_failures_fail_the_row_only_once_the_retry_window_is_spent(
    brand, network, settings
):
    settings.CLARION_PUBLISH_RETRY_HOURS = 6
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=60)
    run_daily(date=DAY, wait_for_deferred=0)
    row = linkedin()
    assert row.state == "pending"
    # Five hours later it is still rate limited: deferred again, the window runs from the first.
    Publication.objects.filter(pk=row.pk).update(
        first_error_at=timezone.now() - timedelta(hours=5), not_before=None
    )
    network.fail_next(429, reset_seconds=60)
    assert publish_due() == {"deferred": 1}
    # Past six hours: failed for good, with the reason.
    Publication.objects.filter(pk=row.pk).update(
        first_error_at=timezone.now() - timedelta(hours=7), not_before=None
    )
    network.fail_next(429, reset_seconds=60)
    assert publish_due() == {"failed": 1}

    row.refresh_from_db()
    assert (row.state, row.error_kind) == ("failed", "retryable")
    assert row.error.startswith("gave up after 6 h of retryable errors")
    assert network.created == 0


def test_a_timeout_after_send_is_reconciled_before_any_resend(brand, settings):
    """The network stored the post but never answered: it is found, not posted again."""
    from clarion.testing.fake_network import FakeNetwork

    settings.CLARION_PUBLISH_TIMEOUT = 0.3
    with FakeNetwork(honour_idempotency=False) as network:  # like X: only our ledger protects
        make_plan(brand, networks=("LinkedIn",))
        use_fake_network(brand, network)
        network.timeout_after_send(hang=1.0)

        run_daily(date=DAY)

        row = linkedin()
        assert row.state == "published"
        assert network.created == 1
        assert network.duplicates == 0
        assert row.remote_id == network.statuses[0].id


def test_an_outcome_that_stays_unknown_needs_attention_then_is_reconciled(
    brand, network, settings, monkeypatch
):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(503)  # 5xx may have committed: reconcile, never blind-resend

    run_daily(date=DAY, wait_for_deferred=0)
    assert linkedin().state == "needs_attention"
    assert linkedin().error_kind == "unknown_outcome"
    assert network.created == 0

    outcome = publish_due()

    assert outcome == {"published": 1}
    assert linkedin().state == "published"
    assert network.created == 1


def test_an_abandoned_claim_is_recovered_by_asking_the_network_first(brand, network):
    """A worker died after sending: the next one finds the post instead of posting again."""
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    run_daily(date=DAY)
    row = linkedin()
    # Rewind the ledger to "claimed by a dead worker, lease expired, content stored".
    Publication.objects.filter(pk=row.pk).update(
        state="claimed",
        claimed_by="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
        remote_id="",
        published_at=None,
    )
    requests = network.requests

    assert publish_due() == {"published": 1}

    row.refresh_from_db()
    assert row.state == "published"
    assert row.remote_id == network.statuses[0].id
    assert network.created == 1
    assert network.requests == requests + 2  # verify_credentials + list statuses, no POST


def test_a_claim_still_within_its_lease_is_left_to_its_worker(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    run_daily(date=DAY, dry_run=True)
    orchestrator._ensure_ledger(
        orchestrator._works(
            orchestrator.day_slots(day=DAY),
            orchestrator.ensure_accounts({(brand.pk, "LinkedIn")}),
        )
    )
    Publication.objects.update(
        state="claimed",
        claimed_by="live-worker",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )

    run = run_daily(date=DAY)

    assert run.counts["held_elsewhere"] == 1
    assert linkedin().claimed_by == "live-worker"
    assert network.created == 0


def test_retry_touches_only_failed_publications(brand, network):
    make_plan(brand, networks=("LinkedIn", "Facebook", "X"))
    use_fake_network(brand, network, platform="LinkedIn")
    network.fail_next(422)  # the LinkedIn post fails; the outbox ones publish
    run_daily(date=DAY)
    before = {r.network: (r.state, r.attempts, r.updated_at) for r in Publication.objects.all()}
    assert before["LinkedIn"][0] == "failed"

    for platform in ("Facebook", "X"):
        run = retry_failed(date=DAY, platform=platform)
        assert run.counts == {"slots": 0}
    run = retry_failed(date=DAY, platform="LinkedIn")

    assert run.counts == {"slots": 1, "published": 1}
    after = {r.network: (r.state, r.attempts, r.updated_at) for r in Publication.objects.all()}
    assert after["LinkedIn"][0] == "published"
    assert after["Facebook"] == before["Facebook"]
    assert after["X"] == before["X"]
    assert network.created == 1


def test_the_connector_classifies_network_errors(brand, network):
    account = ChannelAccount(
        brand=brand, platform="LinkedIn", kind="mastodon", base_url=network.base_url
    )
    account.token = "wrong"
    post = OutgoingPost(
        idempotency_key="k", content_hash="h", text="Hi", network="Mastodon",
        date=DAY, slot=0, brand_slug="b",
    )  # fmt: skip
    with pytest.raises(PublishError) as caught:
        MastodonConnector(account).publish(post)
    assert caught.value.kind == "permanent"

    account.token = network.token
    network.fail_next(429, reset_seconds=30)
    with pytest.raises(PublishError) as caught:
        MastodonConnector(account).publish(post)
    assert caught.value.kind == "retryable"
    assert caught.value.retry_after is not None

    account.base_url = "http://127.0.0.1:9"  # nothing listens: the post never left
    with pytest.raises(PublishError) as caught:
        MastodonConnector(account).publish(post)
    assert caught.value.kind == "retryable"  # nothing could have been sent


def test_a_post_written_ahead_goes_out_at_its_time_without_a_needless_lookup(brand, network):
    from datetime import UTC, datetime

    make_plan(brand, networks=("LinkedIn",))  # 09:00 UTC (the brand's timezone)
    use_fake_network(brand, network)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2026, 3, 10, 7, 0, tzinfo=UTC))
        run = run_daily(date=DAY, respect_schedule=True)
    assert run.counts["scheduled"] == 1
    assert linkedin().content and linkedin().send_started_at is None
    assert network.requests == 0

    assert publish_due(now=datetime(2026, 3, 10, 8, 59, tzinfo=UTC)) == {}
    assert publish_due(now=datetime(2026, 3, 10, 9, 0, tzinfo=UTC)) == {"published": 1}

    assert network.requests == 1  # the POST alone: nothing had been sent before
    assert network.statuses[0].text == linkedin().content
