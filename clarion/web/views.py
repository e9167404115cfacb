"""The overview page: what needs a person today, at a glance."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.agents.models import Job
from clarion.brands.models import Brand
from clarion.campaigns.models import Campaign
from clarion.publishing.models import Publication


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    today = timezone.localdate()
    states = dict(
        scoped(Publication, workspace)
        .filter(date=today)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "section": "home",
        "today": today,
        "brand_count": scoped(Brand, workspace).count(),
        "campaign_count": scoped(Campaign, workspace).count(),
        "today_states": sorted(states.items()),
        "today_total": sum(states.values()),
        "recent_jobs": list(scoped(Job, workspace).order_by("-created_at", "-pk")[:8]),
    }
    return render(request, "web/home.html", context)
