from __future__ import annotations

from django.contrib import admin

from clarion.brands.models import Brand


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["brand_name", "slug", "workspace", "language", "tone", "updated_at"]
    list_filter = ["workspace"]
    search_fields = ["brand_name", "slug"]
