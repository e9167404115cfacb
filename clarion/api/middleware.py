"""Refuse control characters in API requests before any view, service or query sees them.

One place for every ``/api/`` route: a control character in the path or the
query string, or a C0 control character other than tab, line feed and carriage
return in any string (or key) of a JSON body, is answered with 422 in the shape
the API uses for validation errors, naming where it was found. The rules live
in ``clarion.core.text``; the OpenAPI document says the same (``clarion.api.api``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

from clarion.core.text import RefusedCharacter, find_refused, refused_in_url

API_PREFIX = "/api/"


def _refused(kind: str, loc: tuple[str | int, ...], found: RefusedCharacter) -> dict[str, Any]:
    return {"type": "control_character", "loc": [kind, *loc], "msg": found.message}


def _path_problem(request: HttpRequest) -> dict[str, Any] | None:
    found = refused_in_url(request.path_info)
    if found is None:
        return None
    try:  # name the path parameter when the path matches a route
        kwargs = resolve(request.path_info).kwargs
    except Resolver404:
        kwargs = {}
    for name, value in kwargs.items():
        in_value = refused_in_url(str(value))
        if in_value is not None:
            return _refused("path", (name,), in_value)
    return _refused("path", (), found)


def _query_problem(request: HttpRequest) -> dict[str, Any] | None:
    for key, values in request.GET.lists():
        found = refused_in_url(key)
        if found is not None:
            return _refused("query", (key,), found)
        for value in values:
            found = refused_in_url(value)
            if found is not None:
                return _refused("query", (key,), found)
    return None


def _body_problem(request: HttpRequest) -> dict[str, Any] | None:
    body = request.body  # the API reads JSON bodies, whatever the declared content type
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the API's own parsing answers it
    found = find_refused(data)
    return _refused("body", found.loc, found) if found is not None else None


class RefuseControlCharacters:
    """Answer 422 to an API request carrying control characters; pass every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            problem = _path_problem(request) or _query_problem(request) or _body_problem(request)
            if problem is not None:
                return JsonResponse({"detail": [problem]}, status=422)
        return self.get_response(request)
