from __future__ import annotations

from django.urls import path

from clarion.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.list_campaigns, name="list-campaigns"),
    path("campaigns/new", views.create_campaign, name="create-campaign"),
    path("campaigns/<slug:campaign_id>/", views.show_campaign, name="show-campaign"),
    path("campaigns/<slug:campaign_id>/progress", views.show_progress, name="show-progress"),
    path("campaigns/<slug:campaign_id>/strategy.mmd", views.export_mermaid, name="export-mermaid"),
    path("campaigns/<slug:campaign_id>/approve-all", views.approve_all, name="approve-all"),
    path(
        "campaigns/<slug:campaign_id>/versions/<int:number>/restore",
        views.restore_version,
        name="restore-version",
    ),
    path("campaigns/<slug:campaign_id>/chat", views.send_message, name="send-message"),
    path("campaigns/<slug:campaign_id>/chat/check", views.check_message, name="check-message"),
    path("posts/<int:pk>/", views.show_post, name="show-post"),
    path("posts/<int:pk>/select-variant", views.select_variant, name="select-variant"),
    path(
        "posts/<int:pk>/variants/<int:variant_pk>/edit",
        views.edit_variant,
        name="edit-variant",
    ),
    path(
        "media/cards/<slug:campaign_id>/<str:post_id>.png",
        views.show_post_card,
        name="post-card",
    ),
]
