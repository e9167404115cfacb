from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def test_every_clarion_model_is_in_the_admin():
    models = [m for m in apps.get_models() if m.__module__.startswith("clarion.")]
    assert models
    assert all(admin.site.is_registered(model) for model in models), [
        m.__name__ for m in models if not admin.site.is_registered(m)
    ]


def test_admin_pages_open_with_data(admin_client, scripted, brand):
    from clarion.writing.services import run_session, start_session

    scripted.script("write", draft("A line."))
    scripted.script("review", verdict("approve"))
    run_session(start_session(brief="A slogan", brand=brand))
    for model in [m for m in apps.get_models() if m.__module__.startswith("clarion.")]:
        opts = model._meta
        listing = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.label
        first = model.objects.first()
        if first is not None:
            page = admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            assert page.status_code == 200, opts.label
