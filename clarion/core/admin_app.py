"""The Django admin app, with ``ClarionAdminSite`` (imported once the apps are loaded)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "clarion.core.admin_site.ClarionAdminSite"
