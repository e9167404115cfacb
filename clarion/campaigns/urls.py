from __future__ import annotations

from django.urls import path

from clarion.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path(
        "media/cards/<slug:campaign_id>/<str:post_id>.png",
        views.show_post_card,
        name="post-card",
    ),
]
