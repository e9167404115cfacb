"""Leads in the admin: read only (imports go through ``clarion.crm.services``)."""

from __future__ import annotations

from django.contrib import admin

from clarion.crm.models import Lead
from clarion.publishing.admin import ReadOnlyAdmin


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("email", "name", "company", "status", "score", "source", "workspace")
    list_filter = ("status", "workspace")
    search_fields = ("email", "name", "company")
