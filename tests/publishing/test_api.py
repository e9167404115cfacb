from __future__ import annotations

import pytest
from django.test import Client

from clarion.publishing.models import Publication
from clarion.publishing.services import run_daily
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client) -> Client:
    """A script with the owner's API token."""
    return api_client


def post(api: Client, path: str, body: dict | None = None):
    return api.post(path, body or {}, content_type="application/json")


def test_the_daily_endpoint_runs_the_day_and_says_what_it_published(api, brand):
    make_plan(brand)

    first = post(api, "/api/orchestrator/daily", {"execute_date": str(DAY)})
    again = post(api, "/api/orchestrator/daily", {"execute_date": str(DAY)})

    assert first.status_code == 200, first.content
    assert first.json()["counts"]["published"] == 3
    assert again.json()["counts"].get("published", 0) == 0
    assert again.json()["counts"]["already_done"] == 3


def test_a_dry_run_through_the_api_publishes_nothing(api, brand):
    make_plan(brand)

    response = post(
        api,
        "/api/orchestrator/daily",
        {
            "execute_date": str(DAY),
            "dry_run": True,
            "platforms": ["LinkedIn"],
            "brands": [brand.slug],
            "signals": [{"title": "Cold brew season", "summary": "Searches are up."}],
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["dry_run"] is True
    assert response.json()["counts"] == {"slots": 1, "dry_run": 1}
    assert not Publication.objects.exists()


def test_status_counts_states_and_lists_each_publication_with_its_error(api, brand):
    make_plan(brand, guidelines={"banned_terms": ["Northwind"]})
    run_daily(date=DAY, platforms=["X"])
    make_plan(brand, guidelines={})
    run_daily(date=DAY, platforms=["LinkedIn"])

    response = api.get(f"/api/orchestrator/status?date={DAY}&brand={brand.slug}")

    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["published"] == 1
    assert body["counts"]["failed"] == 1
    assert body["total"] == 2
    errors = {p["network"]: p["error"] for p in body["publications"]}
    assert "Banned terms used" in errors["X"]
    assert errors["LinkedIn"] == ""
    assert len(body["runs"]) == 2


def test_retry_endpoint_retries_failed_rows_of_one_network(api, brand):
    make_plan(brand, guidelines={"banned_terms": ["Northwind"]})
    run_daily(date=DAY)
    make_plan(brand, guidelines={})

    response = post(api, f"/api/orchestrator/retry/{DAY}/x")

    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"slots": 1, "published": 1}
    states = dict(Publication.objects.values_list("network", "state"))
    assert states == {"X": "published", "LinkedIn": "failed", "Facebook": "failed"}


def test_analytics_summarise_performance_and_yesterday(api, brand):
    make_plan(brand, day=DAY, days=2)
    run_daily(date=DAY)
    Publication.objects.filter(network="LinkedIn").update(metrics={"likes": 7, "shares": 2})

    performance = api.get(f"/api/analytics/performance?brand={brand.slug}&start={DAY}&end={DAY}")
    yesterday = api.get(f"/api/analytics/yesterday/{brand.slug}?date=2026-03-11")

    assert performance.status_code == 200
    body = performance.json()
    assert body["total"]["published"] == 3
    assert body["by_network"]["LinkedIn"]["metrics"]["likes"] == 7
    assert sum(p["published"] for p in body["by_pillar"].values()) == 3
    assert yesterday.status_code == 200
    assert yesterday.json()["date"] == str(DAY)
    assert yesterday.json()["published"] == 3
    assert {p["network"] for p in yesterday.json()["posts"]} == {"LinkedIn", "Facebook", "X"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/orchestrator/daily", {"brands": ["no-such-brand"]}),
        ("get", "/api/orchestrator/status?brand=no-such-brand", None),
        ("get", "/api/analytics/performance?brand=no-such-brand", None),
        ("get", "/api/analytics/yesterday/no-such-brand", None),
    ],
)
def test_an_unknown_brand_is_404(api, method, path, body):
    response = post(api, path, body) if method == "post" else api.get(path)
    assert response.status_code == 404
    assert "no-such-brand" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "named"),
    [
        ("post", "/api/orchestrator/retry/2026-02-30/X", None, "date"),
        ("post", "/api/orchestrator/retry/2026-03-10/Myspace", None, '"platform"'),
        ("post", "/api/orchestrator/daily", {"platforms": ["Myspace"]}, '"platforms"'),
        ("post", "/api/orchestrator/daily", {"execute_date": "yesterday"}, "execute_date"),
        ("post", "/api/orchestrator/daily", {"execute_date": 1700000000}, "YYYY-MM-DD"),
        ("get", "/api/orchestrator/status?date=2026-13-01", None, "date"),
        ("get", "/api/orchestrator/status?date=0", None, "YYYY-MM-DD"),
        ("get", "/api/analytics/performance?start=2026-3-1", None, "start"),
        ("get", "/api/analytics/yesterday/x?date=nope", None, "date"),
    ],
)
def test_a_bad_date_or_platform_is_422_naming_the_problem(api, brand, method, path, body, named):
    response = post(api, path, body) if method == "post" else api.get(path)
    assert response.status_code == 422, response.content
    assert named in response.content.decode()


def test_a_period_ending_before_it_starts_is_empty(api, brand):
    make_plan(brand)
    run_daily(date=DAY)

    response = api.get("/api/analytics/performance?start=2026-03-10&end=2026-03-01")

    assert response.status_code == 200
    assert response.json()["total"]["published"] == 0
