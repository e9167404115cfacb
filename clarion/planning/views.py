"""The calendar: a brand's month of slots, each post's state, and generating the month."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails
from pydantic import ValidationError

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.api.api import api
from clarion.brands.models import Brand
from clarion.core.errors import Conflict, InvalidInput, NotFound
from clarion.core.platforms import Platform
from clarion.planning import services
from clarion.planning.grid import DEFAULT_NETWORKS
from clarion.planning.models import PlanSlot
from clarion.planning.month import SlotState, month_calendar, parse_month, slot_detail
from clarion.planning.schemas import GenerateIn
from clarion.publishing.slots import brand_zone

PAGE = "planning/calendar.html"
FIELD_LABELS = {
    "brand": "Brand",
    "start_date": "Start date",
    "duration_days": "Days",
    "networks": "Networks",
    "month": "Month",
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _local_today(brand: Brand | None) -> date:
    zone = brand_zone(brand) if brand is not None else None
    return datetime.now(zone).date()


def _pick_brand(brands: list[Brand], ref: str) -> Brand | None:
    """The brand named by ``ref`` (slug or id), among the workspace's; the first by default."""
    if not ref:
        return brands[0] if brands else None
    for brand in brands:
        if ref in (brand.slug, str(brand.pk)):
            return brand
    raise Http404("no such brand in this workspace")


def _api_url(name: str, plan_id: int) -> str:
    """An export of the plan from the API (the session signs the request in)."""
    return reverse(f"{api.urls_namespace}:{name}", args=[plan_id])


def calendar_url(brand: Brand, month: date, **extra: str) -> str:
    query = {"brand": brand.slug, "month": f"{month:%Y-%m}", **extra}
    return f"{reverse('planning:show-calendar')}?{urlencode(query)}"


def _context(
    *,
    brands: list[Brand],
    brand: Brand | None,
    month_text: str | None,
    errors: list[str] | None = None,
    result: str = "",
    form: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], int]:
    today = _local_today(brand)
    errors = list(errors or [])
    status = 200
    try:
        month = parse_month(month_text, today=today)
    except InvalidInput as exc:
        errors.append(f"Month: {exc.message}")
        month, status = today.replace(day=1), 400
    month_view = (
        month_calendar(brand=brand, month=month, today=today) if brand is not None else None
    )
    if form is None:
        networks = (
            month_view.plans[-1].networks
            if month_view and month_view.plans
            else [str(n) for n in DEFAULT_NETWORKS]
        )
        form = {
            "start_date": month.isoformat(),
            "duration_days": calendar.monthrange(month.year, month.month)[1],
            "networks": networks,
        }
    context = {
        "section": "calendar",
        "brands": brands,
        "brand": brand,
        "month": month,
        "cal": month_view,
        "states": list(SlotState),
        "weekdays": list(calendar.day_abbr),
        "errors": errors,
        "result": result,
        "form": form,
        "all_networks": [p.value for p in Platform],
        "prev_url": calendar_url(brand, month_view.previous)
        if brand and month_view and month_view.previous
        else "",
        "next_url": calendar_url(brand, month_view.next)
        if brand and month_view and month_view.next
        else "",
        "today_url": calendar_url(brand, today.replace(day=1)) if brand else "",
        "exports": [
            {
                "plan": plan,
                "end": plan.start_date + timedelta(days=plan.days - 1),
                "ics": _api_url("export_ics", plan.pk),
                "csv": _api_url("export_csv", plan.pk),
            }
            for plan in (month_view.plans if month_view else [])
        ],
    }
    return context, status


@require_GET
def show_calendar(request: HttpRequest) -> HttpResponse:
    """The month grid of one brand (``?brand=``, default the first) for ``?month=YYYY-MM``."""
    workspace = workspace_of(request)
    brands = list(scoped(Brand, workspace).order_by("brand_name", "pk"))
    brand = _pick_brand(brands, request.GET.get("brand", "").strip())
    context, status = _context(brands=brands, brand=brand, month_text=request.GET.get("month"))
    slot_ref = request.GET.get("slot", "")
    if brand is not None and slot_ref.isdigit() and len(slot_ref) < 19:
        # Without JavaScript a chip is a link to the page with its panel open.
        context["detail"] = _detail(request, int(slot_ref))
    return render(request, PAGE, context, status=status)


def _detail(request: HttpRequest, slot_id: int) -> Any:
    try:
        slot = get_scoped(
            PlanSlot.objects.select_related("plan", "plan__brand"),
            workspace_of(request),
            missing="no such slot in this workspace",
            pk=slot_id,
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return slot_detail(slot)


@require_GET
def show_slot(request: HttpRequest, slot_id: int) -> HttpResponse:
    """One slot's panel: its topic and variation, the text written, and its publication."""
    return render(request, f"{PAGE}#slot-panel", {"detail": _detail(request, slot_id)})


def _validation_messages(exc: ValidationError) -> list[str]:
    messages = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        messages.append(f"{label}: {error['msg']}")
    return messages


@require_POST
def generate_month(request: HtmxHttpRequest) -> HttpResponse:
    """Generate (or regenerate) a brand's month with the same rules as ``POST /api/strategy/generate``."""
    workspace = workspace_of(request)
    brands = list(scoped(Brand, workspace).order_by("brand_name", "pk"))
    ref = request.POST.get("brand", "").strip()
    brand = _pick_brand(brands, ref) if ref else None
    days_text = request.POST.get("duration_days", "").strip()
    start_text = request.POST.get("start_date", "").strip()
    form: dict[str, Any] | None = {
        "start_date": start_text,
        "duration_days": days_text,
        "networks": request.POST.getlist("networks"),
    }
    errors: list[str] = []
    days: int | None = None
    if days_text:
        if days_text.isdigit() and len(days_text) < 4:
            days = int(days_text)
        else:
            errors.append(f"Days: write a whole number of days (got {days_text!r})")
    result = ""
    plan = None
    if brand is None:
        errors.append("Brand: choose a brand")
    elif not errors:
        try:
            payload = GenerateIn.model_validate(
                {
                    "brand": ref,
                    "start_date": start_text,
                    "duration_days": days,
                    "networks": request.POST.getlist("networks") or None,
                }
            )
            plan = services.generate_monthly_plan(
                brand=brand,
                start_date=payload.start_date,
                days=payload.duration_days,
                networks=payload.networks,
            )
        except ValidationError as exc:
            errors.extend(_validation_messages(exc))
        except InvalidInput as exc:
            errors.append(f"{FIELD_LABELS.get(exc.field, exc.field)}: {exc.message}")
        except (services.PlanningFailed, Conflict) as exc:
            errors.append(str(exc))
    month_text = start_text[:7] if not errors else request.POST.get("month")
    if plan is not None:
        count = plan.slots.count()
        result = (
            f"Planned {count} post{'s' if count != 1 else ''} for {plan.month:%B %Y} "
            f"on {', '.join(plan.networks)} (version {plan.version})."
        )
        form = None  # the next form starts from the new plan
    context, status = _context(
        brands=brands,
        brand=brand or (brands[0] if brands else None),
        month_text=month_text,
        errors=errors,
        result=result,
        form=form,
    )
    if errors and not request.htmx:
        status = 422  # htmx swaps only 2xx answers: its partial says what to fix with a 200
    template = f"{PAGE}#month" if request.htmx else PAGE
    return render(request, template, context, status=status)
