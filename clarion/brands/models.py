from __future__ import annotations

import datetime

from django.db import models


def default_daily_run_time() -> datetime.time:
    """08:00: a callable, so that the system checks never mistake it for "now" (fields.W161)."""
    return datetime.time(8, 0)


class Brand(models.Model):
    """A brand brief: who speaks, to whom, how, and what they must never say."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="brands"
    )
    slug = models.SlugField(max_length=80, help_text="Unique in its workspace.")
    brand_name = models.CharField(max_length=120)
    positioning = models.TextField(blank=True)
    target_audience = models.TextField(blank=True)
    value_props = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, default="en-US")
    tone = models.CharField(max_length=80, default="professional")
    cta_targets = models.JSONField(default=list, blank=True)
    guidelines_do = models.JSONField(default=list, blank=True)
    guidelines_dont = models.JSONField(default=list, blank=True)
    banned_terms = models.JSONField(default=list, blank=True)
    website = models.CharField(max_length=500, blank=True, help_text="An http(s) address.")
    domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Host names the brand owns; links in its posts may point there (and to subdomains).",
    )
    timezone = models.CharField(max_length=64, default="UTC", help_text="An IANA time zone name.")
    daily_run_time = models.TimeField(
        default=default_daily_run_time, help_text="Local time of the daily orchestration."
    )
    approval_required = models.BooleanField(
        default=False,
        help_text="Publish only posts a person approved; the others wait in the approval queue.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="unique_brand_slug")
        ]

    def __str__(self) -> str:
        return self.brand_name
