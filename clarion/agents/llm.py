"""Which model answers Clarion's agents, chosen by one setting: ``CLARION_LLM``.

``auto`` (the default) uses a local Ollama server when one answers quickly and
the built-in offline engine otherwise; ``offline`` always uses the offline engine;
``<provider>:<model>`` names a model (ollama, openai, anthropic, google,
openai-compatible with ``CLARION_LLM_BASE_URL``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from django.conf import settings
from pydantic_ai.models import Model
from pydantic_ai.models.concurrency import ConcurrencyLimitedModel

from clarion.core.errors import LLMConfigError, Unavailable
from clarion.core.redact import redact_text, redact_url

if TYPE_CHECKING:
    from openai import AsyncOpenAI

PROVIDERS = ("ollama", "openai", "anthropic", "google", "openai-compatible")


class ModelNotReady(LLMConfigError, Unavailable):
    """The chosen model cannot answer now (no API key, no server): found before any work
    is stored. The command line prints it as one line (exit 2), the API answers 503."""


@dataclass(frozen=True)
class ModelChoice:
    """A resolved model spec, and why it was chosen."""

    spec: str
    reason: str

    @property
    def provider(self) -> str:
        return self.spec.split(":", 1)[0]

    @property
    def label(self) -> str:
        return self.spec


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``provider:model``; raise LLMConfigError naming what is wrong."""
    spec = spec.strip()
    if spec in ("offline", "auto"):
        return spec, ""
    provider, sep, name = spec.partition(":")
    if not sep or provider not in PROVIDERS or not name.strip():
        choices = "auto, offline, " + ", ".join(f"{p}:<model>" for p in PROVIDERS)
        raise LLMConfigError(f"CLARION_LLM={spec!r} is not a model spec; use one of: {choices}")
    if provider == "openai-compatible" and not settings.CLARION_LLM_BASE_URL:
        raise LLMConfigError(
            "CLARION_LLM uses openai-compatible but CLARION_LLM_BASE_URL is not set "
            "(for example http://127.0.0.1:8000/v1)"
        )
    return provider, name.strip()


def ollama_answers(timeout: float | None = None) -> bool:
    """Whether an Ollama server answers at CLARION_OLLAMA_URL within the probe timeout."""
    url = settings.CLARION_OLLAMA_URL.rstrip("/") + "/api/tags"
    try:
        response = httpx.get(url, timeout=timeout or settings.CLARION_LLM_PROBE_TIMEOUT)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


_choice_lock = threading.Lock()
_auto_choice: ModelChoice | None = None


def choose_model(spec: str | None = None) -> ModelChoice:
    """Resolve ``spec`` (default: CLARION_LLM) to a concrete model spec."""
    global _auto_choice
    spec = (spec if spec is not None else settings.CLARION_LLM).strip() or "auto"
    provider, _ = parse_spec(spec)
    if provider != "auto":
        return ModelChoice(
            spec=spec,
            reason="set by CLARION_LLM" if spec == settings.CLARION_LLM else "set on the agent",
        )
    with _choice_lock:
        if _auto_choice is None:
            if ollama_answers():
                _auto_choice = ModelChoice(
                    spec=f"ollama:{settings.CLARION_OLLAMA_MODEL}",
                    reason=f"auto: Ollama answered at {redact_url(settings.CLARION_OLLAMA_URL)}",
                )
            else:
                _auto_choice = ModelChoice(
                    spec="offline",
                    reason=f"auto: no Ollama server at {redact_url(settings.CLARION_OLLAMA_URL)}, using the built-in offline engine",
                )
        return _auto_choice


_models_lock = threading.Lock()
_models: dict[str, Model] = {}
_override: Model | None = None


@contextmanager
def use_model(model: Model) -> Iterator[None]:
    """Answer every agent call with ``model`` (tests use FunctionModel/TestModel)."""
    global _override
    previous, _override = _override, model
    try:
        yield
    finally:
        _override = previous


def reset_models() -> None:
    """Forget built models and the auto choice (after settings change)."""
    global _auto_choice
    with _models_lock:
        for model in _models.values():
            limiter = getattr(model, "_limiter", None)
            close = getattr(limiter, "close", None)
            if callable(close):
                close()
        _models.clear()
    with _choice_lock:
        _auto_choice = None


def get_model(choice: ModelChoice) -> Model:
    """The pydantic-ai model for ``choice``.

    A model server is bounded by ``CLARION_LLM_MAX_CONCURRENCY`` across every process
    of the installation (``clarion.agents.limits``); the offline engine has no server
    to protect and does CPU work in the calling thread, so it is not bounded."""
    if _override is not None:
        return _override
    with _models_lock:
        model = _models.get(choice.spec)
        if model is None:
            bound = settings.CLARION_LLM_MAX_CONCURRENCY
            if choice.spec == "offline":  # no server to protect, CPU work: no bound
                model = _build(choice.spec)
            else:  # one bound for every process of the installation
                from clarion.agents.limits import shared_limiter

                limiter = shared_limiter(choice.spec, bound)
                model = ConcurrencyLimitedModel(_build(choice.spec), limiter=limiter)
            _models[choice.spec] = model
        return model


def answers_in_process(choice: ModelChoice) -> bool:
    """Whether ``choice`` is the built-in offline engine: CPU work in this process, no server."""
    return _override is None and choice.spec == "offline"


def model_label(choice: ModelChoice) -> str:
    if _override is not None:
        return _override.model_name
    return choice.spec


