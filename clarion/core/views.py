"""``/health`` (whether this process can serve, for load balancers and monitors) and the
answer to a bad request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise; open to anyone, tells nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, saying what to fix when the request came for a host name Clarion does not serve."""
    if isinstance(exception, DisallowedHost):
        host = request.META.get("HTTP_HOST", "")[:255]
        message = (
            f"This Clarion server does not answer for the host {host!r}. If it should, add the "
            "name to CLARION_ALLOWED_HOSTS (comma-separated) and restart it."
        )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return HttpResponseBadRequest("Bad request.", content_type="text/plain; charset=utf-8")
