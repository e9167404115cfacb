"""Control characters are refused with a 422 naming where they were, before any service runs."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from clarion.agents.models import Job
from clarion.brands.models import Brand
from clarion.brands.services import load_brief_file
from clarion.campaigns.models import Campaign
from clarion.core.errors import InvalidInput
from clarion.core.inputs import required_text
from clarion.writing.models import IterationSession
from tests.factories import brief_data

pytestmark = pytest.mark.django_db


def refused(response) -> dict:
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["type"] == "control_character"
    assert set(error) == {"type", "loc", "msg"}
    return error


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/api/campaigns", {"brand": "a\x00b", "goal": "x"}, ["body", "brand"]),
        ("/api/slogans", {"brief": "x", "brand": "a\x00b"}, ["body", "brand"]),
        ("/api/slogans", {"brief": "\x1e"}, ["body", "brief"]),
        ("/api/brands", brief_data(positioning="fine\x00"), ["body", "positioning"]),
        (
            "/api/brands",
            brief_data(guidelines={"do": ["ok", "b\x07"], "dont": []}),
            ["body", "guidelines", "do", 1],
        ),
        ("/api/brands", {**brief_data(), "extra\x00": 1}, ["body", "extra\x00"]),
        (
            "/api/orchestrator/daily",
            {"dry_run": True, "signals": [{"title": "News", "summary": "\x1b[31mred"}]},
            ["body", "signals", 0, "summary"],
        ),
    ],
)
def test_a_control_character_in_a_json_body_is_a_422_naming_it(client, brand, path, body, loc):
    before = (Brand.objects.count(), Campaign.objects.count(), Job.objects.count())

    error = refused(client.post(path, body, content_type="application/json"))

    assert error["loc"] == loc
    assert re.search(r"control character \(U\+00[01][0-9A-F]\)", error["msg"])
    assert (Brand.objects.count(), Campaign.objects.count(), Job.objects.count()) == before


def test_tab_line_feed_and_carriage_return_are_text(client):
    body = brief_data(positioning="Line one\r\nLine two\tand a tab")
    response = client.post("/api/brands", body, content_type="application/json")

    assert response.status_code == 201
    assert Brand.objects.get().positioning == "Line one\r\nLine two\tand a tab"


def test_a_lone_surrogate_is_a_422_not_a_database_error(client):
    body = b'{"brief": "a \\ud800 b"}'
    error = refused(client.post("/api/slogans", body, content_type="application/json"))

    assert error["loc"] == ["body", "brief"] and "surrogate" in error["msg"]
    assert not IterationSession.objects.exists()


def path_routes(client) -> list[tuple[str, str, str]]:
    """(method, path with "a<NUL>b" in one parameter, that parameter) for every route."""
    document = client.get("/api/openapi.json").json()
    routes = []
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                path = template
                for other in operation["parameters"]:
                    if other["in"] == "path":
                        value = "a\x00b" if other is parameter else example(other["schema"])
                        path = path.replace("{" + other["name"] + "}", quote(value))
                routes.append((method, path, parameter["name"]))
    return routes


def example(schema: dict) -> str:
    if schema.get("type") == "integer":
        return "1"
    if schema.get("format") == "date":
        return "2026-03-10"
    return schema.get("enum", ["northwind-coffee"])[0]


def test_a_nul_in_any_path_parameter_is_a_422_naming_it(client, brand):
    routes = path_routes(client)
    assert len(routes) >= 15  # the routes first found answering 500 on PostgreSQL, and more

    for method, path, name in routes:
        error = refused(getattr(client, method)(path))
        # A typed parameter (a number, a date) cannot match its route: the path as a whole.
        assert error["loc"] in (["path", name], ["path"]), (method, path, error)


@pytest.mark.parametrize("char", ["\x00", "\t", "\n", "\x7f", "\x85"])
def test_a_control_character_in_the_path_is_refused(client, brand, char):
    error = refused(client.get("/api/brands/" + quote(f"north{char}wind")))

    assert error["loc"] == ["path", "ref"]


@pytest.mark.parametrize("query", ["brand=a%00b", "brand=a%0Ab", "a%00=1", "limit=1&brand=%1e"])
def test_a_control_character_in_the_query_is_refused(client, query):
    error = refused(client.get(f"/api/orchestrator/status?{query}"))

    assert error["loc"][0] == "query"


def test_the_openapi_document_says_which_text_is_refused(client):
    document = client.get("/api/openapi.json").json()
    components = document["components"]["schemas"]

    def strings(schema, seen):
        """Every string schema a request may carry, following references."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                yield from strings(components[name], seen)
            return
        if schema.get("type") == "string":
            yield schema
        for value in schema.get("properties", {}).values():
            yield from strings(value, seen)
        for key in ("items", "additionalProperties", "propertyNames"):
            if isinstance(schema.get(key), dict):
                yield from strings({"type": "string", **schema[key]}, seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for item in schema.get(key, []):
                yield from strings(item, seen)

    for operations in document["paths"].values():
        for operation in operations.values():
            assert "422" in operation["responses"]
            parts = [(p["schema"], "\x7f") for p in operation.get("parameters", [])]
            for media in operation.get("requestBody", {}).get("content", {}).values():
                parts.append((media["schema"], "\x1e"))
            for schema, control in parts:
                for string in strings(schema, set()):
                    if "enum" in string or "const" in string or "format" in string:
                        continue
                    assert "pattern" in string, string
                    assert not re.search(string["pattern"], f"a{control}b"), string
                    assert not re.search(string["pattern"], "a\x00b"), string


def test_services_refuse_control_characters_too():
    with pytest.raises(InvalidInput, match="control character") as info:
        required_text("goal", "Launch\x00", 100, one_line=True)
    assert info.value.field == "goal"
    assert required_text("goal", " Launch\tthe\nblend ", 100, one_line=True) == "Launch the blend"


def test_a_brief_file_with_a_control_character_names_the_field(tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_text('brand_name: Acme\nguidelines:\n  do: ["ok", "bad\\0"]\n', encoding="utf-8")

    with pytest.raises(InvalidInput, match="control character") as info:
        load_brief_file(path)
    assert info.value.field == "guidelines.do.1"
