from __future__ import annotations

from django.urls import path

from clarion.agents import views

app_name = "agents"

urlpatterns = [
    path("jobs/", views.list_jobs, name="list-jobs"),
    path("jobs/<int:job_id>/", views.show_job, name="show-job"),
]
