"""``/health`` (whether this process can serve, for load balancers and monitors) and the
answer to a bad request."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Whether Clarion works: the database, the worker and the overdue posts.

    200 when the database answers, a worker is running and no post is overdue;
    503 otherwise, with the part that is wrong. ``?only=database`` checks this
    process alone (for a load balancer in front of the web servers). Open to
    anyone: states and counts only, no names.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    if request.GET.get("only") == "database":
        return JsonResponse({"status": "ok", "database": "ok"})
    from clarion.core import watchdog

    try:
        worker = watchdog.worker_state()
        overdue = watchdog.overdue_count()
    except DatabaseError:  # tables missing: the database is not migrated
        return JsonResponse({"status": "unavailable", "database": "not migrated"}, status=503)
    healthy = worker.running and overdue == 0
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": "ok",
        "worker": {
            "status": worker.status,
            "seconds_since_heartbeat": (
                None if worker.seconds_since is None else round(worker.seconds_since)
            ),
        },
        "overdue_publications": overdue,
        "overdue_after_minutes": settings.CLARION_OVERDUE_MINUTES,
    }
    return JsonResponse(body, status=200 if healthy else 503)


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
