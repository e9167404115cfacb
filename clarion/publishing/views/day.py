"""A day's publishing run as a page: its publications and their states, run the day (dry
or not), retry a network's failed posts (the same orchestrator as the API)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clarion.accounts.auth import workspace_of
from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.core.errors import InvalidInput, LLMConfigError, Unavailable
from clarion.core.platforms import Platform
from clarion.core.redact import redact_text
from clarion.core.watchdog import WAITING_STATES, overdue_cutoff
from clarion.publishing import orchestrator, reports
from clarion.publishing.models import DailyRun, ErrorKind, Publication, PublicationState
from clarion.publishing.views.approvals import (
    PUBLICATIONS_PER_PAGE,
    WEB_MAX_WAIT,
    DayLine,
    RunLine,
    State,
    _count_items,
)


def _day(request: HttpRequest) -> tuple[date, str]:
    """The day asked for (``?date=``, default today) and what was wrong with it."""
    text = request.GET.get("date", request.POST.get("date", "")).strip()
    if not text:
        return timezone.localdate(), ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return timezone.localdate(), f"{text[:40]!r} is not a date (YYYY-MM-DD): showing today."


def error_in_words(row: Publication) -> str:
    """Why a publication is not out, for a person: the kind of error and the error itself."""
    if row.state == State.PUBLISHED or not (row.error or row.error_kind):
        return ""
    label = ErrorKind(row.error_kind).label if row.error_kind in ErrorKind.values else ""
    if row.state == State.NEEDS_ATTENTION and not row.error_kind:
        label = "The outcome is unknown: it is looked up on the network before any retry"
    if not row.error:
        return label
    return (
        f"{label} — {row.error}" if label and row.error_kind != ErrorKind.UNAPPROVED else row.error
    )


def _failed_by_network(workspace: Workspace, day: date) -> list[tuple[str, int]]:
    rows = (
        scoped(Publication, workspace)
        .filter(date=day, state=State.FAILED)
        .values_list("network")
        .annotate(n=Count("pk"))
        .order_by("network")
    )
    return [(network, n) for network, n in rows]


@require_GET
def show_day(request: HttpRequest) -> HttpResponse:
    """A day's publications with their states, links and errors; run or retry it."""
    workspace = workspace_of(request)
    day, date_problem = _day(request)
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        offset = 0
    # The counts from the report; the page of rows in the order of the day.
    status = reports.day_status(day=day, workspace=workspace, limit=0)
    publications = list(
        scoped(Publication, workspace)
        .filter(date=day)
        .select_related("brand")
        .order_by("scheduled_at", "brand__brand_name", "network", "slot", "pk")[
            offset : offset + PUBLICATIONS_PER_PAGE
        ]
    )
    cutoff = overdue_cutoff()
    lines = [
        DayLine(
            row,
            overdue=row.state in WAITING_STATES and row.scheduled_at < cutoff,
            problem=error_in_words(row),
        )
        for row in publications
    ]
    runs = scoped(DailyRun, workspace).filter(date=day).order_by("-started_at", "-id")
    shown_run = None
    run_id = request.GET.get("run", "")
    if run_id.isascii() and run_id.isdigit() and len(run_id) < 19:
        shown_run = scoped(DailyRun, workspace).filter(pk=int(run_id)).first()
    today = timezone.localdate()
    context = {
        "section": "publishing",
        "day": day,
        "today": today,
        "is_today": day == today,
        "previous_day": day - timedelta(days=1) if day > date.min else day,
        "next_day": day + timedelta(days=1) if day < date.max else day,
        "date_problem": date_problem,
        "status": status,
        "publications": lines,
        "counts": [(s.value, s.label, status.counts.get(s.value, 0)) for s in PublicationState],
        "failed_by_network": _failed_by_network(workspace, day),
        "overdue_minutes": settings.CLARION_OVERDUE_MINUTES,
        "offset": offset,
        "shown_to": offset + len(publications),
        "next_offset": offset + PUBLICATIONS_PER_PAGE
        if offset + PUBLICATIONS_PER_PAGE < status.total
        else None,
        "previous_offset": max(0, offset - PUBLICATIONS_PER_PAGE) if offset else None,
        "runs": [RunLine(run, _count_items(run)) for run in runs[:5]],
        "shown_run": shown_run,
        "shown_counts": _count_items(shown_run) if shown_run else [],
        "shown_summary": reports.run_summary(shown_run) if shown_run else "",
    }
    return render(request, "publishing/day.html", context)


def _after_run(run: DailyRun) -> HttpResponse:
    url = reverse("publishing:show-day")
    return redirect(f"{url}?date={run.date.isoformat()}&run={run.pk}")


# What stops a run before it ends (the model is misconfigured or down): said on the page.
STOPPED_RUN = (Unavailable, LLMConfigError, InvalidInput)


def _stopped(request: HttpRequest, day: date, exc: Exception) -> HttpResponse:
    # The cause may quote a model server's address: never with its credentials.
    message = exc.message if isinstance(exc, InvalidInput) else redact_text(str(exc))
    messages.error(request, f"The run stopped: {message}")
    return redirect(f"{reverse('publishing:show-day')}?date={day.isoformat()}")


def _web_wait() -> float:
    return min(settings.CLARION_PUBLISH_MAX_WAIT, WEB_MAX_WAIT)


@require_POST
def run_day(request: HttpRequest) -> HttpResponse:
    """Run the day now (``dry_run=1``: write and check everything, publish nothing)."""
    day, problem = _day(request)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    try:
        run = orchestrator.run_daily(
            date=day,
            dry_run=request.POST.get("dry_run") == "1",
            workspace=workspace_of(request),
            wait_for_deferred=_web_wait(),
        )
    except STOPPED_RUN as exc:
        return _stopped(request, day, exc)
    return _after_run(run)


@require_POST
def retry_failed(request: HttpRequest) -> HttpResponse:
    """Retry the day's failed publications on one network."""
    day, problem = _day(request)
    network = request.POST.get("network", "")
    if network not in Platform.values:
        problem = problem or f"{network[:40]!r} is not a network: one of {', '.join(Platform)}."
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    try:
        run = orchestrator.retry_failed(
            date=day,
            platform=network,
            workspace=workspace_of(request),
            wait_for_deferred=_web_wait(),
        )
    except STOPPED_RUN as exc:
        return _stopped(request, day, exc)
    return _after_run(run)
