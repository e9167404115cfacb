"""The audit log in the admin: read only (rows are written by the services that act)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from clarion.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_email", "via", "ip", "action", "target_label", "workspace")
    list_filter = ("via", "action", "workspace")
    search_fields = ("actor_email", "action", "target_label")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
