"""`clarion webhook …` and `clarion audit list` as people run them: real processes on a fresh
CLARION_HOME, a real receiver on loopback."""

from __future__ import annotations

import getpass
import json

import pytest

from clarion.testing.webhook_receiver import WebhookReceiver
from tests.cli.test_accounts_cli import run


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_a_hook_made_in_the_terminal_is_tested_listed_and_removed_and_the_log_says_who(home):
    with WebhookReceiver() as receiver:
        added = run(home, "webhook", "add", receiver.url, "--event", "publication.failed")
        assert added.returncode == 0, added.stderr
        secret = added.stdout.strip().splitlines()[-1]
        assert secret.startswith("whsec_")
        receiver.secret = secret

        tested = run(home, "webhook", "test", "1")
        assert tested.returncode == 0, tested.stderr
        assert "delivered: HTTP 200" in tested.stdout
        [request] = receiver.received
        assert request.verified and request.event == "test"
        url = receiver.url

    listed = json.loads(run(home, "webhook", "list", "--json").stdout)
    assert [h["url"] for h in listed] == [url]
    assert secret not in run(home, "webhook", "list").stdout
    deliveries = json.loads(run(home, "webhook", "deliveries", "1", "--json").stdout)
    assert [(d["event"], d["status"]) for d in deliveries] == [("test", "delivered")]
    assert run(home, "webhook", "remove", "1").returncode == 0

    events = json.loads(run(home, "audit", "list", "--json", "--action", "webhook").stdout)
    assert [e["action"] for e in events] == ["webhook.delete", "webhook.test", "webhook.create"]
    assert {(e["via"], e["actor_email"], e["ip"]) for e in events} == {
        ("cli", getpass.getuser(), None)
    }
    assert {e["workspace"] for e in events} == {"default"}


def test_a_url_that_is_not_http_is_refused_in_the_terminal_too(home):
    refused = run(home, "webhook", "add", "ftp://example.com/x", "--event", "test")

    assert refused.returncode == 2
    assert "URL: must start with http:// or https://" in refused.stderr
    assert "--event" in run(home, "webhook", "add", "https://example.com/x").stderr
