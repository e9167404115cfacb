"""/api/webhooks: owners change hooks, every member reads them, other workspaces see nothing."""

from __future__ import annotations

import pytest

from clarion.accounts.workspaces import default_workspace
from clarion.audit.models import AuditEvent
from clarion.webhooks.models import Webhook, WebhookDelivery
from tests.webhooks.conftest import hook_for

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_an_owner_registers_a_hook_and_sees_its_secret_only_once(api_client, receiver):
    created = api_client.post(
        "/api/webhooks",
        {"url": receiver.url, "events": ["publication.failed", "approval.waiting"]},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["publication.failed", "approval.waiting"]
    hook = Webhook.objects.get()
    assert hook.secret == body["secret"]
    assert body["secret"] not in hook.secret_key  # stored encrypted
    listed = api_client.get("/api/webhooks").json()
    assert [h["id"] for h in listed] == [hook.pk]
    assert "secret" not in listed[0]
    assert body["secret"] not in api_client.get("/api/webhooks").content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "must start with http:// or https://"),
        ("https://", "must name a host"),
        ("example.com/hook", "must start with http:// or https://"),
        ("https://user:pw@example.com/hook", "must not hold a user name or password"),
        ("https://example.com:port/", "is not a URL"),
        ("https://exa mple.com/", "must not contain spaces"),
    ],
)
def test_a_url_that_is_not_http_or_https_is_refused_with_a_clear_message(api_client, url, message):
    response = api_client.post(
        "/api/webhooks", {"url": url, "events": ["test"]}, content_type="application/json"
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "url" and message in error["msg"]
    assert not Webhook.objects.exists()


def test_an_unknown_event_or_none_at_all_is_refused(api_client, receiver):
    for events in (["publication.exploded"], []):
        response = api_client.post(
            "/api/webhooks",
            {"url": receiver.url, "events": events},
            content_type="application/json",
        )
        assert response.status_code == 422
    assert not Webhook.objects.exists()


def test_an_owner_changes_tests_and_removes_a_hook(api_client, receiver):
    hook, _ = hook_for(receiver, events=["publication.failed"])

    changed = api_client.patch(
        f"/api/webhooks/{hook.pk}",
        {"events": ["publication.published"], "is_active": True},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["events"] == ["publication.published"]

    tested = api_client.post(f"/api/webhooks/{hook.pk}/test", content_type=JSON)
    assert tested.status_code == 200
    assert tested.json()["status"] == "delivered" and tested.json()["response_status"] == 200
    assert receiver.received[0].verified

    deliveries = api_client.get(f"/api/webhooks/{hook.pk}/deliveries").json()
    assert deliveries["count"] == 1 and deliveries["items"][0]["event"] == "test"

    assert api_client.delete(f"/api/webhooks/{hook.pk}").status_code == 204
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["webhook.update", "webhook.test", "webhook.delete"]


def test_a_member_of_another_workspace_gets_404_for_a_hook_and_its_deliveries(
    outsider_client, receiver
):
    hook, _ = hook_for(receiver)
    base = f"/api/webhooks/{hook.pk}"

    assert outsider_client.get("/api/webhooks").json() == []
    assert outsider_client.get(f"{base}/deliveries").status_code == 404
    assert (
        outsider_client.patch(
            base, {"is_active": False}, content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider_client.post(f"{base}/test", content_type=JSON).status_code == 404
    assert outsider_client.delete(base).status_code == 404
    assert Webhook.objects.get().is_active and receiver.received == []


@pytest.mark.parametrize("who", ["viewer_client", "editor_client"])
def test_only_an_owner_may_change_hooks_but_every_member_may_read_them(request, who, receiver):
    client = request.getfixturevalue(who)
    hook, _ = hook_for(receiver)
    base = f"/api/webhooks/{hook.pk}"
    new = {"url": receiver.url, "events": ["test"]}

    assert client.post("/api/webhooks", new, content_type="application/json").status_code == 403
    assert (
        client.patch(base, {"is_active": False}, content_type="application/json").status_code == 403
    )
    assert client.post(f"{base}/test", content_type=JSON).status_code == 403
    assert client.delete(base).status_code == 403
    assert [h["id"] for h in client.get("/api/webhooks").json()] == [hook.pk]
    assert client.get(f"{base}/deliveries").status_code == 200
    assert Webhook.objects.filter(workspace=default_workspace()).count() == 1
    assert receiver.received == []
