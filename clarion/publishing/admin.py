"""Publishing in the admin: read-mostly (the ledger moves only through the orchestrator)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from clarion.publishing.models import (
    ChannelAccount,
    DailyContentPackage,
    DailyRun,
    OutboxPost,
    Publication,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ChannelAccountForm(forms.ModelForm):
    """The token can be replaced, never read back: the field is write-only."""

    new_token = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the current token.",
    )
    clear_token = forms.BooleanField(required=False, help_text="Remove the stored token.")

    class Meta:
        model = ChannelAccount
        fields = ["brand", "platform", "kind", "handle", "base_url", "is_active"]

    def save(self, commit: bool = True) -> Any:
        account: ChannelAccount = super().save(commit=False)
        if self.cleaned_data.get("clear_token"):
            account.token = ""
        elif self.cleaned_data.get("new_token"):
            account.token = self.cleaned_data["new_token"]
        if commit:
            account.save()
        return account


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    form = ChannelAccountForm
    list_display = [
        "brand",
        "platform",
        "kind",
        "handle",
        "token_status",
        "is_active",
        "created_at",
    ]
    list_filter = ["platform", "kind", "is_active"]
    readonly_fields = ["token_status"]
    # settings and secret_token are never shown: the token is "set" or "not set".

    @admin.display(description="token")
    def token_status(self, obj: ChannelAccount) -> str:
        return "set" if obj.has_token else "not set"


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "trigger", "dry_run", "status", "counts", "started_at"]
    list_filter = ["trigger", "status", "dry_run"]


@admin.register(DailyContentPackage)
class DailyContentPackageAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "network", "slot", "dry_run", "valid", "created_at"]
    list_filter = ["network", "dry_run", "valid"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "brand", "network", "slot", "state", "attempts", "published_at"]
    list_filter = ["state", "network"]
    search_fields = ["idempotency_key", "remote_id", "brand__slug"]


@admin.register(OutboxPost)
class OutboxPostAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "idempotency_key", "created_at"]
