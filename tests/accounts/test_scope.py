"""Every model Clarion serves has a path to its workspace, so a model added later without
one fails here instead of leaking across workspaces."""

from __future__ import annotations

import pytest
from django.apps import apps

from clarion.accounts.models import Workspace
from clarion.accounts.scope import PATHS, path_to_workspace, scoped

# The installation's own rows: the teams, agents' memory, the model budget, worker
# heartbeats, and the accounts themselves (served only through their own checks).
INSTALLATION_WIDE = {
    "accounts.Workspace",
    "accounts.Membership",
    "accounts.ApiToken",
    "agents.Team",
    "agents.AgentMemory",
    "agents.ModelRequestWindow",
    "core.WorkerHeartbeat",
}


def _clarion_models():
    return [m for m in apps.get_models() if m.__module__.startswith("clarion.")]


def test_every_model_has_a_path_to_its_workspace_or_is_the_installations():
    missing = {
        m._meta.label
        for m in _clarion_models()
        if m._meta.label not in PATHS and m._meta.label not in INSTALLATION_WIDE
    }
    assert missing == set(), f"add these to clarion.accounts.scope.PATHS: {sorted(missing)}"


def test_every_path_ends_at_a_workspace():
    for model in _clarion_models():
        if model._meta.label not in PATHS:
            continue
        field = None
        current = model
        for part in path_to_workspace(model).split("__"):
            field = current._meta.get_field(part)
            current = field.related_model
        assert current is Workspace, model._meta.label


@pytest.mark.django_db
def test_scoped_keeps_only_the_workspaces_rows(brand, other_workspace):
    from tests.factories import make_brand

    theirs = make_brand(workspace=other_workspace)

    assert list(scoped(type(brand), brand.workspace)) == [brand]
    assert list(scoped(type(brand).objects.all(), other_workspace)) == [theirs]
