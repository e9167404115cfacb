from __future__ import annotations

from django.urls import path

from clarion.publishing import views

app_name = "publishing"

urlpatterns = [
    path("analytics/", views.show_analytics, name="show-analytics"),
]
