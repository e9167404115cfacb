from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path

from clarion.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("clarion.campaigns.urls")),
]

if settings.CLARION_SERVE_STATIC:
    # From the installed apps' static directories (no collectstatic needed), in production
    # too: `clarion serve` and a plain gunicorn both show styled docs and admin pages.
    prefix = settings.STATIC_URL.strip("/")
    urlpatterns.append(
        re_path(rf"^{prefix}/(?P<path>.*)$", serve_static, {"insecure": True}, name="static")
    )
