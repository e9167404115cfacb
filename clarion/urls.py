from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from clarion.api.api import api
from clarion.core.views import health

# Every route needs a signed-in person or an API token (``clarion.accounts.auth``), except
# the views marked ``login_not_required``: the sign-in page, the setup link and /health.
urlpatterns: list[URLPattern | URLResolver] = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("clarion.web.urls")),
    path("", include("clarion.accounts.urls")),
    path("", include("clarion.campaigns.urls")),
    path("", include("clarion.planning.urls")),
    path("", include("clarion.publishing.urls")),
    path("", include("clarion.brands.urls")),
    path("", include("clarion.agents.urls")),
    path("", include("clarion.crm.urls")),
    path("", include("clarion.automation.urls")),
    path("", include("clarion.analytics.urls")),
]

handler400 = "clarion.core.views.bad_request"
