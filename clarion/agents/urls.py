from __future__ import annotations

from django.urls import path

from clarion.agents import team_views, views

app_name = "agents"

urlpatterns = [
    path("jobs/", views.list_jobs, name="list-jobs"),
    path("jobs/<int:job_id>/", views.show_job, name="show-job"),
    path("jobs/<int:job_id>/stop/", views.stop_job, name="stop-job"),
    path("team/", team_views.show_team, name="show-team"),
    path("team/usage/", team_views.show_usage, name="show-usage"),
    path("team/<int:agent_id>/fire/", team_views.fire_agent, name="fire-agent"),
    path("team/<int:agent_id>/rehire/", team_views.rehire_agent, name="rehire-agent"),
]
