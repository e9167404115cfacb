from __future__ import annotations

from django.urls import path

from clarion.crm import views

app_name = "crm"

urlpatterns = [
    path("leads/", views.list_leads, name="list-leads"),
]
