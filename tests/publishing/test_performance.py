"""Performance over a period is aggregated in the database, and counts as Bucket.add does."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import pytest

from clarion.planning.models import PlanSlot
from clarion.publishing import reports
from clarion.publishing.ledger import idempotency_key
from clarion.publishing.models import ChannelAccount, Publication, PublicationState
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db

NETWORKS = ("LinkedIn", "Facebook", "X", "Mastodon", "Bluesky")
# Every kind of value a metric may hold, and what Bucket.add makes of it.
METRICS: list[dict[str, Any]] = [
    {},
    {"likes": 3, "shares": 1, "impressions": 120},
    {"likes": 2.9, "clicks": -1.5},  # floats truncated toward zero: 2 and -1
    {"likes": True, "comments": False},  # booleans are ints to Python: 1 and 0
    {"likes": "12", "shares": None, "clicks": [1], "comments": {"n": 1}},  # not numbers: 0
    {"impressions": 10**12, "likes": 0, "saves": 9},  # big; a name we do not count
    {"likes": -4, "impressions": 0.5},
]


def python_performance(rows: Any) -> dict[str, Any]:
    """The loop ``performance`` ran before it was aggregated in SQL, plus by_time."""
    total = reports.Bucket()
    by_network: defaultdict[str, reports.Bucket] = defaultdict(reports.Bucket)
    by_pillar: defaultdict[str, reports.Bucket] = defaultdict(reports.Bucket)
    by_time: defaultdict[str, reports.Bucket] = defaultdict(reports.Bucket)
    for row in rows.select_related("plan_slot"):
        total.add(row)
        by_network[row.network].add(row)
        by_pillar[row.plan_slot.pillar if row.plan_slot else "unknown"].add(row)
        by_time[f"{row.plan_slot.time_of_day:%H}:00" if row.plan_slot else "unknown"].add(row)
    return {
        "total": total.as_dict(),
        "by_network": {k: v.as_dict() for k, v in sorted(by_network.items())},
        "by_pillar": {k: v.as_dict() for k, v in sorted(by_pillar.items())},
        "by_time": {k: v.as_dict() for k, v in sorted(by_time.items())},
    }


def make_ledger(brand, *, days: int, start: dt.date = DAY) -> list[Publication]:
    """A plan of ``days`` × five networks at varied times, and a ledger row for each slot in
    every state with every kind of metric; every seventh row has lost its slot."""
    plan = make_plan(brand, day=start, days=days, networks=NETWORKS)
    slots = list(PlanSlot.objects.filter(plan=plan).order_by("date", "network"))
    times = itertools.cycle([dt.time(8, 30), dt.time(9), dt.time(12, 15), dt.time(18, 45)])
    for s in slots:
        s.time_of_day = next(times)
    PlanSlot.objects.bulk_update(slots, ["time_of_day"])
    accounts = {
        network: ChannelAccount.objects.get_or_create(brand=brand, platform=network)[0]
        for network in NETWORKS
    }
    states = itertools.cycle(PublicationState.values)
    metrics = itertools.cycle(METRICS)
    return Publication.objects.bulk_create(
        Publication(
            brand=brand,
            account=accounts[s.network],
            network=s.network,
            date=s.date,
            slot=s.slot,
            plan_slot=None if n % 7 == 3 else s,
            idempotency_key=idempotency_key(
                brand_id=brand.pk, account_id=accounts[s.network].pk, day=s.date, slot=s.slot
            ),
            state=next(states),
            metrics=next(metrics),
            scheduled_at=dt.datetime.combine(s.date, s.time_of_day, tzinfo=dt.UTC),
        )
        for n, s in enumerate(slots)
    )


def test_the_sql_aggregate_counts_exactly_as_the_python_loop_did(brand, other_workspace):
    make_ledger(brand, days=9)
    other = make_brand(brand_name="Other Roastery", slug="other")
    make_ledger(other, days=4, start=DAY + dt.timedelta(days=2))
    make_ledger(make_brand(workspace=other_workspace), days=9)  # never counted here
    period = {"start": DAY + dt.timedelta(days=1), "end": DAY + dt.timedelta(days=6)}
    in_period = Publication.objects.filter(
        date__gte=period["start"], date__lte=period["end"], brand__workspace=brand.workspace
    )

    for which, rows in [(brand, in_period.filter(brand=brand)), (None, in_period)]:
        got = reports.performance(brand=which, workspace=brand.workspace, **period)
        expected = python_performance(rows)
        assert {k: got[k] for k in expected} == expected
    got = reports.performance(workspace=brand.workspace, **period)
    assert got["total"]["published"] + got["total"]["failed"] + got["total"]["pending"] == (
        in_period.count()
    )
    assert set(got["by_time"]) == {"08:00", "09:00", "12:00", "18:00", "unknown"}
    assert "unknown" in got["by_pillar"]
    assert any(got["total"]["metrics"].values())


def test_every_metric_value_counts_as_bucket_add_counts_it(brand):
    rows = make_ledger(brand, days=len(METRICS))
    for row, metrics in zip(rows, itertools.cycle(METRICS), strict=False):
        assert row.metrics == metrics
    got = reports.performance(brand=brand, start=DAY, end=DAY + dt.timedelta(days=99))
    assert got["total"] == python_performance(Publication.objects.filter(brand=brand))["total"]
    assert got["total"]["metrics"]["impressions"] >= 10**12


def test_an_empty_period_is_all_zeros(brand):
    make_ledger(brand, days=2)
    got = reports.performance(brand=brand, start=DAY, end=DAY - dt.timedelta(days=1))
    assert got["total"] == reports.Bucket().as_dict()
    assert got["by_network"] == got["by_pillar"] == got["by_time"] == {}


@pytest.mark.parametrize("days", [2, 25])
def test_performance_is_one_query_whatever_the_number_of_rows(
    client, brand, days, django_assert_max_num_queries
):
    make_ledger(brand, days=days)
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 1):
        body = client.get(f"/api/analytics/performance?start={DAY}&end=2026-04-30").json()
    total = body["total"]
    assert total["published"] + total["failed"] + total["pending"] == 5 * days
    assert sum(b["published"] for b in body["by_time"].values()) == total["published"]
