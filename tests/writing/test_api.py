from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from clarion.writing.models import IterationSession
from tests.conftest import SIGN_IN_QUERIES
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def approving(scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    return scripted


def test_post_runs_a_session_and_returns_it_with_its_turns(client, approving):
    response = client.post(
        "/api/slogans", {"brief": "A slogan for fresh coffee"}, content_type="application/json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["completion_reason"] == "approved"
    assert body["final_text"] == "Fresh coffee, roasted the day you order."
    assert body["turns"][0]["turn_number"] == 1
    assert body["turns"][0]["approved"] is True
    assert body["usage"]["requests"] == 2
    assert body["model_name"] == "scripted"


def test_a_session_can_be_read_back_and_listed(client, approving, django_assert_max_num_queries):
    for n in range(3):
        client.post("/api/slogans", {"brief": f"Slogan {n}"}, content_type="application/json")
    session_id = IterationSession.objects.order_by("-id").first().pk

    one = client.get(f"/api/slogans/{session_id}")
    assert one.status_code == 200
    assert one.json()["user_input"] == "Slogan 2"

    with django_assert_max_num_queries(4 + SIGN_IN_QUERIES):
        listing = client.get("/api/slogans?limit=10")
    assert listing.status_code == 200
    assert listing.json()["count"] == 3
    assert [item["user_input"] for item in listing.json()["items"]] == [
        "Slogan 2",
        "Slogan 1",
        "Slogan 0",
    ]


def test_an_unknown_session_is_404(client):
    assert client.get("/api/slogans/999").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"brief": ""}, "brief"),
        ({"brief": "   "}, "brief"),
        ({"brief": "x" * 1001}, "brief"),
        ({}, "brief"),
        ({"brief": "ok", "max_turns": 11}, "max_turns"),
        ({"brief": "ok", "platform": "MySpace"}, "platform"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, payload, field):
    response = client.post("/api/slogans", payload, content_type="application/json")

    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(field in loc for loc in locations), locations


def test_malformed_json_is_a_client_error_not_a_500(client):
    response = client.post("/api/slogans", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_an_unknown_brand_is_404(client):
    response = client.post(
        "/api/slogans", {"brief": "ok", "brand": "nope"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_a_background_session_is_queued_in_the_same_transaction(client):
    response = client.post(
        "/api/slogans",
        {"brief": "Later, please", "background": True},
        content_type="application/json",
    )

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [body["id"]]


def test_the_openapi_document_lists_the_slogan_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/slogans", "/api/slogans/{session_id}", "/api/brands"} <= set(schema["paths"])
    assert client.get("/api/docs").status_code == 200


def test_a_rolled_back_enqueue_leaves_neither_session_nor_task():
    from django.db import transaction

    from clarion.writing.services import enqueue_session

    def enqueue_then_fail() -> None:
        with transaction.atomic():
            enqueue_session(brief="Never mind")
            raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        enqueue_then_fail()

    assert not IterationSession.objects.exists()
    assert not DBTaskResult.objects.exists()
