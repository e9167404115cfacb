"""Workspaces and their members: owners manage people, a workspace keeps an owner, and the
terminal names the workspace it acts in."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clarion.accounts.models import ApiToken, Membership
from clarion.accounts.workspaces import cli_workspace, create_workspace
from clarion.brands.models import Brand
from clarion.cli import app
from clarion.core.errors import InvalidInput
from tests.conftest import token_client
from tests.factories import make_brand

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_an_owner_adds_a_person_changes_their_role_and_removes_them(api_client, owner, outsider):
    added = api_client.post(
        "/api/workspace/members",
        {"email": "outsider@example.com", "role": "viewer"},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    member_id = added.json()["id"]
    outsider_api = token_client(outsider)  # their token acts in their own workspace
    assert [w["slug"] for w in outsider_api.get("/api/workspaces").json()] == [
        "default",
        "other-client",
    ]

    changed = api_client.patch(
        f"/api/workspace/members/{member_id}", {"role": "editor"}, content_type=JSON
    )
    assert changed.json()["role"] == "editor"
    members = api_client.get("/api/workspace/members").json()
    assert [(m["email"], m["role"]) for m in members] == [
        ("owner@example.com", "owner"),
        ("outsider@example.com", "editor"),
    ]

    assert api_client.delete(f"/api/workspace/members/{member_id}").status_code == 204
    assert not Membership.objects.filter(user=outsider, workspace__slug="default").exists()


def test_removing_a_member_ends_their_tokens_for_that_workspace(api_client, member):
    theirs = token_client(member)
    assert theirs.get("/api/brands").status_code == 200
    member_id = Membership.objects.get(user=member).pk

    assert api_client.delete(f"/api/workspace/members/{member_id}").status_code == 204

    assert not ApiToken.objects.filter(user=member).exists()
    assert theirs.get("/api/brands").status_code == 401


def test_the_last_owner_cannot_step_down_or_leave(api_client, owner):
    me = Membership.objects.get(user=owner).pk

    demoted = api_client.patch(
        f"/api/workspace/members/{me}", {"role": "editor"}, content_type=JSON
    )
    removed = api_client.delete(f"/api/workspace/members/{me}")

    assert demoted.status_code == removed.status_code == 409
    assert "last owner" in demoted.json()["detail"]
    assert Membership.objects.get(pk=me).role == "owner"


def test_adding_someone_who_cannot_sign_in_says_so(api_client):
    response = api_client.post(
        "/api/workspace/members", {"email": "nobody@example.com"}, content_type=JSON
    )

    assert response.status_code == 404
    assert "no user nobody@example.com" in response.json()["detail"]


def test_a_new_workspace_has_its_creator_as_owner(api_client, owner):
    response = api_client.post("/api/workspaces", {"name": "Acme Corp"}, content_type=JSON)

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "slug": "acme-corp",
        "name": "Acme Corp",
        "role": "owner",
        "current": False,
    }


def test_the_terminal_acts_in_the_only_workspace_or_the_one_it_is_told(owner, monkeypatch):
    assert cli_workspace().slug == "default"
    create_workspace(name="Acme")

    with pytest.raises(InvalidInput, match="several workspaces"):
        cli_workspace()
    assert cli_workspace("acme").name == "Acme"
    monkeypatch.setenv("CLARION_WORKSPACE", "acme")
    assert cli_workspace().name == "Acme"


def test_the_cli_creates_a_workspace_and_a_brand_in_it(owner, tmp_path):
    from tests.factories import brief_data

    runner = CliRunner()
    made = runner.invoke(app, ["workspace", "create", "Acme", "--owner", "owner@example.com"])
    assert made.exit_code == 0, made.output
    brief = tmp_path / "brief.json"
    import json

    brief.write_text(json.dumps(brief_data()))

    ambiguous = runner.invoke(app, ["brand", "create", str(brief)])
    assert ambiguous.exit_code == 2
    assert "several workspaces" in ambiguous.output

    created = runner.invoke(app, ["brand", "create", str(brief), "--workspace", "acme"])
    assert created.exit_code == 0, created.output
    assert "in workspace Acme" in created.output
    assert Brand.objects.get().workspace.slug == "acme"

    listed = runner.invoke(app, ["workspace", "list", "--json"])
    assert json.loads(listed.output) == [
        {
            "id": json.loads(listed.output)[0]["id"],
            "slug": "acme",
            "name": "Acme",
            "members": 1,
            "brands": 1,
        },
        {
            "id": json.loads(listed.output)[1]["id"],
            "slug": "default",
            "name": "Default",
            "members": 1,
            "brands": 0,
        },
    ]


def test_the_cli_names_a_slug_two_workspaces_share_as_workspace_slash_slug(owner, other_workspace):
    make_brand()
    make_brand(workspace=other_workspace)
    runner = CliRunner()

    shared = runner.invoke(app, ["brand", "show", "northwind-coffee"])
    qualified = runner.invoke(app, ["brand", "show", "other-client/northwind-coffee", "--json"])

    assert shared.exit_code == 2
    assert "write it as WORKSPACE/northwind-coffee" in shared.output
    assert qualified.exit_code == 0, qualified.output


def test_the_cli_manages_members(owner, outsider):
    runner = CliRunner()

    added = runner.invoke(
        app, ["workspace", "add-member", "default", "outsider@example.com", "--role", "viewer"]
    )
    changed = runner.invoke(
        app, ["workspace", "set-role", "default", "outsider@example.com", "editor"]
    )
    last = runner.invoke(app, ["workspace", "set-role", "default", "owner@example.com", "viewer"])
    members = runner.invoke(app, ["workspace", "members", "default"])
    removed = runner.invoke(app, ["workspace", "remove-member", "default", "outsider@example.com"])

    assert added.exit_code == changed.exit_code == removed.exit_code == 0
    assert "is now viewer of Default" in added.output
    assert "is now editor of Default" in changed.output
    assert last.exit_code == 2 and "last owner" in last.output
    assert "outsider@example.com" in members.output
    assert not Membership.objects.filter(user=outsider, workspace__slug="default").exists()
