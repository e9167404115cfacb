"""The analytics page: yesterday per brand and a period's posts as charts, the workspace's
own only, in a bounded number of queries, with clear messages for bad dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from clarion.publishing import analytics, reports
from clarion.publishing.ledger import idempotency_key
from clarion.publishing.models import ChannelAccount, Publication, PublicationState
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import make_brand
from tests.publishing.helpers import make_plan

pytestmark = pytest.mark.django_db

NETWORKS = ("LinkedIn", "Facebook", "X", "Mastodon", "Bluesky")


def _published_month(brand, *, start: dt.date, days: int, networks=NETWORKS) -> int:
    """A plan of ``days`` days, every post published with metrics but each fifth failed."""
    plan = make_plan(brand, day=start, networks=networks, days=days)
    accounts = {
        n: ChannelAccount.objects.get_or_create(brand=brand, platform=n, is_active=True)[0]
        for n in networks
    }
    rows = []
    for index, slot in enumerate(plan.slots.order_by("pk")):
        failed = index % 5 == 4
        account = accounts[slot.network]
        rows.append(
            Publication(
                brand=brand,
                account=account,
                network=slot.network,
                date=slot.date,
                slot=slot.slot,
                plan_slot=slot,
                idempotency_key=idempotency_key(
                    brand_id=brand.pk, account_id=account.pk, day=slot.date, slot=slot.slot
                ),
                state=PublicationState.FAILED if failed else PublicationState.PUBLISHED,
                error="429 Too Many Requests" if failed else "",
                remote_url="" if failed else f"https://social.example/@b/{slot.pk}",
                metrics={} if failed else {"impressions": 100, "likes": 4, "clicks": 2},
                scheduled_at=timezone.now(),
            )
        )
    Publication.objects.bulk_create(rows)
    return len(rows)


def _today() -> dt.date:
    return timezone.localdate()


def test_the_page_shows_yesterday_and_the_period_as_charts(client, brand):
    yesterday = _today() - dt.timedelta(days=1)
    _published_month(brand, start=yesterday - dt.timedelta(days=9), days=10)

    response = client.get("/analytics/")

    assert response.status_code == 200
    page = response.content.decode()
    # Yesterday: 5 posts, one failed (the fifth of each day), with their links and errors.
    yesterday_part = page.split('id="yesterday"')[1].split('id="performance"')[0]
    assert "Northwind Coffee" in yesterday_part
    assert "4 published" in yesterday_part and "1 failed" in yesterday_part
    assert "429 Too Many Requests" in yesterday_part
    # The last 30 days: 40 published, 10 failed.
    assert 'id="total-published">40<' in page
    assert 'id="total-failed">10<' in page
    assert page.count('<svg class="chart"') == 5  # 3 by state, 2 of impressions
    assert "Posts by network" in page and "Posts by content pillar" in page
    assert "Posts by posting time (local)" in page
    assert "09:00–09:59" in page  # make_plan's first network posts at 9
    assert "Impressions by network" in page


def test_a_chosen_brand_and_period_narrow_the_report(client, brand):
    other = make_brand(brand_name="Harbour Tea")
    _published_month(brand, start=dt.date(2026, 3, 1), days=10)
    _published_month(other, start=dt.date(2026, 3, 1), days=10)

    page = client.get(
        "/analytics/", {"brand": other.slug, "start": "2026-03-01", "end": "2026-03-05"}
    ).content.decode()

    assert 'id="total-published">20<' in page
    assert "Harbour Tea" in page
    assert "1 Mar 2026 – 5 Mar 2026 · Harbour Tea" in page


def test_another_workspaces_posts_never_show_or_count(client, brand, other_workspace):
    theirs = make_brand(workspace=other_workspace, brand_name="Their Coffee")
    start = _today() - dt.timedelta(days=5)
    _published_month(theirs, start=start, days=5)
    _published_month(brand, start=start, days=2, networks=("LinkedIn",))

    page = client.get("/analytics/").content.decode()

    assert "Their Coffee" not in page
    assert 'id="total-published">2<' in page
    assert 'id="total-failed">0<' in page
    assert client.get("/analytics/", {"brand": theirs.slug}).status_code == 404
    assert client.get("/analytics/", {"brand": str(theirs.pk)}).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"start": "2026-02-30"},
            "From: &#x27;2026-02-30&#x27; is not a date: write it as YYYY-MM-DD",
        ),
        ({"end": "yesterday"}, "To: &#x27;yesterday&#x27; is not a date"),
        (
            {"start": "2026-03-10", "end": "2026-03-01"},
            "To: the end (2026-03-01) is before the start",
        ),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "From: choose at most 366 days"),
    ],
)
def test_bad_dates_say_what_to_fix(client, brand, query, message):
    response = client.get("/analytics/", query)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="period-errors"' in page
    assert 'id="performance"' not in page


def test_a_viewer_reads_the_page(viewer, brand):
    browser = Client()
    browser.force_login(viewer)

    assert browser.get("/analytics/").status_code == 200


def test_many_posts_cost_no_more_queries(client, brand, django_assert_max_num_queries):
    other = make_brand(brand_name="Harbour Tea")
    start = _today() - dt.timedelta(days=30)
    count = _published_month(brand, start=start, days=31)
    count += _published_month(other, start=start, days=31)
    assert count == 310

    # Sign-in (3), the brands, the report, the hours, yesterday per brand (2), and the
    # frame (memberships, worker, overdue posts, approvals).
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 5 + 6):
        response = client.get("/analytics/")

    assert 'id="total-published">' in response.content.decode()


def test_the_report_s_own_posting_times_are_charted_when_it_has_them(monkeypatch, brand):
    real = reports.performance

    def with_times(**kwargs):
        report = real(**kwargs)
        report["by_time"] = {"morning": {"published": 3, "failed": 1, "pending": 0}}
        return report

    monkeypatch.setattr(reports, "performance", with_times)
    found = analytics.performance(
        workspace=brand.workspace, brand=None, start=_today(), end=_today()
    )

    assert found.time_from_report
    assert [(r.label, r.counts) for r in found.by_time] == [("morning", [3, 1, 0])]


def test_posting_hours_are_counted_in_one_query(brand, django_assert_num_queries):
    _published_month(brand, start=dt.date(2026, 3, 1), days=4, networks=("LinkedIn", "X"))

    with django_assert_num_queries(1):
        rows = analytics.hour_rows(
            workspace=brand.workspace,
            brand=brand,
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
        )

    # make_plan posts LinkedIn at 9 and X at 10; every fifth post failed.
    assert [(r.key, r.total) for r in rows] == [("09:00", 4), ("10:00", 4)]
    assert sum(r.failed for r in rows) == 1
    assert re.fullmatch(r"\d\d:00–\d\d:59", rows[0].label)
