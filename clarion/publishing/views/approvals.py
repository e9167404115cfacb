"""The approval queue as a page: approve, edit then approve, reject, approve several (the
same ``approvals`` services as the API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.core.errors import Conflict, InvalidInput, NotFound
from clarion.core.platforms import LIMITS, text_length
from clarion.core.text import refused_in_text
from clarion.publishing import approvals
from clarion.publishing.models import DailyRun, Publication, PublicationState
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
