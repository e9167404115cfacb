"""The automation page (under Learning): what people keep asking for, approved into schedules."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from clarion.accounts.auth import workspace_of
from clarion.automation import services
from clarion.core.errors import Conflict, NotFound, as_sentence


@require_GET
def list_candidates(request: HttpRequest) -> HttpResponse:
    candidates = list(services.candidates_of(workspace_of(request))[:100])
    context = {
        "section": "learning",
        "page": "automation",
        "candidates": candidates,
        "days": services.DAYS,
    }
    return render(request, "automation/candidates.html", context)


@require_POST
def approve(request: HttpRequest, candidate_id: int) -> HttpResponse:
    try:
        candidate = services.approve(workspace_of(request), candidate_id)
    except (Conflict, NotFound) as exc:
        messages.error(request, as_sentence(exc))
    else:
        messages.success(request, f"Approved: {candidate.proposed_agent_name} runs from now on.")
    return redirect("automation:list-candidates")
