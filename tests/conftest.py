from __future__ import annotations

import pydantic_ai.models
import pytest

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


@pytest.fixture
def brand(db):
    return make_brand()


@pytest.fixture
def scripted():
    """A FunctionModel answering writer and reviewer calls from scripted replies."""
    model = ScriptedModel()
    with llm.use_model(model.model):
        yield model
