"""Webhooks: URLs an owner registers for a workspace's events, and every delivery to them.

A delivery is a row before it is a request: it is created with the event (in the
transaction that caused it), attempted by the worker, and keeps every attempt's
outcome (status, response time, error) and when the next one is due. A worker
takes a delivery with a conditional UPDATE (``locked_until``), so two workers
never send the same one at once.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.core import secrets


class Webhook(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="The events this URL receives.")
    secret_key = secrets.SecretField(
        help_text="The signing secret, encrypted (Fernet); shown once, when the hook is made."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        """The signing secret, decrypted; SecretUnreadable if no key opens it."""
        return secrets.decrypt(self.secret_key)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_key = secrets.encrypt(value)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed"


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now, help_text="Empty once delivered or failed."
    )
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then."
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook_id} ({self.status})"


class OverdueNotice(models.Model):
    """The ``publication.overdue`` event was fired for this publication (once, ever)."""

    publication = models.OneToOneField(
        "publishing.Publication", on_delete=models.CASCADE, related_name="overdue_notice"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"overdue notice for publication {self.publication_id}"
