"""Experiments, decisions, patterns and lessons in the admin: read only.

They are written by ``clarion.analytics.services`` (evaluations keep their evidence);
an edit by hand would make a decision disagree with the evidence it stores.
"""

from __future__ import annotations

from django.contrib import admin

from clarion.analytics.models import Decision, Experiment, ExperimentArm, Lesson, Pattern
from clarion.publishing.admin import ReadOnlyAdmin


class ArmInline(admin.TabularInline):
    model = ExperimentArm
    extra = 0
    can_delete = False
    fields = ("value", "label", "status", "reason")
    readonly_fields = fields


@admin.register(Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    list_display = ("name", "arm_kind", "success_metric", "status", "decision", "workspace")
    list_filter = ("arm_kind", "status", "decision", "workspace")
    search_fields = ("name",)
    inlines = [ArmInline]


@admin.register(ExperimentArm)
class ExperimentArmAdmin(ReadOnlyAdmin):
    list_display = ("experiment", "value", "label", "status")
    list_filter = ("status",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("experiment", "decision", "rule", "created_at")
    list_filter = ("decision", "rule")
    search_fields = ("sentence",)


@admin.register(Pattern)
class PatternAdmin(ReadOnlyAdmin):
    list_display = ("title", "pattern_type", "detection_count", "confidence_score", "workspace")
    list_filter = ("pattern_type", "workspace")
    search_fields = ("title", "key")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("text", "experiment", "created_at", "workspace")
    list_filter = ("workspace",)
    search_fields = ("text",)
