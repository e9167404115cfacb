from __future__ import annotations

from django.contrib import admin

from clarion.brands.models import Brand


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["brand_name", "slug", "language", "tone", "updated_at"]
    search_fields = ["brand_name", "slug"]
