from __future__ import annotations

from django.urls import path

from clarion.brands import views

app_name = "brands"

urlpatterns = [
    path("brands/", views.list_brands, name="list-brands"),
    path("brands/new/", views.create_brand, name="create-brand"),
    path("brands/<int:brand_id>/", views.edit_brand, name="edit-brand"),
]
