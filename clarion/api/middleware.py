"""What an API request may carry, checked before any view, service or query sees it.

A body is JSON, declared ``application/json`` (415 otherwise), but for the few operations
that take a file as ``multipart/form-data`` (``UPLOADS``, 413 over their size caps). And in
one place for every ``/api/`` route: a control character in the path or the query string,
or a C0 control character other than tab, line feed and carriage return in any string (or
key) of a JSON body, or of an upload (its field names, values and file), is answered with
422 in the shape the API uses for validation errors, naming where it was found. The rules live in ``clarion.core.text``; the
OpenAPI document says the same (``clarion.api.api``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve

from clarion.core.text import RefusedCharacter, find_refused, refused_in_url
from clarion.crm.reading import MAX_FILE_BYTES, control_character, control_message

API_PREFIX = "/api/"
JSON = "application/json"
MULTIPART = "multipart/form-data"
# The operations that take a file (multipart/form-data) instead of JSON, and the most bytes
# each reads: a larger body is answered 413 before it is read.
UPLOADS = {"/api/data/leads/import": MAX_FILE_BYTES}
FORM_ROOM = 64 * 1024  # what the form around the file may add to the body


def is_upload(request: HttpRequest) -> bool:
    """Whether this is a file sent as multipart/form-data to an operation that takes one."""
    declared = (request.content_type or "").lower()
    return declared == MULTIPART and request.path_info in UPLOADS


def _file_problem(request: HttpRequest) -> dict[str, Any] | None:
    """A control character in an uploaded file: a CSV file holds text only."""
    for key in request.FILES:
        for upload in request.FILES.getlist(key):
            found = control_character(upload.read())
            upload.seek(0)
            if found is not None:
                message = control_message(*found)
                return {"type": "control_character", "loc": ["body", key], "msg": message}
    return None


def _form_problem(request: HttpRequest) -> dict[str, Any] | None:
    """A refused character in an upload's field names, its plain values or its file."""
    try:
        request.POST  # noqa: B018 -- parses the form (and spools the file) once, here
    except (MultiPartParserError, SuspiciousOperation):
        raise BadUpload from None
    fields: dict[str, Any] = {key: request.POST.getlist(key) for key in request.POST}
    fields |= {key: "" for key in request.FILES}
    found = find_refused(fields)
    if found is not None:
        return _refused("body", found.loc[:1], found)
    return _file_problem(request)


class BadUpload(Exception):
    """The body is not a form Django can read (malformed, or too many parts)."""


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
    if is_upload(request):
        return _form_problem(request)
    if (request.content_type or "").lower() != JSON:
        return None  # not JSON: ``RequireJsonBodies`` answers it
    body = request.body
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the API's own parsing answers it
    found = find_refused(data)
    return _refused("body", found.loc, found) if found is not None else None


def _too_large(request: HttpRequest) -> HttpResponse | None:
    """413 for an upload whose declared length is over what its operation reads."""
    if not is_upload(request):
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = UPLOADS[request.path_info]
    if length <= limit + FORM_ROOM:
        return None
    return JsonResponse(
        {"detail": f"the upload is {length:,} bytes; a file may have at most {limit:,}"},
        status=413,
    )


class RequireJsonBodies:
    """Answer 415 to an API request whose body is not declared ``application/json``.

    A browser sends a cross-site form or a ``text/plain`` fetch without asking the site
    first; a JSON body needs the browser's preflight, which Clarion never grants. An upload
    (``UPLOADS``) is such a form: it passes here, and a session sending it must carry the
    CSRF token like any other (an API token cannot be sent by a cross-site form at all).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_upload(request):
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX) and request.body:
            declared = (request.content_type or "").lower()
            if declared != JSON:
                shown = f"not {declared}" if declared else "none was given"
                wanted = (
                    f"a file sent as {MULTIPART}"
                    if request.path_info in UPLOADS
                    else (f"JSON sent as {JSON}")
                )
                return JsonResponse(
                    {"detail": f"the request body must be {wanted} ({shown})"}, status=415
                )
        return self.get_response(request)


class RefuseControlCharacters:
    """Answer 422 to an API request carrying control characters; pass every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            too_large = _too_large(request)
            if too_large is not None:
                return too_large
            try:
                problem = (
                    _path_problem(request) or _query_problem(request) or _body_problem(request)
                )
            except BadUpload:
                message = "the body is not a readable multipart/form-data form with a file"
                return JsonResponse({"detail": message}, status=400)
            if problem is not None:
                return JsonResponse({"detail": [problem]}, status=422)
        return self.get_response(request)
