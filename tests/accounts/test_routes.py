"""Every route needs a signed-in person or an API token, but for sign-in, the setup link and
/health: walked through Django's URL resolver and the OpenAPI document, so a route added
later without authentication fails here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

OPEN = {"health", "accounts:sign-in", "accounts:set-up"}
SIGN_IN = "/sign-in/"
ADMIN = "/admin/login/"


def _regex(part) -> str:
    text = part.pattern.regex.pattern
    return re.sub(r"^\^|(\\Z|\$)$", "", text)


def routes(patterns=None, prefix="", namespace=""):
    """(regex of the whole path, URL name) for every route the resolver knows."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + _regex(entry), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + _regex(entry), f"{namespace}{entry.name or entry.callback.__name__}"


def _sample(group: re.Match[str]) -> str:
    inner = group.group("inner")
    if re.fullmatch(r"[\w-]+(\|[\w-]+)*", inner):  # alternatives: an admin app label
        return inner.split("|")[0]
    return "0"  # a number, a slug, any text


def example_path(regex: str) -> str:
    """A path the route matches: each parameter "0", or the first of its alternatives."""
    path = re.sub(r"\(\?P<\w+>(?P<inner>(?:[^()]|\([^()]*\))*)\)", _sample, regex)
    path = re.sub(r"\\(.)", r"\1", path)
    assert re.fullmatch(regex, path), f"teach example_path the route {regex}"
    return "/" + path


def every_route() -> list[tuple[str, str]]:
    seen, found = set(), []
    for regex, name in routes():
        path = example_path(regex)
        if path not in seen:
            seen.add(path)
            found.append((path, name))
    return found


def refused(response) -> str | None:
    """How a request without credentials was turned away, or None if it was not."""
    if response.status_code == 401:
        assert response["Content-Type"] == "application/json"
        assert "authentication required" in response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")
        return "401"
    # The admin sends people to its login page, which sends them to Clarion's (tested below).
    if response.status_code == 302 and urlsplit(response["Location"]).path in (SIGN_IN, ADMIN):
        return "sign-in"
    if response.status_code == 403:
        return "403"
    return None


def test_the_walk_finds_the_routes_of_every_part_of_clarion():
    names = {name for _, name in every_route()}
    assert names >= OPEN
    assert {"campaigns:post-card", "accounts:show-account", "admin:index"} <= names
    assert len([n for n in names if n.startswith("api-")]) >= 30


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_route_but_sign_in_setup_and_health_refuses_a_request_without_credentials(
    anonymous_client, method
):
    opened = set()
    for path, name in every_route():
        response = getattr(anonymous_client, method)(path)
        if name in OPEN:
            opened.add(name)
            continue
        assert refused(response), (method, path, name, response.status_code)
    assert opened == OPEN


def test_every_operation_of_the_openapi_document_refuses_a_request_without_credentials(
    client, anonymous_client
):
    document = client.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"].keys() == {"ApiTokenAuth", "SessionAuth"}
    operations = 0
    for template, methods in document["paths"].items():
        path = re.sub(r"\{[^}]+\}", "1", template)
        for method, operation in methods.items():
            assert operation["security"], (method, template)
            assert "401" in operation["responses"], (method, template)
            response = getattr(anonymous_client, method)(path, content_type="application/json")
            assert refused(response) == "401", (method, template, response.status_code)
            operations += 1
    assert operations >= 30


def test_the_api_docs_and_document_need_a_person_too(anonymous_client):
    assert refused(anonymous_client.get("/api/openapi.json")) == "401"
    docs = anonymous_client.get("/api/docs")
    assert refused(docs) == "sign-in"
    assert docs["Location"] == "/sign-in/?next=/api/docs"


def test_the_admin_signs_in_on_clarions_sign_in_page(anonymous_client, member):
    page = anonymous_client.get("/admin/login/?next=/admin/", follow=True)
    assert page.resolver_match.view_name == "accounts:sign-in"

    anonymous_client.force_login(member)  # an editor: not an owner
    assert anonymous_client.get("/admin/login/?next=/admin/").status_code == 403
    assert anonymous_client.get("/admin/").status_code == 302


def test_health_says_whether_the_database_answers(anonymous_client):
    response = anonymous_client.get("/health?only=database")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


PERSONAL = ("/api/tokens", "/api/workspaces/current")
OWNER_ONLY = {
    ("post", "/api/workspace/members"),
    ("patch", "/api/workspace/members/{member_id}"),
    ("delete", "/api/workspace/members/{member_id}"),
}


def _operations(client):
    document = client.get("/api/openapi.json").json()
    for template, methods in document["paths"].items():
        for method in methods:
            yield method, template, re.sub(r"\{[^}]+\}", "1", template)


def test_a_viewer_is_refused_every_operation_that_changes_something(client, viewer):
    from tests.conftest import token_client

    api = token_client(viewer)
    changes = 0
    for method, template, path in _operations(client):
        if method == "get" or path.startswith(PERSONAL):
            continue
        response = getattr(api, method)(path, {}, content_type="application/json")
        assert response.status_code == 403, (method, template, response.status_code)
        assert response.json()["detail"].startswith("viewers can read"), (method, template)
        changes += 1
    assert changes >= 20


def test_an_editor_is_refused_the_owners_actions(client, member):
    from tests.conftest import token_client

    api = token_client(member)
    for method, template in OWNER_ONLY:
        path = re.sub(r"\{[^}]+\}", "1", template)
        body = {"email": "someone@example.com", "role": "editor"}
        response = getattr(api, method)(path, body, content_type="application/json")
        assert response.status_code == 403, (method, template, response.status_code)
        assert "only a workspace owner" in response.json()["detail"]
