"""Webhooks in the admin: read only, and never the signing secret."""

from __future__ import annotations

from django.contrib import admin

from clarion.publishing.admin import ReadOnlyAdmin
from clarion.webhooks.models import OverdueNotice, Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ("url", "workspace", "events", "is_active", "created_at")
    list_filter = ("is_active", "workspace")
    exclude = ("secret_key",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_status",
        "response_ms",
        "next_attempt_at",
    )
    list_filter = ("status", "event")


@admin.register(OverdueNotice)
class OverdueNoticeAdmin(ReadOnlyAdmin):
    list_display = ("publication", "created_at")
