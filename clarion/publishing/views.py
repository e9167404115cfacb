"""Pages of the publishing app."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.brands.models import Brand
from clarion.publishing import analytics, reports
from clarion.publishing.models import PublicationState
from clarion.publishing.slots import days_before
from clarion.web.charts import bar_chart, stacked_bars

DEFAULT_DAYS = 30
MAX_DAYS = 366
# Published, failed, pending: the colours of the states in clarion.css.
STATE_COLORS = ("#1f7a4d", "#b3261e", "#8a93a3")


class IsoDateField(forms.DateField):
    """A date written YYYY-MM-DD; anything else is refused with the text it was given."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            shown = str(value)[:40]
            raise ValidationError(
                f"{shown!r} is not a date: write it as YYYY-MM-DD, like 2026-03-01",
                code="invalid",
            ) from None


class PeriodForm(forms.Form):
    """The period of the analytics page (empty dates: the 30 days up to today)."""

    start = IsoDateField(required=False)
    end = IsoDateField(required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        end = data.get("end") or self.today
        start = data.get("start") or days_before(end, DEFAULT_DAYS)
        if end < start:
            self.add_error("end", f"the end ({end}) is before the start ({start})")
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "start", f"choose at most {MAX_DAYS} days (this is {(end - start).days + 1})"
            )
        data["start"], data["end"] = start, end
        return data


def _charts(performance: analytics.Performance) -> list[dict[str, Any]]:
    def states(rows: list[analytics.Row], title: str, empty: str) -> Any:
        return stacked_bars(
            [(row.label, row.counts) for row in rows],
            series=analytics.STATE_SERIES,
            colors=STATE_COLORS,
            title=title,
            empty=empty,
        )

    found = [
        {
            "id": "by-network",
            "heading": "By network",
            "svg": states(performance.by_network, "Posts by network", "No posts in this period."),
            "rows": performance.by_network,
        },
        {
            "id": "by-pillar",
            "heading": "By content pillar",
            "svg": states(
                performance.by_pillar, "Posts by content pillar", "No posts in this period."
            ),
            "rows": performance.by_pillar,
        },
        {
            "id": "by-time",
            "heading": "By posting time",
            "svg": states(
                performance.by_time, "Posts by posting time (local)", "No posts in this period."
            ),
            "rows": performance.by_time,
            "note": ""
            if performance.time_from_report
            else "Hour of the slot's time of day, on the brand's clock.",
        },
    ]
    if performance.has_metrics:
        for item, rows in zip(
            found[:2], (performance.by_network, performance.by_pillar), strict=True
        ):
            item["metric_svg"] = bar_chart(
                [(row.label, row.metrics.get("impressions", 0)) for row in rows],
                title=f"Impressions {item['heading'].lower()}",
                empty="No impressions read back yet.",
            )
    return found


def _with_state_labels(day: dict[str, Any]) -> dict[str, Any]:
    labels = dict(PublicationState.choices)
    for post in day["posts"]:
        post["state_label"] = labels.get(post["state"], post["state"])
    return day


@require_GET
def show_analytics(request: HttpRequest) -> HttpResponse:
    """Yesterday per brand, and the posts and metrics of a period as charts."""
    workspace = workspace_of(request)
    today = timezone.localdate()
    brands = list(scoped(Brand, workspace).order_by("brand_name", "pk"))
    form = PeriodForm(request.GET, today=today)
    ref = request.GET.get("brand", "").strip()
    brand = None
    if ref:
        brand = next((b for b in brands if ref in (b.slug, str(b.pk))), None)
        if brand is None:
            raise Http404("no such brand in this workspace")
    context: dict[str, Any] = {
        "section": "analytics",
        "brands": brands,
        "brand": brand,
        "form": form,
        "today": today,
    }
    status = 200
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        performance = analytics.performance(workspace=workspace, brand=brand, start=start, end=end)
        context.update(
            start=start,
            end=end,
            performance=performance,
            total=performance.total,
            charts=_charts(performance),
            metric_names=reports.METRIC_NAMES,
        )
    else:
        status = 400
    # One query per brand shown (a workspace has a few brands, a period many posts).
    context["yesterday"] = [
        (b, _with_state_labels(reports.yesterday(brand=b, today=today)))
        for b in ([brand] if brand else brands)
    ]
    context["yesterday_date"] = today - timedelta(days=1)
    return render(request, "publishing/analytics.html", context, status=status)
