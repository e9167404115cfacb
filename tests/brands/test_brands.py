from __future__ import annotations

from pathlib import Path

import pytest

from clarion.brands.services import create_brand, load_brief_file, parse_brief
from clarion.core.errors import InvalidInput
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import brief_data, make_brand

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "brief.yaml"


def test_the_example_brief_creates_a_brand():
    brand = create_brand(brief=load_brief_file(EXAMPLE))

    assert brand.slug == "northwind-coffee"
    assert brand.language == "en-US"
    assert "subscribe" in brand.cta_targets
    assert brand.guidelines_dont and brand.banned_terms


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"brand_name": ""}, "brand_name"),
        ({"language": "French!"}, "language"),
        ({"value_props": "fast"}, "value_props"),
        ({"colour": "blue"}, "colour"),
        ({"guidelines": {"do": ["x"], "never": ["y"]}}, "guidelines.never"),
    ],
)
def test_an_invalid_brief_names_the_field(change, field):
    with pytest.raises(InvalidInput) as info:
        parse_brief(brief_data(**change))
    assert info.value.field == field


def test_a_brief_file_that_is_not_yaml_is_reported(tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_text("brand_name: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid YAML"):
        load_brief_file(path)


def test_a_json_brief_works_too(tmp_path):
    import json

    path = tmp_path / "brief.json"
    path.write_text(json.dumps(brief_data(brand_name="Acme Tools")), encoding="utf-8")
    assert create_brand(brief=load_brief_file(path)).slug == "acme-tools"


@pytest.mark.parametrize("brands", [2, 30])
def test_the_brand_list_is_paginated_in_two_queries(client, brands, django_assert_max_num_queries):
    for n in range(brands):
        make_brand(brand_name=f"Roastery {n:02d}", slug=f"roastery-{n:02d}")
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 1 + 2):
        first = client.get("/api/brands?limit=20").json()
    assert first["count"] == brands
    assert [b["slug"] for b in first["items"]] == [f"roastery-{n:02d}" for n in range(brands)][:20]
    rest = client.get("/api/brands?limit=20&offset=20").json()["items"]
    assert [b["slug"] for b in rest] == [f"roastery-{n:02d}" for n in range(20, brands)]
    assert client.get("/api/brands?limit=0").status_code == 422


def test_brands_through_the_api(client):
    created = client.post("/api/brands", brief_data(), content_type="application/json")
    assert created.status_code == 201
    slug = created.json()["slug"]

    listed = client.get("/api/brands").json()
    assert listed["count"] == 1 and listed["items"][0]["slug"] == slug
    shown = client.get(f"/api/brands/{slug}").json()
    assert shown["guidelines"] == {"do": ["mention freshness"], "dont": ["promise health benefits"]}

    updated = client.patch(
        f"/api/brands/{slug}",
        {"tone": "bold", "banned_terms": ["meh"]},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert updated.json()["tone"] == "bold"
    assert updated.json()["banned_terms"] == ["meh"]
    assert updated.json()["brand_name"] == "Northwind Coffee"


def test_api_errors_name_the_field_or_say_not_found(client):
    bad = client.post("/api/brands", brief_data(language="??"), content_type="application/json")
    assert bad.status_code == 422
    assert any("language" in error["loc"] for error in bad.json()["detail"])

    assert client.get("/api/brands/ghost").status_code == 404
    assert (
        client.patch(
            "/api/brands/ghost", {"tone": "bold"}, content_type="application/json"
        ).status_code
        == 404
    )

    client.post("/api/brands", brief_data(slug="dup"), content_type="application/json")
    again = client.post("/api/brands", brief_data(slug="dup"), content_type="application/json")
    assert again.status_code == 409
    assert "dup" in again.json()["detail"]


@pytest.mark.django_db
def test_a_brand_has_a_timezone_and_a_daily_run_time(client):
    from tests.factories import brief_data

    response = client.post(
        "/api/brands",
        {**brief_data(), "timezone": "Europe/Paris", "daily_run_time": "07:30"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["timezone"] == "Europe/Paris"
    assert response.json()["daily_run_time"] == "07:30"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("timezone", "Mars/Olympus_Mons", "unknown time zone"),
        ("daily_run_time", "25:00", "daily_run_time"),
        ("daily_run_time", "08:00+02:00", "without an offset"),
    ],
)
def test_a_bad_timezone_or_run_time_is_422(client, field, value, named):
    from tests.factories import brief_data

    response = client.post(
        "/api/brands", {**brief_data(), field: value}, content_type="application/json"
    )
    assert response.status_code == 422
    assert named in response.content.decode()


def test_a_name_longer_than_its_limit_is_refused_even_when_stripping_would_fit_it():
    from pydantic import ValidationError

    from clarion.brands.schemas import BrandBrief

    with pytest.raises(ValidationError, match="brand_name: at most 120 characters"):
        BrandBrief.model_validate({"brand_name": "\r" + "x" * 120})
    assert BrandBrief.model_validate({"brand_name": "  Roastery  "}).brand_name == "Roastery"
