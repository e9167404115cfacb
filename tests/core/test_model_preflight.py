"""A request for writing checks that its model can answer before it stores anything."""

from __future__ import annotations

import socket

import pytest

from clarion.agents.llm import ModelNotReady
from clarion.agents.models import Job
from clarion.writing.models import IterationSession
from clarion.writing.services import enqueue_session, start_session

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_ollama(settings):
    settings.CLARION_LLM = "ollama:llama3"
    settings.CLARION_OLLAMA_URL = f"http://127.0.0.1:{_closed_port()}"
    return settings.CLARION_OLLAMA_URL


@pytest.fixture
def no_openai_key(settings, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings.CLARION_LLM = "openai:gpt-4o"
    settings.CLARION_LLM_API_KEY = ""


def nothing_stored() -> bool:
    return not IterationSession.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize("start", [start_session, enqueue_session])
def test_no_ollama_server_fails_the_request_before_anything_is_stored(no_ollama, start):
    with pytest.raises(ModelNotReady, match=r"no Ollama server at .*`ollama serve`"):
        start(brief="A slogan")

    assert nothing_stored()


def test_no_api_key_fails_the_request_before_anything_is_stored(no_openai_key):
    with pytest.raises(ModelNotReady, match="set CLARION_LLM_API_KEY"):
        start_session(brief="A slogan")

    assert nothing_stored()


@pytest.mark.parametrize("background", [False, True])
def test_the_api_answers_503_with_the_fix_and_stores_nothing(client, no_openai_key, background):
    response = client.post(
        "/api/slogans",
        {"brief": "A slogan", "background": background},
        content_type="application/json",
    )

    assert response.status_code == 503
    assert "CLARION_LLM_API_KEY" in response.json()["detail"]
    assert nothing_stored()


def test_sessions_for_campaigns_and_publications_are_not_held_up_by_the_check(no_ollama):
    session = start_session(brief="A slogan", origin="campaign")

    assert session.pk is not None
