"""Leads: the people a workspace's marketing reaches, with where they came from and how far along
they are."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class LeadStatus(models.TextChoices):
    """How far a lead has come, least advanced first (the order merging relies on)."""

    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    CONVERTED = "converted", "Converted"


# How advanced each status is: a merge keeps the more advanced of two.
STATUS_RANK = {status.value: rank for rank, status in enumerate(LeadStatus)}

SCORE_MIN = 0
SCORE_MAX = 100


class Lead(models.Model):
    """One person of interest, known by their e-mail address (lower-case, one lead per workspace)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="leads"
    )
    email = models.CharField(max_length=254, help_text="Lower-case; unique in the workspace.")
    name = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=120, blank=True, help_text="Where the lead came from.")
    status = models.CharField(
        max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True
    )
    score = models.PositiveSmallIntegerField(default=0, help_text="Lead quality, 0 to 100.")
    assigned_to = models.ForeignKey(
        "agents.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        help_text="The agent handling the lead.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "email", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "email"], name="lead_unique_email"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="lead_score_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="lead_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.email
