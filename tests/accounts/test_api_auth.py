"""API tokens and session calls: what /api/ accepts, and the 401, 403 and 415 it answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clarion.accounts import services
from clarion.accounts.models import ApiToken
from clarion.brands.models import Brand
from clarion.publishing.models import Publication
from tests.factories import brief_data

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_token_works_and_records_its_last_use(owner):
    token, raw = services.create_token(user=owner, name="ci")
    assert token.last_used_at is None

    response = bearer(raw).get("/api/me")

    assert response.status_code == 200
    assert response.json()["email"] == "owner@example.com"
    assert response.json()["role"] == "owner"
    assert response.json()["api_token"]["name"] == "ci"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(owner):
    token, raw = services.create_token(user=owner, name="ci")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in str(stored)
    assert raw.startswith(stored["prefix"]) and len(stored["prefix"]) == 16
    assert len(stored["key_hash"]) == 64


@pytest.mark.parametrize(
    "header",
    [
        "Bearer clarion_" + "x" * 43,  # well formed, unknown
        "Bearer not-a-token",
        "Bearer ",
        "Basic b3duZXJAZXhhbXBsZS5jb206cGFzcw==",
        "clarion_" + "x" * 43,
    ],
)
def test_a_bad_authorization_header_is_a_401_in_json(owner, header):
    response = Client(headers={"Authorization": header}).get("/api/brands")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="clarion"'
    assert response.json()["detail"]


def test_a_revoked_or_expired_token_is_refused(owner):
    revoked, raw_revoked = services.create_token(user=owner, name="old")
    services.revoke_token(token=revoked)
    expired, raw_expired = services.create_token(
        user=owner, name="short", expires_in=timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    for raw in (raw_revoked, raw_expired):
        response = bearer(raw).get("/api/brands")
        assert response.status_code == 401
        assert "unknown, expired or revoked" in response.json()["detail"]
    assert [t.state for t in services.list_tokens(user=owner)] == ["expired", "revoked"]


def test_a_deactivated_persons_tokens_stop_working(owner):
    _, raw = services.create_token(user=owner, name="ci")
    owner.is_active = False
    owner.save()

    assert bearer(raw).get("/api/brands").status_code == 401


def test_a_bad_token_is_refused_even_with_a_signed_in_session(client):
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer clarion_" + "y" * 43

    assert client.get("/api/brands").status_code == 401


def test_tokens_over_the_api_are_shown_once_and_revoked(api_client, owner):
    made = api_client.post("/api/tokens", {"name": "zapier"}, content_type="application/json")
    assert made.status_code == 201
    raw = made.json()["token"]
    assert made.json()["expires_at"] is not None
    assert bearer(raw).get("/api/brands").status_code == 200

    listed = api_client.get("/api/tokens").json()
    assert {t["name"] for t in listed} == {"tests", "zapier"}
    assert all("token" not in t for t in listed)

    revoked = api_client.post(
        f"/api/tokens/{made.json()['id']}/revoke", content_type="application/json"
    )
    assert revoked.json()["state"] == "revoked"
    assert bearer(raw).get("/api/brands").status_code == 401


def test_nobody_sees_or_revokes_someone_elses_tokens(api_client, member):
    theirs, raw = services.create_token(user=member, name="theirs")

    assert [t["name"] for t in api_client.get("/api/tokens").json()] == ["tests"]
    response = api_client.post(f"/api/tokens/{theirs.pk}/revoke", content_type="application/json")
    assert response.status_code == 404
    assert bearer(raw).get("/api/brands").status_code == 200


def test_a_session_call_that_changes_something_needs_the_csrf_token(anonymous_client, owner):
    anonymous_client.force_login(owner)  # a real browser: CSRF enforced
    body = brief_data()

    refused = anonymous_client.post("/api/brands", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check Failed"}
    assert not Brand.objects.exists()

    anonymous_client.get("/account/")  # any page sets the CSRF cookie
    csrf = anonymous_client.cookies["csrftoken"].value
    made = anonymous_client.post(
        "/api/brands", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert made.status_code == 201
    assert anonymous_client.get("/api/brands").status_code == 200  # reading needs no token


def test_a_token_call_needs_no_csrf_token(api_token):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {api_token}"})

    response = client.post("/api/brands", brief_data(), content_type="application/json")

    assert response.status_code == 201


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_body_that_is_not_declared_json_is_a_415_and_runs_nothing(client, content_type):
    """The attack this closes: a page on another site posted `text/plain` JSON with the
    victim's cookies, creating a brand and publishing a post."""
    body = '{"dry_run": false}'

    response = client.generic("POST", "/api/orchestrator/daily", body, content_type=content_type)

    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert not Publication.objects.exists()
    created = client.generic(
        "POST", "/api/brands", '{"brand_name": "X"}', content_type=content_type
    )
    assert created.status_code == 415
    assert not Brand.objects.exists()


def test_a_post_without_a_body_needs_no_content_type(api_client):
    response = api_client.generic("POST", "/api/tokens/999/revoke", "", content_type="")

    assert response.status_code == 404
