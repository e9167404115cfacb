from __future__ import annotations

from django.contrib import admin

from clarion.accounts.models import ApiToken, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["user__username", "workspace__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `clarion token create` or on the account page: only their hash is
    stored, so the admin lists and revokes them (set ``revoked_at``) but cannot show one."""

    list_display = [
        "prefix",
        "name",
        "user",
        "workspace",
        "created_at",
        "last_used_at",
        "expires_at",
        "state",
    ]
    search_fields = ["prefix", "name", "user__username"]
    exclude = ["key_hash"]
    readonly_fields = ["user", "workspace", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