def _openai_client(base_url: str | None, api_key: str | None) -> AsyncOpenAI:
    from openai import AsyncOpenAI

    # Retries are Clarion's (bounded, recorded per attempt), not the SDK's.
    return AsyncOpenAI(
        base_url=base_url,
        api_key=api_key or "not-needed",
        max_retries=0,
        timeout=settings.CLARION_LLM_TIMEOUT,
    )


def _build(spec: str) -> Model:
    provider, name = parse_spec(spec)
    api_key = settings.CLARION_LLM_API_KEY or None
    if provider == "offline":
        from clarion.agents.offline import offline_model

        return offline_model()
    from pydantic_ai.exceptions import UserError

    try:
        if provider in ("openai", "openai-compatible", "ollama"):
            from pydantic_ai.models.openai import OpenAIChatModel
            from pydantic_ai.providers.openai import OpenAIProvider

            if provider == "ollama":
                base_url: str | None = settings.CLARION_OLLAMA_URL.rstrip("/") + "/v1"
            elif provider == "openai-compatible":
                base_url = settings.CLARION_LLM_BASE_URL
            else:
                base_url = settings.CLARION_LLM_BASE_URL or None
                if api_key is None:
                    import os

                    api_key = os.environ.get("OPENAI_API_KEY")
                    if not api_key:
                        raise LLMConfigError(
                            f"{spec} needs an API key: set CLARION_LLM_API_KEY (or "
                            "OPENAI_API_KEY), or set CLARION_LLM=offline"
                        )
            client = _openai_client(base_url, api_key)
            return OpenAIChatModel(name, provider=OpenAIProvider(openai_client=client))
        if provider == "anthropic":
            from pydantic_ai.models.anthropic import AnthropicModel
            from pydantic_ai.providers.anthropic import AnthropicProvider

            return AnthropicModel(name, provider=AnthropicProvider(api_key=api_key))
        from pydantic_ai.models.google import GoogleModel
        from pydantic_ai.providers.google import GoogleProvider

        return GoogleModel(name, provider=GoogleProvider(api_key=api_key))
    except UserError as exc:
        variable = re.search(r"`([A-Z_]+_API_KEY)`", str(exc))
        if variable:  # the provider's own message names a library call: say what to set
            raise LLMConfigError(
                f"{spec} needs an API key: set CLARION_LLM_API_KEY (or {variable.group(1)}), "
                "or set CLARION_LLM=offline"
            ) from exc
        raise LLMConfigError(f"{provider} model {name!r}: {exc} (set CLARION_LLM_API_KEY)") from exc


def _accepts_connections(url: str, timeout: float) -> bool:
    """Whether something listens at ``url``'s host and port (a TCP connect, nothing sent)."""
    import socket
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def ensure_ready(choice: ModelChoice) -> None:
    """Raise ModelNotReady, with the fix, when ``choice`` cannot answer: its API key is
    missing, or its local Ollama server is not running. Cheap (no request is sent), so a
    command checks before it stores any work instead of failing after retries."""
    if _override is not None:
        return
    try:
        get_model(choice)  # builds the model: a missing key fails here
    except LLMConfigError as exc:
        raise ModelNotReady(str(exc)) from None
    provider, _ = parse_spec(choice.spec)
    if provider == "ollama":
        url = settings.CLARION_OLLAMA_URL
        if not _accepts_connections(url, timeout=max(settings.CLARION_LLM_PROBE_TIMEOUT, 1.0)):
            raise ModelNotReady(
                f"no Ollama server at {redact_url(url)}: start it (`ollama serve`) "
                "or set CLARION_LLM=offline"
            )


def probe_model(choice: ModelChoice, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether the chosen model answers, and a line saying what was found (for ``doctor``)."""
    provider, name = parse_spec(choice.spec)
    if provider == "offline":
        return True, "built-in engine, always available"
    api_key = settings.CLARION_LLM_API_KEY
    if provider == "ollama":
        url = settings.CLARION_OLLAMA_URL.rstrip("/") + "/api/tags"
        try:
            response = httpx.get(url, timeout=timeout)
            response.raise_for_status()
            names = {m.get("name", "") for m in response.json().get("models", [])}
        except (httpx.HTTPError, ValueError) as exc:
            return False, (
                f"Ollama does not answer at {redact_url(url)}: {redact_text(str(exc))}. "
                "Start it with `ollama serve`."
            )
        if name not in names and f"{name}:latest" not in names:
            return False, f"Ollama answers but has no model {name!r}: run `ollama pull {name}`"
        return True, f"Ollama answers and has {name}"
    if provider in ("openai", "openai-compatible"):
        base = (settings.CLARION_LLM_BASE_URL or "https://api.openai.com/v1").rstrip("/")
        shown = redact_url(base)  # what is printed: never a password from the URL
        if provider == "openai" and not api_key:
            import os

            api_key = os.environ.get("OPENAI_API_KEY", "")
            if not api_key:
                return False, "no API key: set CLARION_LLM_API_KEY"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        try:
            response = httpx.get(f"{base}/models", headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            return (
                False,
                f"no answer from {shown}: {redact_text(str(exc))}. Check CLARION_LLM_BASE_URL.",
            )
        if response.status_code in (401, 403):
            return (
                False,
                f"{shown} refused the API key (HTTP {response.status_code}): check CLARION_LLM_API_KEY",
            )
        if response.status_code >= 400:
            return False, f"{shown}/models answered HTTP {response.status_code}"
        return True, f"{shown} answers"
    if not api_key:
        return False, f"no API key for {provider}: set CLARION_LLM_API_KEY"
    return True, f"API key set for {provider} (not contacted)"
