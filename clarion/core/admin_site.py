"""The admin site, with one sign-in page for all of Clarion (throttled, see settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class ClarionAdminSite(admin.AdminSite):
    site_header = "Clarion administration"
    site_title = "Clarion admin"

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Clarion's sign-in page instead of the admin's own; owners only past it."""
        wanted = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
            wanted = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(wanted, resolve_url(settings.LOGIN_URL))
        if not self.has_permission(request):
            return HttpResponseForbidden(
                "The admin is for owners; you are signed in without that role.",
                content_type="text/plain; charset=utf-8",
            )
        return HttpResponse(status=302, headers={"Location": wanted})
