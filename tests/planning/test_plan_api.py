"""The strategy endpoints (seed 002 paths) and plan exports over HTTP."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.utils.html import escape
from pydantic_ai.exceptions import ModelHTTPError

from clarion.planning import services
from clarion.planning.models import MonthlyPlan
from tests.conftest import SIGN_IN_QUERIES

pytestmark = pytest.mark.django_db


def post(client, **body):
    return client.post("/api/strategy/generate", body, content_type="application/json")


def test_generate_returns_the_plan_with_its_slots(client, brand):
    response = post(
        client,
        brand="northwind-coffee",
        start_date="2026-04-01",
        networks=["LinkedIn", "Twitter"],
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["brand"] == "northwind-coffee"
    assert (body["start_date"], body["end_date"], body["days"]) == ("2026-04-01", "2026-04-30", 30)
    assert body["networks"] == ["LinkedIn", "X"]
    assert (body["version"], body["is_active"]) == (1, True)
    assert body["guidelines"]["language"] == "en-US"
    assert len(body["slots"]) == 60
    slot = body["slots"][0]
    assert set(slot) >= {
        "date",
        "network",
        "time_of_day",
        "pillar",
        "angle",
        "hook",
        "cta",
        "format",
        "topic",
    }
    assert body["job_id"] is not None


def test_generate_by_brand_id_with_a_duration_makes_a_new_version(client, brand):
    post(client, brand="northwind-coffee", start_date="2026-04-01")
    response = post(client, brand=str(brand.pk), start_date="2026-04-10", duration_days=7)

    assert response.status_code == 201
    assert (response.json()["version"], len(response.json()["slots"])) == (2, 21)
    assert MonthlyPlan.objects.filter(is_active=False).count() == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"start_date": "2026-02-30"}, "start_date", "date"),
        ({"start_date": "tomorrow"}, "start_date", "date"),
        ({"duration_days": 0}, "duration_days", "greater than or equal to 1"),
        ({"duration_days": 10**12}, "duration_days", "less than or equal to 31"),
        ({"networks": ["LinkedIn", "MySpace"]}, "networks", "'X', 'LinkedIn', 'Facebook'"),
        ({"networks": []}, "networks", "at least 1"),
        ({"start_date": "9999-12-25"}, "start_date", "ends after 9999"),
    ],
)
def test_bad_input_is_a_422_naming_the_problem(client, brand, body, field, words):
    response = post(client, **{"brand": "northwind-coffee", "start_date": "2026-04-01", **body})

    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert field in detail[0]["loc"]
    assert words in detail[0]["msg"]
    assert not MonthlyPlan.objects.exists()


def test_unknown_brand_is_a_404(client, db):
    response = post(client, brand="nobody", start_date="2026-04-01")

    assert response.status_code == 404
    assert response.json() == {"detail": "no brand 'nobody'"}


def test_a_model_failure_is_a_503_and_stores_nothing(client, brand, scripted):
    scripted.script("topics", ModelHTTPError(status_code=503, model_name="scripted", body="busy"))

    response = post(client, brand="northwind-coffee", start_date="2026-04-01", duration_days=3)

    assert response.status_code == 503
    assert "no plan was stored" in response.json()["detail"]
    assert not MonthlyPlan.objects.exists()


@pytest.fixture
def plan(brand):
    return services.generate_monthly_plan(brand=brand, start_date=date(2026, 4, 1))


def test_active_plan_on_a_date_and_404_when_none(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(4 + SIGN_IN_QUERIES):
        response = client.get("/api/strategy/active/northwind-coffee?date=2026-04-20")
    assert response.status_code == 200
    assert response.json()["id"] == plan.pk and len(response.json()["slots"]) == 90

    missing = client.get("/api/strategy/active/northwind-coffee?date=2026-05-01")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "brand 'northwind-coffee' has no active plan on 2026-05-01"
    assert client.get("/api/strategy/active/northwind-coffee").status_code == 404  # today
    assert client.get("/api/strategy/active/nobody?date=2026-04-20").status_code == 404
    bad = client.get("/api/strategy/active/northwind-coffee?date=2026-04-31")
    assert bad.status_code == 422 and "date" in bad.json()["detail"][0]["loc"]


def test_posts_for_a_day(client, plan):
    response = client.get("/api/strategy/posts/northwind-coffee/2026-04-02")

    assert response.status_code == 200
    body = response.json()
    assert (body["brand"], body["date"], body["plan_id"], body["version"]) == (
        "northwind-coffee",
        "2026-04-02",
        plan.pk,
        1,
    )
    assert sorted(s["network"] for s in body["slots"]) == ["Facebook", "LinkedIn", "X"]
    assert {s["date"] for s in body["slots"]} == {"2026-04-02"}
    assert body["guidelines"]["banned_terms"] == ["cheap", "guaranteed"]
    assert client.get("/api/strategy/posts/northwind-coffee/2026-06-02").status_code == 404
    assert client.get("/api/strategy/posts/nobody/2026-04-02").status_code == 404
    bad = client.get("/api/strategy/posts/northwind-coffee/2026-99-02")
    assert bad.status_code == 422


def test_exports_have_their_content_types(client, plan):
    ics = client.get(f"/api/strategy/plans/{plan.pk}/export.ics")
    assert ics.status_code == 200
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="plan-{plan.pk}.ics"' in ics["Content-Disposition"]
    assert ics.content.decode().startswith("BEGIN:VCALENDAR\r\n")

    csv_response = client.get(f"/api/strategy/plans/{plan.pk}/export.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode(), newline="")))
    assert len(rows) == 90

    assert client.get("/api/strategy/plans/999999/export.ics").status_code == 404
    assert client.get(f"/api/strategy/plans/{10**30}/export.csv").status_code in (404, 422)


def test_the_openapi_document_describes_the_exports(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]

    ics = paths["/api/strategy/plans/{plan_id}/export.ics"]["get"]["responses"]
    assert "text/calendar" in ics["200"]["content"]
    assert {"404", "422"} <= set(ics)
    generate = paths["/api/strategy/generate"]["post"]["responses"]
    assert {"201", "404", "409", "422", "503"} <= set(generate)


def test_a_nul_in_the_brand_is_a_422_not_a_database_error(client, db):
    response = post(client, brand="a\x00b", start_date="2026-04-01")

    assert response.status_code == 422
    assert "brand" in response.json()["detail"][0]["loc"]


def test_the_admin_shows_a_plan_and_its_slots(admin_client, plan):
    assert admin_client.get("/admin/planning/monthlyplan/").status_code == 200
    page = admin_client.get(f"/admin/planning/monthlyplan/{plan.pk}/change/")
    assert page.status_code == 200 and escape(plan.slots.first().topic) in page.content.decode()
    slot = plan.slots.first()
    assert admin_client.get(f"/admin/planning/planslot/{slot.pk}/change/").status_code == 200
