from __future__ import annotations

import pydantic_ai.models
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from clarion.accounts.services import create_token, create_user
from clarion.accounts.workspaces import create_workspace
from clarion.agents import llm
from tests.factories import make_brand
from tests.scripted import ScriptedModel

# No test may reach a real model; loopback fakes enable requests explicitly.
pydantic_ai.models.ALLOW_MODEL_REQUESTS = False


@pytest.fixture(autouse=True)
def _offline_llm(settings):
    """Every test starts on the offline engine, with instant retries and fresh model caches."""
    settings.CLARION_LLM = "offline"
    settings.CLARION_LLM_RETRY_BACKOFF = 0.0
    llm.reset_models()
    yield
    llm.reset_models()


@pytest.fixture(autouse=True)
def _builtin_team(request):
    """Every database test starts with the built-in team, as a fresh install does.

    Migrations seed it, but a transactional test empties every table when it ends.
    """
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from clarion.agents.models import Agent
    from clarion.agents.roster import seed_builtin_team

    seed_builtin_team(Agent)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def brand(db):
    return make_brand()


PASSWORD = "a long enough passphrase"
# What a request of the signed-in ``client`` costs before its view runs: its session, its
# user, its workspace with the person's role there.
SIGN_IN_QUERIES = 3


@pytest.fixture
def owner(db):
    """The installation's first owner."""
    return create_user(email="owner@example.com", password=PASSWORD, role="owner")


@pytest.fixture
def member(owner):
    """A second person, an editor."""
    return create_user(email="member@example.com", password=PASSWORD, role="editor")


@pytest.fixture
def viewer(owner):
    """A third person of the owner's workspace, who may only read."""
    return create_user(email="viewer@example.com", password=PASSWORD, role="viewer")


@pytest.fixture
def other_workspace(db):
    """Another team's workspace: nothing of it may show in the owner's."""
    return create_workspace(name="Other client")


@pytest.fixture
def outsider(owner, other_workspace):
    """The owner of the other workspace, and of nothing in the owner's."""
    return create_user(
        email="outsider@example.com", password=PASSWORD, role="owner", workspace=other_workspace
    )


def token_client(user) -> Client:
    """A script calling the API with a new token of ``user``'s (in their first workspace)."""
    return Client(headers={"Authorization": f"Bearer {create_token(user=user, name='tests')[1]}"})


@pytest.fixture
def client(owner):
    """A browser signed in as the owner (CSRF is not enforced, as in Django's test client)."""
    signed_in = Client()
    signed_in.force_login(owner)
    return signed_in


@pytest.fixture
def anonymous_client():
    """A browser nobody signed in with, which enforces CSRF like a real one."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def api_token(owner) -> str:
    """The text of an API token of the owner's."""
    return create_token(user=owner, name="tests")[1]


@pytest.fixture
def api_client(api_token):
    """A script calling the API with the owner's token, no session."""
    return Client(headers={"Authorization": f"Bearer {api_token}"})


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def scripted():
    """A FunctionModel answering writer and reviewer calls from scripted replies."""
    model = ScriptedModel()
    with llm.use_model(model.model):
        yield model
