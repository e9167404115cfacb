from __future__ import annotations

from django.contrib import admin

from clarion.automation.models import AutomationCandidate, Schedule, ScheduleRun, UserCommand


@admin.register(UserCommand)
class UserCommandAdmin(admin.ModelAdmin):
    list_display = ["executed_at", "workspace", "via", "command_text", "normalized_intent"]
    list_filter = ["via", "job_type"]
    readonly_fields = [f.name for f in UserCommand._meta.fields]  # a record of what was asked


@admin.register(AutomationCandidate)
class AutomationCandidateAdmin(admin.ModelAdmin):
    list_display = ["pattern_description", "workspace", "occurrence_count", "is_automated"]
    list_filter = ["is_automated", "cadence"]


class ScheduleRunInline(admin.TabularInline):
    model = ScheduleRun
    extra = 0
    readonly_fields = ["period", "job", "error", "created_at"]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "job_type", "cadence", "weekday", "hour", "is_active"]
    list_filter = ["is_active", "cadence"]
    inlines = [ScheduleRunInline]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["schedule", "period", "job", "created_at"]
    readonly_fields = ["schedule", "period", "job", "error", "created_at"]
