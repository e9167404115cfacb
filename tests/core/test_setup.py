from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from clarion.agents.models import Agent
from clarion.conf import ConfigError, env_bool, env_int


@pytest.mark.django_db
def test_migrations_are_complete():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_builtin_team_is_on_the_roster():
    roles = set(
        Agent.objects.filter(is_active=True, is_builtin=True).values_list("role", flat=True)
    )
    assert {"writer", "reviewer", "strategist"} <= roles


def test_env_helpers_name_the_variable(monkeypatch):
    monkeypatch.setenv("CLARION_X", "many")
    with pytest.raises(ConfigError, match="CLARION_X must be a whole number"):
        env_int("CLARION_X", 1)
    monkeypatch.setenv("CLARION_X", "perhaps")
    with pytest.raises(ConfigError, match="CLARION_X must be true or false"):
        env_bool("CLARION_X", False)
    monkeypatch.setenv("CLARION_X", "0")
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("CLARION_X", 5, minimum=1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("42\n")
    monkeypatch.setenv("CLARION_Y_FILE", str(secret))
    assert env_int("CLARION_Y", 1) == 42
