"""Publishing in the admin: read-mostly (the ledger moves only through the orchestrator)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from clarion.publishing.models import (
    ChannelAccount,
    DailyContentPackage,
    DailyRun,
    OutboxPost,
    Publication,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    list_display = ["brand", "platform", "kind", "handle", "is_active", "created_at"]
    list_filter = ["platform", "kind", "is_active"]
    exclude = ["settings"]  # holds access tokens: never shown


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "trigger", "dry_run", "status", "counts", "started_at"]
    list_filter = ["trigger", "status", "dry_run"]


@admin.register(DailyContentPackage)
class DailyContentPackageAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "network", "slot", "dry_run", "valid", "created_at"]
    list_filter = ["network", "dry_run", "valid"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "network", "slot", "state", "attempts", "published_at"]
    list_filter = ["state", "network"]
    search_fields = ["idempotency_key", "remote_id", "brand__slug"]


@admin.register(OutboxPost)
class OutboxPostAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "idempotency_key", "created_at"]
