"""Monthly plans under seed 002's paths: generate, the active plan, a day's posts, exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from clarion.accounts.auth import workspace_of
from clarion.api.schemas import CONFLICT, INVALID, NOT_FOUND, UNAVAILABLE
from clarion.brands.services import get_brand
from clarion.planning import services
from clarion.planning.models import MonthlyPlan
from clarion.planning.schemas import DayOut, GenerateIn, IsoDate, PlanOut

router = Router(tags=["strategy"])


def _plan(plan: MonthlyPlan) -> MonthlyPlan:
    return MonthlyPlan.objects.select_related("brand").prefetch_related("slots").get(pk=plan.pk)


def _file_response(content_type: str, description: str) -> dict[str, object]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string"}}},
            }
        }
    }


def _attachment(body: str, content_type: str, filename: str) -> HttpResponse:
    """``body`` as a UTF-8 file download named ``filename``."""
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/strategy/generate",
    response={201: PlanOut, **NOT_FOUND, **INVALID, **CONFLICT, **UNAVAILABLE},
)
def generate_plan(request: HttpRequest, payload: GenerateIn) -> Status:
    """Plan a month for a brand: code lays out the grid, the planner fills the topics.

    Generating again for the same brand and month stores a new version and archives
    the previous one. 503 means the model failed and nothing was stored.
    """
    plan = services.generate_monthly_plan(
        brand=get_brand(payload.brand, workspace=workspace_of(request)),
        start_date=payload.start_date,
        days=payload.duration_days,
        networks=payload.networks,
    )
    return Status(201, _plan(plan))


@router.get("/strategy/active/{brand}", response={200: PlanOut, **NOT_FOUND, **INVALID})
def active_plan(request: HttpRequest, brand: str, date: IsoDate | None = None) -> MonthlyPlan:
    """The brand's active plan covering ``date`` (default today)."""
    on_date = date or timezone.localdate()
    return _plan(
        services.require_active_plan(get_brand(brand, workspace=workspace_of(request)), on_date)
    )


@router.get("/strategy/posts/{brand}/{date}", response={200: DayOut, **NOT_FOUND, **INVALID})
def day_posts(request: HttpRequest, brand: str, date: IsoDate) -> dict[str, object]:
    """The brand's planned posts for one day, with the plan's editorial guidelines."""
    plan = services.require_active_plan(get_brand(brand, workspace=workspace_of(request)), date)
    return {
        "brand": plan.brand.slug,
        "date": date,
        "plan_id": plan.pk,
        "version": plan.version,
        "guidelines": plan.guidelines,
        "slots": list(plan.slots.filter(date=date)),
    }


@router.get(
    "/strategy/plans/{plan_id}/export.ics",
    response={**NOT_FOUND, **INVALID},
    openapi_extra=_file_response("text/calendar", "The plan as an iCalendar file."),
)
def export_ics(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as iCalendar (RFC 5545): one event per slot."""
    plan = services.get_plan(plan_id, workspace=workspace_of(request))
    return _attachment(services.export_ical(plan), "text/calendar", f"plan-{plan.pk}.ics")


@router.get(
    "/strategy/plans/{plan_id}/export.csv",
    response={**NOT_FOUND, **INVALID},
    openapi_extra=_file_response("text/csv", "The plan as CSV, one row per slot."),
)
def export_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as CSV: a header row, then one row per slot."""
    plan = services.get_plan(plan_id, workspace=workspace_of(request))
    return _attachment(services.export_csv(plan), "text/csv", f"plan-{plan.pk}.csv")
