"""Events fire from where things happen: a real daily run, a post waiting for a person, the
watchdog's overdue posts (once each)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clarion.accounts.workspaces import create_workspace
from clarion.publishing.models import Publication
from clarion.publishing.orchestrator import run_daily
from clarion.webhooks import delivery
from clarion.webhooks.models import OverdueNotice, WebhookDelivery
from clarion.webhooks.services import announce_overdue
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan
from tests.webhooks.conftest import hook_for

pytestmark = pytest.mark.django_db


def _sent(receiver) -> list[dict]:
    delivery.deliver_due()
    return [r.json() for r in receiver.received]


def test_a_daily_run_announces_each_published_and_failed_post_and_its_end(receiver):
    good = make_brand(slug="good", brand_name="Good Coffee")
    bad = make_brand(slug="bad", brand_name="Bad Coffee")
    make_plan(good, networks=("LinkedIn", "X"))
    # The brand's name is in every post the writer produces: these fail the checks.
    make_plan(bad, networks=("Facebook",), guidelines={"banned_terms": ["Bad Coffee"]})
    hook_for(receiver)

    run = run_daily(date=DAY)

    assert run.counts["published"] == 2 and run.counts["invalid"] == 1
    bodies = _sent(receiver)
    assert all(r.verified for r in receiver.received)
    published = [b["data"]["publication"] for b in bodies if b["event"] == "publication.published"]
    assert sorted(p["network"] for p in published) == ["LinkedIn", "X"]
    assert all(p["state"] == "published" and p["brand"] == "good" for p in published)
    [failed] = [b["data"]["publication"] for b in bodies if b["event"] == "publication.failed"]
    assert failed["brand"] == "bad" and "Banned terms" in failed["error"]
    [finished] = [b["data"]["daily_run"] for b in bodies if b["event"] == "daily_run.finished"]
    assert finished["id"] == run.pk and finished["status"] == "done"
    assert finished["counts"] == {"slots": 3, "published": 2, "invalid": 1}
    assert len(bodies) == 4


def test_running_the_day_again_announces_nothing_new_but_the_run(receiver):
    make_plan(make_brand())
    hook_for(receiver)
    run_daily(date=DAY)
    last = WebhookDelivery.objects.order_by("pk").last()
    assert last is not None

    run_daily(date=DAY)

    again = WebhookDelivery.objects.filter(pk__gt=last.pk)
    assert list(again.values_list("event", flat=True)) == ["daily_run.finished"]


def test_a_post_waiting_for_a_person_announces_approval_waiting(receiver):
    brand = make_brand(approval_required=True)
    make_plan(brand, networks=("LinkedIn",))
    hook_for(receiver, events=["approval.waiting"])

    run_daily(date=DAY)

    [body] = _sent(receiver)
    assert body["event"] == "approval.waiting"
    row = Publication.objects.get()
    assert body["data"]["publication"]["id"] == row.pk
    assert body["data"]["publication"]["state"] == "awaiting_approval"


def test_only_the_workspace_of_the_post_hears_of_it(receiver):
    make_plan(make_brand(), networks=("LinkedIn",))
    hook_for(receiver, workspace=create_workspace(name="Elsewhere"))

    run_daily(date=DAY)

    assert not WebhookDelivery.objects.exists()


def test_an_overdue_post_fires_its_event_once_however_often_the_watchdog_looks(receiver):
    brand = make_brand(approval_required=True)  # nobody approves: the posts stay overdue
    make_plan(brand, networks=("LinkedIn", "X"))
    run_daily(date=DAY)
    hook_for(receiver, events=["publication.overdue"])
    later = timezone.now() + timedelta(hours=1)

    for _ in range(3):
        delivery.tick(now=later)

    assert OverdueNotice.objects.count() == 2
    assert announce_overdue(now=later) == []
    bodies = _sent(receiver)
    assert sorted(b["data"]["publication"]["network"] for b in bodies) == ["LinkedIn", "X"]
    assert {b["event"] for b in bodies} == {"publication.overdue"}


def test_a_run_for_a_workspace_without_hooks_looks_for_hooks_once(receiver):
    for n in range(3):
        make_plan(make_brand(slug=f"roastery-{n}", brand_name=f"Roastery {n}"))

    with CaptureQueriesContext(connection) as queries:
        run_daily(date=DAY)

    lookups = [q["sql"] for q in queries.captured_queries if "webhooks_webhook" in q["sql"]]
    assert len(lookups) == 1
    assert not WebhookDelivery.objects.exists()
