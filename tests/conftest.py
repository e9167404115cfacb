from __future__ import annotations

import pydantic_ai.models
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

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


@pytest.fixture
def brand(db):
    return make_brand()


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
