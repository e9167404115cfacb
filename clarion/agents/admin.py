from __future__ import annotations

from django.contrib import admin

from clarion.agents.models import (
    Agent,
    AgentCall,
    AgentMemory,
    Job,
    JobLog,
    ModelRequestWindow,
    Task,
    Team,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain", "is_builtin"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "role",
        "workspace",
        "team",
        "model",
        "is_active",
        "total_tasks_completed",
        "total_tasks_failed",
        "success_rate",
    ]
    list_filter = ["role", "is_active", "team"]
    search_fields = ["name"]
    # Its figures move with every task that ends: they are read here, never typed.
    readonly_fields = [
        "total_tasks_completed",
        "total_tasks_failed",
        "success_rate",
        "avg_duration_seconds",
        "total_reward",
        "total_cost_usd",
        "fired_at",
    ]


TASK_FIELDS = (
    "name",
    "status",
    "model_name",
    "attempts",
    "input_tokens",
    "output_tokens",
    "duration_ms",
    "error",
)


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = TASK_FIELDS
    readonly_fields = TASK_FIELDS


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "title",
        "status",
        "model_name",
        "requests",
        "input_tokens",
        "output_tokens",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "job",
        "name",
        "status",
        "model_name",
        "attempts",
        "input_tokens",
        "output_tokens",
    ]
    list_filter = ["status", "role"]


@admin.register(AgentCall)
class AgentCallAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "task",
        "model_name",
        "attempt",
        "status",
        "input_tokens",
        "output_tokens",
        "duration_ms",
    ]
    list_filter = ["status"]


@admin.register(AgentMemory)
class AgentMemoryAdmin(admin.ModelAdmin):
    list_display = ["agent_name", "updated_at"]
    search_fields = ["agent_name"]


@admin.register(ModelRequestWindow)
class ModelRequestWindowAdmin(admin.ModelAdmin):
    list_display = ["provider", "minute", "requests"]
    list_filter = ["provider"]


@admin.register(JobLog)
class JobLogAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "level", "message", "created_at"]
    list_filter = ["level"]
    # What a job wrote as it ran: read here, never rewritten.
    readonly_fields = ["job", "level", "message", "data", "created_at"]
