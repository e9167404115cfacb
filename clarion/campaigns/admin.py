from __future__ import annotations

from django.contrib import admin

from clarion.campaigns.models import (
    Campaign,
    ContentVariant,
    ConversationMessage,
    Post,
    PostLink,
    StrategyVersion,
)


class VariantInline(admin.TabularInline):
    model = ContentVariant
    extra = 0
    fields = ("platform", "variant_id", "content", "is_approved")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["campaign_id", "name", "brand", "phase", "current_version", "created_at"]
    list_filter = ["phase"]
    search_fields = ["campaign_id", "name"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["post_id", "campaign", "phase", "title", "status", "version", "is_active"]
    list_filter = ["is_active", "status"]
    search_fields = ["post_id", "title"]
    inlines = [VariantInline]


@admin.register(PostLink)
class PostLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "target"]


@admin.register(ContentVariant)
class ContentVariantAdmin(admin.ModelAdmin):
    list_display = ["post", "platform", "variant_id", "is_approved", "created_at"]
    list_filter = ["platform", "variant_id", "is_approved"]


@admin.register(ConversationMessage)
class ConversationMessageAdmin(admin.ModelAdmin):
    list_display = ["campaign", "role", "content", "created_at"]
    list_filter = ["role"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "number", "kind", "from_phase", "restored_from", "created_at"]
    list_filter = ["kind"]
