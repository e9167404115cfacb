"""The writer ↔ reviewer loop, as stored records (seed 004)."""

from __future__ import annotations

from typing import Any

from django.db import models


class CompletionReason(models.TextChoices):
    APPROVED = "approved", "Approved"
    MAX_TURNS = "max_turns", "Max turns reached"
    ERROR = "error", "Error"
    CANCELLED = "cancelled", "Cancelled"


class SessionOrigin(models.TextChoices):
    """Who wants the session: what decides whether it is resumed after its process died."""

    REQUEST = "request", "Asked for by a person"
    CAMPAIGN = "campaign", "A campaign's content"
    PUBLICATION = "publication", "A publication of the daily run"


class SessionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"


class IterationSession(models.Model):
    """One writer ↔ reviewer collaboration on one brief."""

    job = models.ForeignKey(
        "agents.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose session it is: its brand's workspace, or the requester's.",
    )
    user_input = models.TextField()
    kind = models.CharField(max_length=16, default="slogan")
    platform = models.CharField(max_length=16, blank=True)
    require_cta = models.BooleanField(default=False)
    angle = models.CharField(max_length=200, blank=True)
    hook_style = models.CharField(max_length=200, blank=True)
    variant = models.CharField(max_length=8, blank=True)
    origin = models.CharField(
        max_length=16, choices=SessionOrigin.choices, default=SessionOrigin.REQUEST
    )
    runner = models.CharField(
        max_length=64,
        blank=True,
        help_text="The process working on it: a worker id, or host:pid (empty: free to take).",
    )
    recoveries = models.PositiveSmallIntegerField(
        default=0, help_text="Times it was taken back from a process that died."
    )
    model_name = models.CharField(max_length=200, blank=True)
    max_turns = models.PositiveSmallIntegerField(default=5)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.PENDING
    )
    completed = models.BooleanField(default=False)
    completion_reason = models.CharField(
        max_length=16, choices=CompletionReason.choices, blank=True
    )
    final_text = models.TextField(blank=True)
    final_turn_number = models.PositiveSmallIntegerField(null=True, blank=True)
    needs_human_review = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(
        auto_now=True, help_text="Renewed every turn: the session's lease."
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="session_status_lease")]

    def __str__(self) -> str:
        return f"Session #{self.pk}: {self.user_input[:40]}"

    @property
    def final_turn(self) -> Turn | None:
        if self.final_turn_number is None:
            return None
        return next((t for t in self.turns.all() if t.turn_number == self.final_turn_number), None)

    @property
    def final_poll(self) -> dict[str, Any] | None:
        """The final draft's poll (question and options) when the post is a poll, else None."""
        final = self.final_turn
        return final.poll if final is not None else None


class Turn(models.Model):
    """One draft by the writer and the reviewer's verdict on it."""

    session = models.ForeignKey(IterationSession, on_delete=models.CASCADE, related_name="turns")
    turn_number = models.PositiveSmallIntegerField()
    text = models.TextField()
    angle = models.CharField(max_length=200, blank=True)
    hook_style = models.CharField(max_length=200, blank=True)
    writer_notes = models.TextField(blank=True)
    decision = models.CharField(max_length=16, blank=True)
    feedback = models.TextField(blank=True)
    scores = models.JSONField(default=dict, blank=True)
    score = models.FloatField(null=True, blank=True)
    fixes = models.JSONField(default=list, blank=True)
    check_failures = models.JSONField(default=list, blank=True)
    rejection_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Why the turn was not approved: check, quality and reviewer fix codes.",
    )
    poll = models.JSONField(
        null=True, blank=True, help_text="The draft's poll: question and 2-4 options."
    )
    approved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "turn_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "turn_number"], name="unique_turn_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"Turn {self.turn_number} of session {self.session_id}"
