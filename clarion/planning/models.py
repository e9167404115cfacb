"""Monthly content plans (seed 002): one slot per day per network, pillars rotated by code."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from clarion.core.platforms import Platform


class Pillar(models.TextChoices):
    """The six content pillars that rotate through a month."""

    EDUCATION = "education", "Education"
    PRODUCT = "product", "Product"
    SOCIAL_PROOF = "social_proof", "Social proof"
    BEHIND_THE_SCENES = "behind_the_scenes", "Behind the scenes"
    COMMUNITY = "community", "Community"
    THOUGHT_LEADERSHIP = "thought_leadership", "Thought leadership"


class PostFormat(models.TextChoices):
    TEXT = "text", "Text"
    LINK = "link", "Link"
    IMAGE = "image", "Image"
    POLL = "poll", "Poll"


class MonthlyPlan(models.Model):
    """A brand's calendar for one month; generating again stores a new version."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="plans")
    month = models.DateField(help_text="The first day of the month the plan starts in.")
    start_date = models.DateField()
    days = models.PositiveSmallIntegerField()
    networks = models.JSONField(default=list)
    guidelines = models.JSONField(
        default=dict, help_text="Tone, language and do/don't lists given to every writer call."
    )
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True, db_index=True)
    job = models.ForeignKey(
        "agents.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The planning run that filled the topics (tokens, calls, errors).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "month"],
                condition=Q(is_active=True),
                name="one_active_plan_per_brand_month",
            ),
            models.UniqueConstraint(
                fields=["brand", "month", "version"], name="unique_plan_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.month:%Y-%m} v{self.version}"


class PlanSlot(models.Model):
    """One post to publish: a day, a network, a pillar and the variation chosen for it."""

    plan = models.ForeignKey(MonthlyPlan, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(db_index=True)
    network = models.CharField(max_length=16, choices=Platform.choices)
    slot = models.PositiveSmallIntegerField(default=0, help_text="Index when a day has several.")
    time_of_day = models.TimeField(help_text="Local time (the brand's timezone) to publish.")
    pillar = models.CharField(max_length=32, choices=Pillar.choices)
    angle = models.CharField(max_length=80)
    hook = models.CharField(max_length=80)
    cta = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=16, choices=PostFormat.choices)
    topic = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "network", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date", "network", "slot"], name="unique_plan_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.network} #{self.slot}: {self.pillar}"
