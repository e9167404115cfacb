"""What the schemathesis fuzz tests share: the API's schema, Hypothesis settings, and a way
to slip control characters into any string of a generated request.

The ``keep_test_connection`` fixture they need lives in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory
from django.urls import resolve
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from clarion.core.text import find_refused, refused_in_url

OPENAPI = "/api/openapi.json"


def _served_document() -> dict[str, Any]:
    """The OpenAPI document as /api/openapi.json serves it to a signed-in client (its view is
    called directly: at import there is no database to keep a user or a token in)."""
    response = resolve(OPENAPI).func(RequestFactory().get(OPENAPI))
    return json.loads(response.content)


schema = schemathesis.openapi.from_dict(_served_document())
schema.app = get_wsgi_application()
schema.location = OPENAPI

# NUL first (PostgreSQL cannot store it), then other C0 controls text may not hold.
TEXT_CONTROLS = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1e", "\x1f")
# A path or a query value may hold no control character at all.
URL_CONTROLS = (*TEXT_CONTROLS, "\t", "\n", "\r", "\x7f", "\x85", "\x9f")


def fuzz_settings(max_examples: int, *, schema_examples: bool = True) -> settings:
    """Reproducible runs (derandomized, no example database) with no deadline or health checks.

    ``schema_examples=False`` generates every case (a test drawing extra data with
    ``schema.given`` cannot run the schema's own examples).
    """
    phases = list(Phase) if schema_examples else [p for p in Phase if p is not Phase.explicit]
    return settings(
        max_examples=max_examples,
        phases=phases,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _body_strings(body: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The location of every string value in a JSON body."""
    if isinstance(body, str):
        return [loc]
    if isinstance(body, dict):
        return [found for key, value in body.items() for found in _body_strings(value, (*loc, key))]
    if isinstance(body, list):
        return [found for i, value in enumerate(body) for found in _body_strings(value, (*loc, i))]
    return []


def _set(body: Any, loc: tuple[Any, ...], value: str) -> Any:
    if not loc:
        return value
    body[loc[0]] = _set(body[loc[0]], loc[1:], value)
    return body


def _get(body: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        body = body[part]
    return body


def _insert(
    data: st.DataObject, text: str, controls: tuple[str, ...], *, encoded: bool = False
) -> str:
    char = data.draw(st.sampled_from(controls), label="control character")
    if encoded:  # generated path parameters arrive percent-encoded already
        char = quote(char)
    at = data.draw(st.integers(0, len(text)), label="position")
    return text[:at] + char + text[at:]


def has_refused_characters(case: Any) -> bool:
    """Whether the generated request holds a refused character already (negative cases may)."""
    # A "%1F" in a path parameter goes out as it is, and the server decodes it.
    values = [unquote(str(v)) for v in (case.path_parameters or {}).values()]
    for key, value in (case.query or {}).items():
        values += [str(key), *(str(v) for v in (value if isinstance(value, list) else [value]))]
    return any(refused_in_url(v) for v in values) or find_refused(case.body) is not None


def poison(case: Any, data: st.DataObject) -> list[Any]:
    """Put one control character into one string of ``case`` (a body value or key, a path
    parameter, a query value); return the ``loc`` the API must name in its 422."""
    targets: list[tuple[str, Any]] = [("query", "probe")]  # an extra query value always works
    targets += [("path", name) for name in case.path_parameters or {}]
    targets += [("query", name) for name in case.query or {}]
    body = case.body
    if "multipart" in (case.media_type or ""):
        body = None  # a form's fields and file are read by the operation itself, not the schema
    if isinstance(body, dict | list | str):
        targets += [("body", loc) for loc in _body_strings(body)]
    if isinstance(body, dict):
        targets.append(("body-key", None))
    kind, where = data.draw(st.sampled_from(targets), label="where")
    if kind == "path":
        text = str(case.path_parameters[where])
        case.path_parameters[where] = _insert(data, text, URL_CONTROLS, encoded=True)
        return ["path", where]
    if kind == "query":
        query = dict(case.query or {})
        value = query.get(where, "value")
        if isinstance(value, list):  # a repeated parameter: poison its first value
            value = value[0] if value else "value"
        query[where] = _insert(data, str(value), URL_CONTROLS)
        case.query = query
        return ["query", where]
    if kind == "body-key":
        key = _insert(data, "note", TEXT_CONTROLS)
        body[key] = "a value"
        return ["body", key]
    case.body = _set(body, where, _insert(data, _get(body, where), TEXT_CONTROLS))
    return ["body", *where]
