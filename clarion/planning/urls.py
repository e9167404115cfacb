from __future__ import annotations

from django.urls import path

from clarion.planning import views

app_name = "planning"

urlpatterns = [
    path("calendar/", views.show_calendar, name="show-calendar"),
    path("calendar/generate/", views.generate_month, name="generate-month"),
    path("calendar/slots/<int:slot_id>/", views.show_slot, name="show-slot"),
]
