"""Channel tokens are encrypted at rest, keys rotate, and the token is never shown."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clarion.core import secrets
from clarion.publishing.models import ChannelAccount, ChannelKind

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def account_with_token(brand, token: str = "mastodon-token-123") -> ChannelAccount:
    return ChannelAccount.objects.create(
        brand=brand,
        platform="Mastodon",
        kind=ChannelKind.MASTODON,
        base_url="https://social.example",
        token=token,
    )


def test_a_secret_round_trips_and_the_ciphertext_does_not_hold_it(settings):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    ciphertext = secrets.encrypt("mastodon-token-123")

    assert "mastodon-token-123" not in ciphertext
    assert secrets.decrypt(ciphertext) == "mastodon-token-123"
    assert Fernet(KEY_A.encode()).decrypt(ciphertext.encode()) == b"mastodon-token-123"


def test_with_no_keys_set_a_key_derived_from_the_secret_key_works(settings):
    settings.CLARION_ENCRYPTION_KEYS = []
    ciphertext = secrets.encrypt("t")

    assert Fernet(secrets.derived_key()).decrypt(ciphertext.encode()) == b"t"
    settings.SECRET_KEY = "another secret key, so another derived key" * 2
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(ciphertext)


@pytest.mark.django_db
def test_the_token_is_stored_encrypted_and_read_through_the_accessor(settings, brand):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    account = account_with_token(brand)

    stored = ChannelAccount.objects.values("settings", "secret_token").get(pk=account.pk)
    assert "mastodon-token-123" not in str(stored)
    assert ChannelAccount.objects.get(pk=account.pk).token == "mastodon-token-123"
    account.token = ""
    assert account.secret_token == "" and not account.has_token


@pytest.mark.django_db
def test_rotation_moves_every_secret_to_the_first_key(settings, brand):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    account = account_with_token(brand)

    settings.CLARION_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert ChannelAccount.objects.get(pk=account.pk).token == "mastodon-token-123"
    report = secrets.rotate_stored_secrets()
    assert report.rotated == 1 and report.unreadable == []

    settings.CLARION_ENCRYPTION_KEYS = [KEY_B]
    assert ChannelAccount.objects.get(pk=account.pk).token == "mastodon-token-123"
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]  # the old key no longer opens it
    with pytest.raises(secrets.SecretUnreadable):
        _ = ChannelAccount.objects.get(pk=account.pk).token


@pytest.mark.django_db
def test_rotation_lists_what_no_key_opens_and_leaves_it(settings, brand):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    account = account_with_token(brand)
    settings.CLARION_ENCRYPTION_KEYS = [KEY_B]

    report = secrets.rotate_stored_secrets()

    assert report.rotated == 0
    assert report.unreadable == [f"publishing.ChannelAccount {account.pk} (secret_token)"]
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    assert ChannelAccount.objects.get(pk=account.pk).token == "mastodon-token-123"


def test_a_malformed_key_is_reported_by_a_system_check_without_quoting_it(settings):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A, "not-a-fernet-key"]

    [message] = [m for m in run_checks() if m.id == "clarion.E003"]
    assert "key 2 of 2" in message.msg
    assert "not-a-fernet-key" not in message.msg + (message.hint or "")
    with pytest.raises(secrets.SecretKeyError):
        secrets.encrypt("t")

    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    assert "clarion.E003" not in {m.id for m in run_checks()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_plain_json_tokens_into_the_encrypted_column(settings):
    settings.CLARION_ENCRYPTION_KEYS = [KEY_A]
    executor = MigrationExecutor(connection)
    # Webhooks refer to publications: they go back (and come again) with publishing.
    others = [
        n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("publishing", "webhooks")
    ]
    before = [*others, ("publishing", "0001_initial")]
    after = [*others, ("publishing", "0002_channel_secrets")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    workspace = old.get_model("accounts", "Workspace").objects.create(slug="old", name="Old")
    brand = old.get_model("brands", "Brand").objects.create(
        slug="old", brand_name="Old", workspace=workspace
    )
    old.get_model("publishing", "ChannelAccount").objects.create(
        brand=brand,
        platform="Mastodon",
        kind="mastodon",
        settings={"token": "plain-token", "visibility": "public"},
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    account = (
        executor.loader.project_state(after)
        .apps.get_model("publishing", "ChannelAccount")
        .objects.get()
    )
    assert account.settings == {"visibility": "public"}
    assert secrets.decrypt(account.secret_token) == "plain-token"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema


@pytest.mark.django_db
def test_the_admin_says_set_or_not_set_and_takes_a_new_token_write_only(admin_client, brand):
    account = account_with_token(brand)
    page = f"/admin/publishing/channelaccount/{account.pk}/change/"

    shown = admin_client.get(page).content.decode()
    listing = admin_client.get("/admin/publishing/channelaccount/").content.decode()
    for html in (shown, listing):
        assert "mastodon-token-123" not in html
        assert account.secret_token not in html
    assert ">set<" in shown and 'name="new_token"' in shown
    assert 'name="secret_token"' not in shown and 'name="settings"' not in shown

    form = {
        "brand": brand.pk,
        "platform": "Mastodon",
        "kind": "mastodon",
        "handle": "",
        "base_url": "https://social.example",
        "is_active": "on",
    }
    assert admin_client.post(page, form).status_code == 302
    assert ChannelAccount.objects.get().token == "mastodon-token-123"  # empty keeps it
    admin_client.post(page, {**form, "new_token": "rotated-token"})
    assert ChannelAccount.objects.get().token == "rotated-token"
    admin_client.post(page, {**form, "clear_token": "on"})
    assert not ChannelAccount.objects.get().has_token
    assert "not set" in admin_client.get("/admin/publishing/channelaccount/").content.decode()


def test_no_api_schema_carries_a_token_or_a_secret(client):
    document = client.get("/api/openapi.json").json()
    # The exceptions: a new API token and a new webhook's signing secret, each in the answer
    # that makes it (shown only there).
    shown_once = {
        "NewTokenOut": ("/api/tokens", "post"),
        "NewWebhookOut": ("/api/webhooks", "post"),
    }
    for schema, where in shown_once.items():
        del document["components"]["schemas"][schema]
        answers = [
            (path, method)
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
            if schema in str(operation["responses"])
        ]
        assert answers == [where]

    def names(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties":
                    yield from value
                yield from names(value)
        elif isinstance(node, list):
            for item in node:
                yield from names(item)

    leaked = [n for n in names(document) if "secret" in n.lower() or n.lower() == "token"]
    assert leaked == []
