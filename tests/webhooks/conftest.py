from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from clarion.accounts.services import create_token, create_user
from clarion.accounts.workspaces import create_workspace, default_workspace
from clarion.testing.webhook_receiver import WebhookReceiver
from clarion.webhooks.models import Webhook
from clarion.webhooks.services import EVENTS, create_webhook
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _webhook_settings(settings, tmp_path):
    settings.CLARION_HOME = tmp_path
    settings.CLARION_WEBHOOK_TIMEOUT = 0.5
    settings.CLARION_WEBHOOK_MAX_ATTEMPTS = 3
    settings.CLARION_WEBHOOK_RETRY_SECONDS = 0.0
    settings.CLARION_PUBLISH_CONCURRENCY = 1
    settings.CLARION_PUBLISH_MAX_WAIT = 0.0
    settings.CLARION_PACKAGE_SECRET = "test-package-secret-" * 2


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def hook_for(receiver: WebhookReceiver, *, events=EVENTS, workspace=None) -> tuple[Webhook, str]:
    """A webhook of ``workspace`` (default: the default one) to ``receiver``, which learns
    the secret so that it verifies every signature."""
    hook, secret = create_webhook(
        workspace=workspace or default_workspace(), url=receiver.url, events=events
    )
    receiver.secret = secret
    return hook, secret


def bearer(user, workspace) -> Client:
    return Client(
        headers={
            "Authorization": f"Bearer {create_token(user=user, name='t', workspace=workspace)[1]}"
        }
    )


@pytest.fixture
def outsider_client(owner) -> Client:
    """The owner of another workspace, with an API token there."""
    other = create_user(email="outsider@example.com", password=PASSWORD, role="editor")
    workspace = create_workspace(name="Elsewhere", owner=other)
    return bearer(other, workspace)


@pytest.fixture
def viewer_client(owner) -> Client:
    viewer = create_user(email="viewer@example.com", password=PASSWORD, role="viewer")
    return bearer(viewer, default_workspace())


@pytest.fixture
def editor_client(member) -> Client:
    return bearer(member, default_workspace())
