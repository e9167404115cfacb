from __future__ import annotations

from django.urls import path

from clarion.automation import views

app_name = "automation"

urlpatterns = [
    path("learning/automation/", views.list_candidates, name="list-candidates"),
    path(
        "learning/automation/<int:candidate_id>/approve/", views.approve, name="approve-candidate"
    ),
]
