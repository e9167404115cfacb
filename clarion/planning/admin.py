from __future__ import annotations

from django.contrib import admin

from clarion.planning.models import MonthlyPlan, PlanSlot

SLOT_FIELDS = (
    "date",
    "network",
    "time_of_day",
    "pillar",
    "format",
    "angle",
    "hook",
    "cta",
    "topic",
)


class PlanSlotInline(admin.TabularInline):
    model = PlanSlot
    extra = 0
    fields = SLOT_FIELDS
    readonly_fields = SLOT_FIELDS
    can_delete = False


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(admin.ModelAdmin):
    """Plans are made by ``clarion plan generate`` or the API; here they are read."""

    list_display = ["brand", "month", "start_date", "days", "version", "is_active", "created_at"]
    list_filter = ["is_active", "month"]
    search_fields = ["brand__brand_name", "brand__slug"]
    readonly_fields = ["brand", "month", "start_date", "days", "version", "is_active", "job"]
    inlines = [PlanSlotInline]


@admin.register(PlanSlot)
class PlanSlotAdmin(admin.ModelAdmin):
    list_display = ["date", "network", "pillar", "format", "topic", "plan"]
    list_filter = ["network", "pillar", "format"]
    search_fields = ["topic"]
    list_select_related = ["plan", "plan__brand"]
    raw_id_fields = ["plan"]
