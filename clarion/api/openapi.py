"""The OpenAPI document says what ``RefuseControlCharacters`` enforces.

Every request string (body values, path and query parameters) that has no
pattern, enum or format of its own gets the pattern of text Clarion accepts, and
every operation documents the 422 the middleware may answer. Clients, and the
fuzz tests that generate requests from the document, then know what is valid.
"""

from __future__ import annotations

import copy
from typing import Any

from clarion.core.text import PARAMETER_PATTERN, TEXT_PATTERN

_REF_PREFIX = "#/components/schemas/"
ANY_JSON = "AnyJSON"
_ANY_JSON_SCHEMA = {
    "description": "Any JSON value whose strings and keys hold no refused control character.",
    "anyOf": [
        {"type": "string", "pattern": TEXT_PATTERN},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": {"$ref": _REF_PREFIX + ANY_JSON}},
        {
            "type": "object",
            "propertyNames": {"pattern": TEXT_PATTERN},
            "additionalProperties": {"$ref": _REF_PREFIX + ANY_JSON},
        },
    ],
}
_NESTED = ("items", "additionalProperties", "not")
_ALTERNATIVES = ("anyOf", "oneOf", "allOf", "prefixItems")


def _constrain(schema: Any, pattern: str, components: dict[str, Any], seen: set[str]) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
        name = ref.removeprefix(_REF_PREFIX)
        if name not in seen and name in components:
            seen.add(name)
            _constrain(components[name], pattern, components, seen)
        return
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = pattern
    if schema.get("type") == "object" and pattern == TEXT_PATTERN:
        # Unknown fields are ignored, but their text follows the same rules.
        schema.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        if schema.get("additionalProperties", True) in (True, {}):
            schema["additionalProperties"] = {"$ref": _REF_PREFIX + ANY_JSON}
    for value in schema.get("properties", {}).values():
        _constrain(value, pattern, components, seen)
    for key in _NESTED:
        _constrain(schema.get(key), pattern, components, seen)
    for key in _ALTERNATIVES:
        for item in schema.get(key, []):
            _constrain(item, pattern, components, seen)


def document_text_rules(document: dict[str, Any], *, error_schema: dict[str, Any]) -> None:
    """Add the text patterns and the 422 answer to ``document`` (in place)."""
    components: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    components[ANY_JSON] = copy.deepcopy(_ANY_JSON_SCHEMA)
    seen: set[str] = {ANY_JSON}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _constrain(parameter.get("schema"), PARAMETER_PATTERN, components, seen)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                _constrain(media.get("schema"), TEXT_PATTERN, components, seen)
            responses = operation.setdefault("responses", {})
            if 422 not in responses and "422" not in responses:  # Ninja keys them by int
                responses[422] = {
                    "description": "Unprocessable Entity",
                    "content": {"application/json": {"schema": error_schema}},
                }


AUTH_ANSWERS = {
    401: "Unauthorized: no API token or session, or a token that is unknown, expired or revoked",
    403: "Forbidden: a session call without its CSRF token",
    415: "Unsupported Media Type: a body that is not application/json",
}


def document_auth_answers(document: dict[str, Any], *, error_schema: dict[str, Any]) -> None:
    """Every operation may answer 401 and 403 (``clarion.accounts.auth``), and one with a
    body 415 (``RequireJsonBodies``); add them to ``document`` (in place)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in AUTH_ANSWERS.items():
                if status == 415 and "requestBody" not in operation:
                    continue
                if status not in responses and str(status) not in responses:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": error_schema}},
                    }
