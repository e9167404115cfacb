from __future__ import annotations

from django.contrib import admin

from clarion.writing.models import IterationSession, Turn

TURN_FIELDS = (
    "turn_number", "text", "decision", "score", "approved", "rejection_codes", "feedback", "poll",
)  # fmt: skip


class TurnInline(admin.TabularInline):
    model = Turn
    extra = 0
    fields = TURN_FIELDS
    readonly_fields = TURN_FIELDS


@admin.register(IterationSession)
class IterationSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "user_input",
        "brand",
        "platform",
        "completion_reason",
        "needs_human_review",
        "started_at",
    ]
    list_filter = ["completion_reason", "needs_human_review", "platform"]
    inlines = [TurnInline]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["session", "turn_number", "decision", "score", "approved"]
