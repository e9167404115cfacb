from __future__ import annotations

import datetime as dt
import json

import pytest

from clarion.core.errors import InvalidInput
from clarion.publishing.models import (
    ChannelAccount,
    DailyContentPackage,
    DailyRun,
    OutboxPost,
    Publication,
)
from clarion.publishing.services import run_daily
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db


def test_a_daily_run_publishes_every_slot_into_the_outbox(brand, settings):
    make_plan(brand)

    run = run_daily(date=DAY)

    assert run.counts["published"] == 3
    rows = list(Publication.objects.all())
    assert {r.network for r in rows} == {"LinkedIn", "Facebook", "X"}
    assert all(r.state == "published" and r.content and r.remote_id for r in rows)
    assert OutboxPost.objects.count() == 3
    files = sorted((settings.CLARION_HOME / "outbox" / DAY.isoformat()).glob("*.json"))
    assert len(files) == 3
    stored = {json.loads(f.read_text())["text"] for f in files}
    assert stored == {r.content for r in rows}


def test_running_the_same_day_again_publishes_nothing_new(brand):
    make_plan(brand)
    run_daily(date=DAY)

    again = run_daily(date=DAY)

    assert again.counts.get("published", 0) == 0
    assert again.counts["already_done"] == 3
    assert OutboxPost.objects.count() == 3
    assert DailyContentPackage.objects.count() == 3


def test_a_dry_run_writes_and_checks_everything_and_publishes_nothing(brand, settings):
    make_plan(brand)

    run = run_daily(date=DAY, dry_run=True)

    assert run.dry_run
    assert run.counts["dry_run"] == 3
    packages = list(DailyContentPackage.objects.all())
    assert len(packages) == 3
    assert all(p.dry_run and p.valid and p.content for p in packages)
    assert not Publication.objects.exists()
    assert not OutboxPost.objects.exists()
    assert not (settings.CLARION_HOME / "outbox").exists()


def test_only_the_platforms_asked_for_are_run(brand):
    make_plan(brand)

    run = run_daily(date=DAY, platforms=["twitter", "LinkedIn"])

    assert run.counts["published"] == 2
    assert set(Publication.objects.values_list("network", flat=True)) == {"X", "LinkedIn"}


def test_an_unknown_platform_is_refused_with_its_name(brand):
    with pytest.raises(InvalidInput, match="Myspace"):
        run_daily(date=DAY, platforms=["Myspace"])
    assert not DailyRun.objects.exists()


def test_content_failing_the_checks_is_never_published(brand):
    # The brand's name is in every post the writer produces, so this term always fails.
    make_plan(brand, guidelines={"tone": "friendly", "banned_terms": ["Northwind"]})

    run = run_daily(date=DAY)

    assert run.counts["invalid"] == 3
    assert run.counts.get("published", 0) == 0
    assert not OutboxPost.objects.exists()
    for row in Publication.objects.all():
        assert row.state == "failed"
        assert "Banned terms used: Northwind" in row.error
        assert row.content and not row.content_hash


def test_a_regenerated_plan_does_not_publish_a_slot_again(brand):
    make_plan(brand)
    run_daily(date=DAY)
    make_plan(brand, version=2)  # a new version: new PlanSlot rows for the same slots

    again = run_daily(date=DAY)

    assert again.counts.get("published", 0) == 0
    assert Publication.objects.count() == 3
    assert OutboxPost.objects.count() == 3


def test_each_brand_publishes_to_its_own_accounts(brand):
    other = make_brand(brand_name="Southwind Tea", slug="southwind-tea")
    make_plan(brand)
    make_plan(other)

    run = run_daily(date=DAY, brands=[other])

    assert run.counts["published"] == 3
    assert set(Publication.objects.values_list("brand__slug", flat=True)) == {"southwind-tea"}
    accounts = ChannelAccount.objects.filter(brand=other)
    assert sorted(a.platform for a in accounts) == ["Facebook", "LinkedIn", "X"]
    assert all(a.kind == "outbox" for a in accounts)


def test_yesterdays_results_reach_the_writer_as_a_quoted_signal(brand, scripted):
    from tests.scripted import draft, verdict

    openings = {  # a text of its own per network: the same post thrice is boilerplate
        "LinkedIn": "Fresh beans, every week.",
        "Facebook": "Roasted on Monday, in your cup by Wednesday.",
        "X": "Coffee that tastes like the roastery smells.",
    }
    scripted.script(
        "write",
        lambda request: draft(
            f"{openings[request['platform']]} Subscribe for your free tasting kit."
        ),
    )
    scripted.script("review", verdict("approve"))
    make_plan(brand, day=DAY - dt.timedelta(days=1), days=2)
    run_daily(date=DAY - dt.timedelta(days=1))
    Publication.objects.filter(network="LinkedIn").update(metrics={"likes": 12, "shares": 3})
    scripted.requests.clear()

    run_daily(date=DAY, platforms=["LinkedIn"])

    signals = scripted.requests_for("write")[0]["signals"]
    assert signals[0]["kind"] == "performance"
    assert "LinkedIn likes: 12, published: 1, shares: 3" in signals[0]["summary"]
