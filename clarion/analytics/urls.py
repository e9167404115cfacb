from __future__ import annotations

from django.urls import path

from clarion.analytics import views

app_name = "analytics"

urlpatterns = [
    path("learning/", views.list_experiments, name="list-experiments"),
    path("learning/evaluate/", views.evaluate, name="evaluate-experiments"),
    path("learning/patterns/", views.list_patterns, name="list-patterns"),
    path("learning/patterns/detect/", views.detect, name="detect-patterns"),
    path("learning/lessons/", views.list_lessons, name="list-lessons"),
]
