"""What people keep asking for, and the schedules that do it for them (seed 003's automation).

Every command a person issues that a job can do (from the terminal, the API, the web app
or the chat) is a UserCommand with a normalised intent; an intent seen three times or
more is an AutomationCandidate; an approved candidate is a Schedule the worker runs
exactly once per period (a ScheduleRun per period, unique).
"""

from __future__ import annotations

from django.db import models


class UserCommand(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    command_text = models.TextField(help_text="What the person asked for, in words.")
    normalized_intent = models.CharField(max_length=500, db_index=True)
    job_type = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True, help_text="As given, to repeat it.")
    via = models.CharField(max_length=16, help_text="cli, api_token or web.")
    actor_email = models.CharField(max_length=254, blank=True)
    executed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-executed_at", "-id"]

    def __str__(self) -> str:
        return self.command_text[:80]


class Cadence(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Every week"


class AutomationCandidate(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    normalized_intent = models.CharField(max_length=500)
    pattern_description = models.TextField()
    occurrence_count = models.PositiveIntegerField(default=0)
    confidence_score = models.FloatField(default=0.0, help_text="0 to 1.")
    job_type = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True, help_text="The latest occurrence's.")
    cadence = models.CharField(max_length=8, choices=Cadence.choices)
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Monday is 0 (weekly cadence)."
    )
    hour = models.PositiveSmallIntegerField(default=9, help_text="Local hour it runs from.")
    proposed_agent_name = models.CharField(max_length=120)
    is_automated = models.BooleanField(default=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["is_automated", "-occurrence_count", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "normalized_intent"], name="one_candidate_per_intent"
            )
        ]

    def __str__(self) -> str:
        return self.pattern_description[:80]


class Schedule(models.Model):
    """A job the worker starts by itself once per period."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    candidate = models.OneToOneField(
        AutomationCandidate, on_delete=models.CASCADE, related_name="schedule"
    )
    name = models.CharField(max_length=120)
    job_type = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    cadence = models.CharField(max_length=8, choices=Cadence.choices)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    hour = models.PositiveSmallIntegerField(default=9)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ScheduleRun(models.Model):
    """The one run of a schedule in one period (``2026-12-07`` or ``2026-W50``)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="runs")
    period = models.CharField(max_length=16)
    job = models.ForeignKey(
        "agents.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period"], name="one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period}"
