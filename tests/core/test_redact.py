"""No secret and no URL credential in `doctor`, the logs, the API or stored errors."""

from __future__ import annotations

import logging
import sys

import pytest

from clarion.core.logging import RedactingFormatter
from clarion.core.redact import is_set, redact_text, redact_url
from clarion.writing.services import run_session, start_session
from tests.cli.test_cli import _closed_port, clarion

PASSWORD = "hunter2-s3cret"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pass@host/v1", "https://user:***@host/v1"),
        (
            f"postgres://clarion:{PASSWORD}@db.example:5432/clarion",
            "postgres://clarion:***@db.example:5432/clarion",
        ),
        ("https://ghp_token123@host.example/v1", "https://***@host.example/v1"),
        ("https://:only-a-password@host/v1", "https://***@host/v1"),
        (
            "https://host.example/v1?api_key=abc123&model=x&access_token=t0k",
            "https://host.example/v1?api_key=***&model=x&access_token=***",
        ),
        (
            "https://host.example/v1?author=ann&monkey=1",
            "https://host.example/v1?author=ann&monkey=1",
        ),
        ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
        ("", ""),
    ],
)
def test_redact_url_hides_the_password_and_secret_query_values(url, shown):
    assert redact_url(url) == shown


def test_redact_text_hides_credentials_tokens_and_configured_secrets(settings):
    settings.CLARION_LLM_API_KEY = "sk-live-0123456789abcdef"
    text = (
        f"POST https://alice:{PASSWORD}@llm.example/v1/chat failed; "
        "header Authorization: Bearer abcdefghijklmnop; key sk-live-0123456789abcdef; "
        "see https://docs.example/errors?id=4"
    )

    shown = redact_text(text)

    assert PASSWORD not in shown and "abcdefghijklmnop" not in shown
    assert "sk-live-0123456789abcdef" not in shown
    assert "https://alice:***@llm.example/v1/chat" in shown
    assert "Bearer ***" in shown
    assert "https://docs.example/errors?id=4" in shown


def test_keys_are_shown_as_set_or_not_set():
    assert (is_set("sk-123"), is_set(""), is_set([])) == ("set", "not set", "not set")


def test_log_lines_and_tracebacks_carry_no_credentials():
    formatter = RedactingFormatter("%(levelname)s %(message)s")
    try:
        raise ConnectionError(f"cannot reach https://bob:{PASSWORD}@llm.example/v1")
    except ConnectionError:
        record = logging.LogRecord(
            "clarion", logging.ERROR, __file__, 1, "calling %s", (f"postgres://u:{PASSWORD}@db/x",),
            sys.exc_info(),
        )  # fmt: skip

    line = formatter.format(record)

    assert PASSWORD not in line
    assert "postgres://u:***@db/x" in line and "https://bob:***@llm.example/v1" in line
    configured = [h.formatter for h in logging.getLogger().handlers]
    assert any(isinstance(f, RedactingFormatter) for f in configured)


def test_doctor_never_prints_a_password_or_a_key(tmp_path):
    result = clarion(
        tmp_path / "home",
        "doctor",
        CLARION_LLM="openai-compatible:local-model",
        CLARION_LLM_BASE_URL=f"http://alice:{PASSWORD}@127.0.0.1:{_closed_port()}/v1",
        CLARION_LLM_API_KEY="sk-test-do-not-print-me",
        DATABASE_URL=f"postgres://clarion:{PASSWORD}@127.0.0.1:{_closed_port()}/clarion",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 1  # the database and the model cannot be reached
    assert PASSWORD not in output and "sk-test-do-not-print-me" not in output
    assert "alice:***@127.0.0.1" in output
    assert "clarion:***@127.0.0.1" in output
    assert "CLARION_LLM_API_KEY set" in output


@pytest.mark.django_db
def test_a_model_error_quoting_credentials_is_stored_and_answered_without_them(
    client, brand, scripted, settings
):
    settings.CLARION_LLM_MAX_RETRIES = 0
    failure = RuntimeError(f"connection to https://bob:{PASSWORD}@llm.example/v1 refused")
    scripted.script("write", failure)
    scripted.script("plan", failure)

    session = run_session(start_session(brief="A slogan"))
    response = client.post(
        "/api/campaigns", {"brand": brand.slug, "goal": "x"}, content_type="application/json"
    )

    assert session.completion_reason == "error"
    assert PASSWORD not in session.error and "bob:***@llm.example" in session.error
    assert PASSWORD not in session.job.error
    assert response.status_code == 503
    assert PASSWORD not in response.text and "bob:***@llm.example" in response.json()["detail"]
