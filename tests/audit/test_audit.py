"""The audit log: who did what, through which interface, from which address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory
from django.utils import timezone

from clarion.accounts.services import create_token, create_user, get_user
from clarion.accounts.workspaces import (
    add_member,
    create_workspace,
    default_workspace,
    get_member,
    remove_member,
    set_role,
)
from clarion.audit.context import client_ip
from clarion.audit.models import AuditEvent
from clarion.publishing.approvals import approve_publication, reject_publication
from clarion.publishing.models import Publication
from clarion.publishing.orchestrator import run_daily
from clarion.publishing.retention import purge_old_records
from tests.accounts.test_pages import csrf_post
from tests.conftest import PASSWORD
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db

JSON = "application/json"


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("pk").last()
    assert event is not None, f"no {action} recorded"
    return event


def test_an_api_token_action_records_the_person_the_token_and_the_address(owner, api_token):
    client = Client(headers={"Authorization": f"Bearer {api_token}"}, REMOTE_ADDR="203.0.113.7")

    response = client.post("/api/tokens", {"name": "ci"}, content_type=JSON)

    assert response.status_code == 201
    event = last("token.create")
    assert (event.actor_email, event.via, event.ip) == (owner.email, "api_token", "203.0.113.7")
    assert event.token_prefix == api_token[:16]
    assert event.workspace == default_workspace()
    assert event.target_type == "accounts.ApiToken"
    assert event.target_id == str(response.json()["id"])


def test_a_signed_in_browser_action_records_the_person_via_the_web(client, owner):
    token = create_token(user=owner, name="old")[0]

    response = client.post(f"/api/tokens/{token.pk}/revoke", content_type=JSON)

    assert response.status_code == 200
    event = last("token.revoke")
    assert (event.actor_email, event.via, event.ip, event.token_prefix) == (
        owner.email,
        "web",
        "127.0.0.1",
        "",
    )


def test_sign_ins_that_work_and_fail_and_sign_outs_are_recorded(anonymous_client, owner):
    csrf_post(anonymous_client, "/sign-in/", {"username": owner.email, "password": "wrong!"})
    failed = last("user.sign_in_failed")
    assert failed.actor_email == owner.email and failed.via == "web" and failed.ip == "127.0.0.1"
    assert failed.workspace is None

    csrf_post(anonymous_client, "/sign-in/", {"username": owner.email, "password": PASSWORD})
    assert last("user.sign_in").actor_email == owner.email

    csrf_post(anonymous_client, "/sign-out/", {})
    assert last("user.sign_out").actor_email == owner.email


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy_for_the_log_and_for_axes(
    settings,
):
    factory = RequestFactory()
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 10.0.0.3"}

    direct = factory.get("/", REMOTE_ADDR="192.0.2.1", **forwarded)
    assert client_ip(direct) == "192.0.2.1"  # nobody is trusted: the header is ignored

    settings.CLARION_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", **forwarded)
    assert client_ip(proxied) == "198.51.100.9"
    assert get_client_ip_address(proxied) == "198.51.100.9"  # django-axes counts the same
    spoofed = factory.get("/", REMOTE_ADDR="192.0.2.1", **forwarded)
    assert client_ip(spoofed) == get_client_ip_address(spoofed) == "192.0.2.1"


def test_member_and_workspace_changes_are_recorded(owner, member):
    space = create_workspace(name="Clients", owner=owner)
    add_member(workspace=space, user=member, role="viewer")
    membership = get_member(space, member.email)
    set_role(membership=membership, role="editor")
    remove_member(membership=membership)

    rows = AuditEvent.objects.filter(workspace=space).order_by("pk")
    assert [e.action for e in rows] == [
        "workspace.create",
        "member.add",
        "member.change_role",
        "member.remove",
    ]
    assert rows[2].details == {"from": "viewer", "to": "editor"}
    assert rows[3].target_label == member.email


def test_approvals_rejections_and_runs_by_hand_are_recorded_but_not_each_publication(owner):
    brand = make_brand(approval_required=True)
    make_plan(brand, networks=("LinkedIn", "X"))

    run = run_daily(date=DAY, workspace=brand.workspace)

    first, second = Publication.objects.order_by("pk")
    approve_publication(publication_id=first.pk, by="owner")
    reject_publication(publication_id=second.pk, by="owner", reason="off-brand")
    run_daily(date=DAY, workspace=brand.workspace)

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == [
        "daily_run.start",
        "publication.approve",
        "publication.reject",
        "daily_run.start",
    ]
    assert last("publication.reject").details == {"reason": "off-brand"}
    assert AuditEvent.objects.filter(action="daily_run.start").order_by(
        "pk"
    ).first().target_id == str(run.pk)
    assert not AuditEvent.objects.filter(action__startswith="publication.publish").exists()


def test_audit_rows_are_kept_past_retention(owner):
    long_ago = timezone.now() - timedelta(days=400)
    create_token(user=owner, name="old")
    AuditEvent.objects.update(created_at=long_ago)

    purge_old_records(days=1)

    assert AuditEvent.objects.filter(created_at=long_ago).exists()


def test_the_audit_api_lists_the_workspaces_events_for_owners_with_filters(api_client, owner):
    create_token(user=owner, name="one")
    create_token(user=owner, name="two")

    everything = api_client.get("/api/audit").json()
    assert everything["count"] >= 3  # the fixture's token, two more, the sign-in… newest first
    tokens = api_client.get("/api/audit", {"action": "token.create", "limit": 1}).json()
    assert tokens["count"] == 3 and tokens["items"][0]["target_label"].endswith("two")
    assert api_client.get("/api/audit", {"action": "token"}).json()["count"] == 3
    assert api_client.get("/api/audit", {"actor": "nobody@example.com"}).json()["count"] == 0
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert api_client.get("/api/audit", {"since": future}).json()["count"] == 0
    assert api_client.get("/api/audit", {"until": future}).json()["count"] == everything["count"]
    one = tokens["items"][0]
    assert api_client.get(f"/api/audit/{one['id']}").json() == one


def test_an_owner_sees_the_sign_ins_of_their_members_but_not_of_strangers(owner, api_client):
    stranger = create_user(email="stranger@example.com", password=PASSWORD, role="owner")
    elsewhere = create_workspace(name="Elsewhere", owner=stranger)
    Client().force_login(owner)
    Client().force_login(stranger)
    stranger_token = create_token(user=stranger, name="x", workspace=elsewhere)[1]
    default_workspace().memberships.filter(user=stranger).delete()

    mine = api_client.get("/api/audit", {"action": "user.sign_in"}).json()["items"]
    assert {e["actor_email"] for e in mine} == {owner.email}

    theirs = Client(headers={"Authorization": f"Bearer {stranger_token}"})
    seen = {e["actor_email"] for e in theirs.get("/api/audit").json()["items"]}
    assert stranger.email in seen and owner.email not in seen
    hidden = AuditEvent.objects.filter(workspace=default_workspace()).first()
    assert theirs.get(f"/api/audit/{hidden.pk}").status_code == 404


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_read_the_audit_log(owner, role):
    person = create_user(email=f"{role}@example.com", password=PASSWORD, role=role)
    token = create_token(user=person, name="t")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    event = AuditEvent.objects.filter(workspace=default_workspace()).first()

    assert client.get("/api/audit").status_code == 403
    assert client.get(f"/api/audit/{event.pk}").status_code == 403
    assert get_user(person.email).is_active


def test_a_regeneration_from_the_api_is_recorded_with_who_asked(client, owner, brand):
    from clarion.campaigns import services as campaigns

    campaign = campaigns.create_campaign(brand=brand, goal="Grow", generate_content=False)

    response = client.post(
        "/api/agents/regenerate-strategy/",
        {"campaign_id": campaign.campaign_id, "phase_num": 2, "new_direction": "Go local"},
        content_type=JSON,
    )

    assert response.status_code == 200, response.content
    event = last("campaign.regenerate")
    assert (event.actor_email, event.via, event.target_label) == (
        owner.email,
        "web",
        campaign.campaign_id,
    )
    assert event.details["from_phase"] == 2 and event.details["direction"] == "Go local"
    assert event.workspace_id == brand.workspace_id


def test_a_trusted_proxy_that_is_not_an_address_is_refused_with_the_variables_name(
    monkeypatch,
):
    from clarion.conf import ConfigError, env_networks

    monkeypatch.setenv("CLARION_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::1, proxy.local")
    with pytest.raises(ConfigError, match=r"CLARION_TRUSTED_PROXIES .* 'proxy.local'"):
        env_networks("CLARION_TRUSTED_PROXIES")
    monkeypatch.setenv("CLARION_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::1")
    assert env_networks("CLARION_TRUSTED_PROXIES") == ["10.0.0.0/8", "2001:db8::1"]


def test_a_time_filter_with_an_unusual_offset_is_read_in_utc(api_client):
    response = api_client.get("/api/audit", {"until": "2632-06-19T16:16:23.369+19:20"})

    assert response.status_code == 200
