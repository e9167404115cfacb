from __future__ import annotations

from django.urls import path

from clarion.publishing import views

app_name = "publishing"

urlpatterns = [
    path("analytics/", views.show_analytics, name="show-analytics"),
    path("approvals/", views.list_approvals, name="list-approvals"),
    path("approvals/approve/", views.approve_selected, name="approve-selected"),
    path(
        "approvals/<int:publication_id>/approve/",
        views.approve_publication,
        name="approve-publication",
    ),
    path(
        "approvals/<int:publication_id>/reject/",
        views.reject_publication,
        name="reject-publication",
    ),
    path("publishing/", views.show_day, name="show-day"),
    path("publishing/run/", views.run_day, name="run-day"),
    path("publishing/retry/", views.retry_failed, name="retry-failed"),
]
