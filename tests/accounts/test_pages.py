"""Signing in, the setup link for the first owner, throttling, and the account page."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.core import signing

from clarion.accounts import services
from clarion.accounts.models import ApiToken, Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OWNER = {"email": "Ada@Example.com", "password1": PASSWORD, "password2": PASSWORD}


def csrf_post(client, path, data):
    client.get(path)
    if "csrftoken" not in client.cookies:  # a page without a form: the sign-in page sets it
        client.get("/sign-in/")
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_the_setup_link_creates_the_first_owner_and_signs_them_in(anonymous_client):
    link = f"/setup/{services.make_setup_token()}/"
    assert anonymous_client.get(link).status_code == 200

    response = csrf_post(anonymous_client, link, OWNER)

    assert response.status_code == 302 and response["Location"] == "/account/"
    user = User.objects.get()
    assert (user.username, user.email, user.is_superuser) == ("ada@example.com",) * 2 + (True,)
    assert Membership.objects.get(user=user).role == "owner"
    assert anonymous_client.get("/account/").status_code == 200
    again = anonymous_client.get(link)
    assert again.status_code == 410
    assert "has an owner already" in again.content.decode()


def test_the_setup_form_needs_csrf(anonymous_client):
    link = f"/setup/{services.make_setup_token()}/"

    assert anonymous_client.post(link, OWNER).status_code == 403
    assert not User.objects.exists()


def test_the_setup_link_holds_a_new_owner_to_the_password_rules(anonymous_client):
    link = f"/setup/{services.make_setup_token()}/"

    response = csrf_post(
        anonymous_client, link, {**OWNER, "password1": "12345", "password2": "12345"}
    )

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_an_expired_or_altered_setup_link_is_refused(anonymous_client, monkeypatch, settings):
    settings.CLARION_SETUP_LINK_HOURS = 1
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 3601)
    old = services.make_setup_token()
    monkeypatch.setattr(signing.time, "time", lambda: now)

    expired = anonymous_client.get(f"/setup/{old}/")
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    altered = anonymous_client.get(f"/setup/{services.make_setup_token()[:-2]}xx/")
    assert altered.status_code == 400 and "not a valid setup link" in altered.content.decode()
    assert csrf_post(anonymous_client, f"/setup/{old}/", OWNER).status_code == 400
    assert not User.objects.exists()


def test_signing_in_with_the_address_in_any_case_goes_where_the_person_was_going(
    anonymous_client, owner
):
    page = anonymous_client.get("/media/cards/c/p.png")
    assert page["Location"] == "/sign-in/?next=/media/cards/c/p.png"

    response = csrf_post(
        anonymous_client,
        "/sign-in/?next=/account/",
        {"username": "OWNER@example.com ", "password": PASSWORD, "next": "/account/"},
    )

    assert response.status_code == 302 and response["Location"] == "/account/"
    assert anonymous_client.get("/api/brands").status_code == 200


def test_repeated_failures_lock_the_address_out_until_it_is_unlocked(anonymous_client, owner):
    wrong = {"username": owner.email, "password": "not the password"}
    for _ in range(5):
        assert csrf_post(anonymous_client, "/sign-in/", wrong).status_code in (200, 429)

    locked = csrf_post(anonymous_client, "/sign-in/", {**wrong, "password": PASSWORD})

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in anonymous_client.session

    from axes.utils import reset

    reset(username=owner.email)
    right = csrf_post(anonymous_client, "/sign-in/", {**wrong, "password": PASSWORD})
    assert right.status_code == 302


def test_signing_out_is_a_post_and_ends_the_session(client):
    assert client.get("/account/").status_code == 200

    response = client.post("/sign-out/")

    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert client.get("/account/").status_code == 302


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(client, owner):
    made = client.post("/account/tokens/", {"name": "laptop", "expires_in_days": "30"})

    assert made.status_code == 200
    raw = made.context["new_token"]
    assert raw in made.content.decode()
    token = ApiToken.objects.get(name="laptop")
    page = client.get("/account/").content.decode()
    assert raw not in page and token.prefix in page

    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.state == "revoked"


def test_an_htmx_request_without_a_session_is_sent_to_the_sign_in_page(anonymous_client):
    response = anonymous_client.get("/account/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/sign-in/?next=/account/"


def test_a_request_for_another_host_says_how_to_allow_it(anonymous_client):
    response = anonymous_client.get("/health", headers={"Host": "clarion.example.org"})

    assert response.status_code == 400
    assert "'clarion.example.org'" in response.content.decode()
    assert "CLARION_ALLOWED_HOSTS" in response.content.decode()


def test_the_start_page_is_the_overview_for_a_person_and_sign_in_for_others(
    client, anonymous_client
):
    assert client.get("/").templates[0].name == "web/home.html"
    last = anonymous_client.get("/", follow=True).redirect_chain[-1][0]
    assert last.startswith("/sign-in/")
