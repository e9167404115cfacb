"""The approval queue and a day's publishing run, as pages.

The same services as the API: ``approvals`` (approve, edit then approve, reject, approve
several) and the orchestrator (run a day, dry or not; retry a network's failed posts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from clarion.accounts.auth import workspace_of
from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.core.errors import Conflict, InvalidInput, LLMConfigError, NotFound, Unavailable
from clarion.core.platforms import LIMITS, Platform, text_length
from clarion.core.redact import redact_text
from clarion.core.text import refused_in_text
from clarion.core.watchdog import WAITING_STATES, overdue_cutoff
from clarion.publishing import approvals, orchestrator, reports
from clarion.publishing.models import DailyRun, ErrorKind, Publication, PublicationState
from clarion.publishing.work import BRAND_REQUIRES_APPROVAL

State = PublicationState

APPROVALS_PER_PAGE = 50
PUBLICATIONS_PER_PAGE = 200
# A run started from the page waits this long at most for posts a network deferred; the
# worker's next pass sends whatever is still deferred.
WEB_MAX_WAIT = 10.0


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass
class QueueItem:
    """A post of the queue, with why it waits and what just happened to it."""

    row: Publication
    why: str = ""
    done: str = ""
    problem: str = ""
    edited: str = ""

    @property
    def length(self) -> str:
        """How long the text is for its network, against the network's limit."""
        limit = LIMITS.get(self.row.network)
        text = self.edited or self.row.content
        if limit is None:
            return ""
        used = text_length(self.row.network, text)
        return f"{used} of {limit.max_length} {limit.unit} on {self.row.network}"


@dataclass
class DayLine:
    row: Publication
    overdue: bool
    problem: str


@dataclass
class RunLine:
    run: DailyRun
    counts: list[tuple[str, int, str]]


def _count_items(run: DailyRun) -> list[tuple[str, int, str]]:
    return [(k, v, k.replace("_", " ")) for k, v in (run.counts or {}).items()]


def _who(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")


# --- Approvals ---


def why_waiting(row: Publication) -> str:
    """Why a post waits for a person, in words."""
    if row.error == BRAND_REQUIRES_APPROVAL:
        return "The brand requires a person's approval."
    note = row.error.strip()
    return "The reviewer did not approve it" + (f": {note}" if note else ".")


def _queue_context(
    request: HttpRequest, *, problem_item: QueueItem | None = None, **extra: Any
) -> dict[str, Any]:
    """A page of the queue; ``problem_item`` stands in for its row (an edit that failed)."""
    rows = approvals.awaiting(workspace=workspace_of(request))
    queue = Paginator(rows, APPROVALS_PER_PAGE).get_page(_page_number(request))
    items = [
        problem_item
        if problem_item is not None and row.pk == problem_item.row.pk
        else QueueItem(row, why=why_waiting(row))
        for row in queue.object_list
    ]
    return {
        "section": "approvals",
        "queue": queue,
        "items": items,
        "waiting": queue.paginator.count,
        **extra,
    }


@require_GET
def list_approvals(request: HttpRequest) -> HttpResponse:
    """The posts waiting for a person, oldest slot first."""
    return render(request, "publishing/approvals.html", _queue_context(request))


def _waiting_row(request: HttpRequest, publication_id: int) -> Publication:
    """A publication of this workspace (in any state); another workspace's is a 404."""
    row = (
        scoped(Publication, workspace_of(request))
        .select_related("brand")
        .filter(pk=publication_id)
        .first()
    )
    if row is None:
        raise Http404(f"no publication {publication_id}")
    return row


def _row_answer(
    request: HtmxHttpRequest,
    publication_id: int,
    *,
    done: str = "",
    error: str = "",
    text: str | None = None,
) -> HttpResponse:
    """The row in its new state (htmx), or the queue page again."""
    row = _waiting_row(request, publication_id)
    item = QueueItem(
        row,
        why=why_waiting(row) if row.state == State.AWAITING_APPROVAL else "",
        done=done,
        problem=error,
        edited=row.content if text is None else text,
    )
    if request.htmx:
        context = {
            "item": item,
            "waiting": approvals.awaiting(workspace=workspace_of(request)).count(),
        }
        return render(request, "publishing/approvals.html#approval-row-answer", context)
    if error:
        context = _queue_context(request, problem_item=item)
        return render(request, "publishing/approvals.html", context, status=422)
    return redirect("publishing:list-approvals")


@require_POST
def approve_publication(request: HtmxHttpRequest, publication_id: int) -> HttpResponse:
    """Approve a waiting post as written, or with the edited text sent (checked again)."""
    text = request.POST.get("text")
    refused = refused_in_text(text) if text is not None else None
    if refused is not None:
        return _row_answer(request, publication_id, error=f"text: {refused.message}", text=text)
    try:
        row = approvals.approve_publication(
            publication_id=publication_id,
            by=_who(request),
            text=text,
            workspace=workspace_of(request),
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except InvalidInput as exc:
        return _row_answer(request, publication_id, error=exc.message, text=text)
    except Conflict as exc:
        return _row_answer(request, publication_id, error=str(exc))
    edited = " (edited)" if text is not None and text.strip() != "" else ""
    return _row_answer(request, row.pk, done=f"Approved{edited}: it goes out at its time.")


@require_POST
def reject_publication(request: HtmxHttpRequest, publication_id: int) -> HttpResponse:
    """Reject a waiting post, with a comment: it is never sent."""
    reason = request.POST.get("reason", "")[:1000]
    refused = refused_in_text(reason)
    if refused is not None:
        return _row_answer(request, publication_id, error=f"comment: {refused.message}")
    try:
        row = approvals.reject_publication(
            publication_id=publication_id,
            by=_who(request),
            reason=reason,
            workspace=workspace_of(request),
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Conflict as exc:
        return _row_answer(request, publication_id, error=str(exc))
    return _row_answer(request, row.pk, done="Rejected: it will not be sent.")


def _ids(request: HttpRequest) -> list[int] | None:
    values = request.POST.getlist("ids")
    if not all(v.isascii() and v.isdigit() and len(v) < 19 for v in values):
        return None
    return [int(v) for v in values]


@require_POST
def approve_selected(request: HtmxHttpRequest) -> HttpResponse:
    """Approve the ticked posts as written: all of them, or none when one fails."""
    ids = _ids(request)
    notice, problem = "", ""
    if ids is None:
        problem = "The selection is not a list of publications: reload the page."
    elif not ids:
        problem = "Tick the posts to approve first."
    else:
        try:
            done = approvals.approve_publications(
                publication_ids=ids, by=_who(request), workspace=workspace_of(request)
            )
        except NotFound as exc:
            problem = f"Nothing was approved: {exc}."
        except (InvalidInput, Conflict) as exc:
            message = exc.message if isinstance(exc, InvalidInput) else str(exc)
            problem = f"Nothing was approved: {message}"
        else:
            n = len(done)
            notice = f"Approved {n} post{'s' if n != 1 else ''}: each goes out at its time."
    context = _queue_context(request, notice=notice, problem=problem)
    if request.htmx:
        return render(request, "publishing/approvals.html#approval-queue-answer", context)
    return render(request, "publishing/approvals.html", context, status=422 if problem else 200)


# --- A day's run ---


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
