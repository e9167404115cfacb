"""Deliveries against a real receiver on loopback: signed, retried with backoff, logged,
never sent twice."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from django.db import close_old_connections, connection

from clarion.core.pool import threads_share_the_database
from clarion.testing.webhook_receiver import verify_signature
from clarion.webhooks import delivery
from clarion.webhooks.models import WebhookDelivery
from clarion.webhooks.services import TEST, emit, send_test
from clarion.webhooks.tasks import deliver_webhook
from tests.webhooks.conftest import hook_for

pytestmark = pytest.mark.django_db

PAYLOAD = {"publication": {"id": 7, "state": "published"}}


def _one_delivery(hook, event="publication.published"):
    [pk] = emit(hook.workspace_id, event, PAYLOAD)
    return pk


def test_a_delivery_is_signed_as_the_readme_says_and_a_receiver_can_verify_it(receiver):
    hook, secret = hook_for(receiver)

    done = send_test(webhook=hook)

    assert done.status == "delivered" and done.response_status == 200
    [request] = receiver.received
    assert request.verified
    assert request.event == TEST and request.delivery == str(done.pk)
    header = request.headers["clarion-signature"]
    assert verify_signature(secret, header, request.body)
    assert not verify_signature("whsec_not-the-secret", header, request.body)
    assert not verify_signature(secret, header, request.body + b" ")  # tampered with
    body = request.json()
    assert body["event"] == TEST and body["id"] == str(done.pk)
    assert body["workspace"] == hook.workspace.slug


def test_a_replayed_delivery_is_rejected_once_its_timestamp_is_older_than_the_tolerance(
    receiver,
):
    hook, secret = hook_for(receiver)
    send_test(webhook=hook)
    request = receiver.received[0]
    stale = int(time.time()) - 301
    old_header = delivery.signature(secret, stale, request.body)

    assert not verify_signature(secret, old_header, request.body, tolerance=300)
    assert verify_signature(secret, old_header, request.body, tolerance=400)


def test_a_receiver_failing_once_gets_exactly_two_attempts_and_the_delivery_ends_delivered(
    receiver,
):
    hook, _ = hook_for(receiver)
    receiver.fail_next(500)
    pk = _one_delivery(hook)

    assert deliver_webhook.call(pk) == "pending"
    first = WebhookDelivery.objects.get(pk=pk)
    assert first.attempts == 1 and first.response_status == 500
    assert first.error.startswith("answered 500") and first.next_attempt_at is not None

    assert delivery.deliver_due() == {"delivered": 1}
    assert delivery.deliver_due() == {}  # nothing left to send

    done = WebhookDelivery.objects.get(pk=pk)
    assert done.status == "delivered" and done.attempts == 2
    assert done.response_status == 200 and done.response_ms is not None
    assert done.delivered_at is not None and done.next_attempt_at is None and done.error == ""
    requests = receiver.received
    assert len(requests) == 2
    assert {r.delivery for r in requests} == {str(pk)}  # one id: the receiver can dedupe
    assert requests[0].body == requests[1].body
    assert all(r.verified for r in requests)


def test_a_receiver_that_always_fails_leaves_the_delivery_failed_after_the_last_attempt(
    receiver, settings
):
    hook, _ = hook_for(receiver)
    receiver.always_fail(503)
    pk = _one_delivery(hook)

    for _ in range(10):
        delivery.deliver_due()

    done = WebhookDelivery.objects.get(pk=pk)
    assert done.status == "failed"
    assert done.attempts == settings.CLARION_WEBHOOK_MAX_ATTEMPTS == 3
    assert done.next_attempt_at is None and "answered 503" in done.error
    assert len(receiver.received) == 3


def test_a_receiver_that_does_not_answer_in_time_is_retried_later(receiver):
    hook, _ = hook_for(receiver)
    receiver.hang_next(1.5)
    pk = _one_delivery(hook)

    assert delivery.attempt(pk) == "pending"

    row = WebhookDelivery.objects.get(pk=pk)
    assert "no answer within 0.5 s" in row.error and row.response_status is None
    assert delivery.attempt(pk) == "delivered"


def test_retries_wait_longer_after_each_failure(settings):
    settings.CLARION_WEBHOOK_RETRY_SECONDS = 30.0
    assert [delivery.backoff(n) for n in (1, 2, 3, 4)] == [30.0, 60.0, 120.0, 240.0]
    assert delivery.backoff(40) == delivery.MAX_BACKOFF_SECONDS


def test_a_retry_is_not_sent_before_its_time(receiver, settings):
    settings.CLARION_WEBHOOK_RETRY_SECONDS = 600.0
    hook, _ = hook_for(receiver)
    receiver.fail_next(500)
    pk = _one_delivery(hook)
    delivery.attempt(pk)

    assert delivery.deliver_due() == {}
    assert len(receiver.received) == 1


def test_a_delivery_another_worker_is_sending_is_not_sent_again(receiver):
    hook, _ = hook_for(receiver)
    pk = _one_delivery(hook)
    from django.utils import timezone

    assert delivery._claim(pk, timezone.now())  # a worker took it and is sending it

    assert delivery.attempt(pk) is None
    assert delivery.deliver_due() == {}
    assert receiver.received == []


def test_the_test_event_is_attempted_once(receiver):
    hook, _ = hook_for(receiver, events=["publication.failed"])
    receiver.always_fail(500)

    done = send_test(webhook=hook)

    assert done.status == "failed" and done.attempts == 1
    assert delivery.deliver_due() == {}
    assert len(receiver.received) == 1


def test_a_hook_not_subscribed_to_an_event_gets_no_delivery(receiver):
    hook, _ = hook_for(receiver, events=["publication.failed"])

    assert emit(hook.workspace_id, "publication.published", PAYLOAD) == []
    assert not WebhookDelivery.objects.exists()


def test_a_turned_off_hook_gets_no_new_delivery_and_its_pending_ones_fail(receiver):
    from clarion.webhooks.services import update_webhook

    hook, _ = hook_for(receiver)
    pk = _one_delivery(hook)
    update_webhook(webhook=hook, is_active=False)

    assert emit(hook.workspace_id, "publication.published", PAYLOAD) == []
    assert delivery.attempt(pk) == "failed"
    assert WebhookDelivery.objects.get(pk=pk).error == "the webhook is turned off"
    assert receiver.received == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_never_send_one_delivery_twice(receiver):
    if not threads_share_the_database():
        pytest.skip("threads cannot share an in-memory SQLite database: run on PostgreSQL")
    receiver.slow = 0.3  # each request lasts long enough for the workers to overlap
    hook, _ = hook_for(receiver)
    ids = [_one_delivery(hook) for _ in range(5)]
    start = threading.Barrier(4)
    outcomes: list[dict[str, int]] = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(delivery.deliver_due())
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    sent = [r.delivery for r in receiver.received]
    assert sorted(sent) == sorted(str(pk) for pk in ids)  # each once
    assert sum(o.get("delivered", 0) for o in outcomes) == 5
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
    assert receiver.most_in_flight > 1  # the workers did overlap


def readme_verify():
    """The ``verify`` function of the README's webhook section, as a receiver would copy it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Webhooks.**", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(code.group(1), namespace)  # our own README
    return namespace["verify"]


def test_the_readme_recipe_verifies_a_real_delivery_and_rejects_a_wrong_secret_or_a_replay(
    receiver,
):
    verify = readme_verify()
    hook, secret = hook_for(receiver)
    send_test(webhook=hook)
    request = receiver.received[0]
    header = request.headers["clarion-signature"]

    assert verify(secret, header, request.body)
    assert not verify("whsec_wrong", header, request.body)
    replayed = delivery.signature(secret, int(time.time()) - 3600, request.body)
    assert not verify(secret, replayed, request.body)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_delivery_and_its_heartbeat_picks_up_the_retry(receiver):
    from clarion.core.worker import run_worker

    hook, _ = hook_for(receiver)
    receiver.fail_next(502)
    pk = _one_delivery(hook)  # committed: its first attempt is queued

    # The worker's first beat sees the pending delivery and queues a pass over due ones too:
    # one task sends the first attempt (502), the other the retry (no backoff in tests).
    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    row = WebhookDelivery.objects.get(pk=pk)
    assert row.status == "delivered" and row.attempts == 2
    assert [r.status for r in receiver.received] == [502, 200]
    assert delivery.tick() == {"overdue": [], "deliveries": False}  # nothing left to queue
