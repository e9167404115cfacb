"""The brands of a workspace: the list, a new brand, a brand's brief to edit.

The form validates through the API's schemas (``clarion.brands.forms``) and saves
through the same services as the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clarion.accounts.auth import READ_ONLY, membership_of, workspace_of
from clarion.accounts.models import Role
from clarion.accounts.scope import get_scoped, scoped
from clarion.brands import services
from clarion.brands.forms import TIMEZONES, BrandForm, brand_form, new_brand_form
from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief, BrandUpdate
from clarion.core.errors import Conflict, InvalidInput, NotFound

BRANDS_PER_PAGE = 50


@require_GET
def list_brands(request: HttpRequest) -> HttpResponse:
    brands = scoped(Brand, workspace_of(request)).order_by("brand_name", "pk")
    page = Paginator(brands, BRANDS_PER_PAGE).get_page(request.GET.get("page", "1"))
    return render(request, "brands/brands.html", {"section": "brands", "brands": page})


def _brand_page(
    request: HttpRequest, form: BrandForm, *, brand: Brand | None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "section": "brands",
        "form": form,
        "brand": brand,
        "timezones": TIMEZONES,
    }
    return render(request, "brands/brand.html", context, status=status)


@require_http_methods(["GET", "POST"])
def create_brand(request: HttpRequest) -> HttpResponse:
    """A new brand of this workspace; a person approves its posts unless told otherwise."""
    if not membership_of(request).allows(Role.EDITOR):
        return HttpResponse(READ_ONLY, status=403, content_type="text/plain; charset=utf-8")
    form = new_brand_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and isinstance(form.validated, BrandBrief):
            try:
                brand = services.create_brand(brief=form.validated, workspace=workspace_of(request))
            except (Conflict, InvalidInput) as exc:
                form.add_error(None, exc.message if isinstance(exc, InvalidInput) else str(exc))
            else:
                messages.success(request, f"{brand.brand_name} is ready.")
                return redirect("brands:edit-brand", brand_id=brand.pk)
        return _brand_page(request, form, brand=None, status=422)
    return _brand_page(request, form, brand=None)


@require_http_methods(["GET", "POST"])
def edit_brand(request: HttpRequest, brand_id: int) -> HttpResponse:
    """A brand's brief; a viewer reads it."""
    try:
        brand = get_scoped(Brand, workspace_of(request), missing="no such brand", pk=brand_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = brand_form(brand, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and isinstance(form.validated, BrandUpdate):
            try:
                services.update_brand(brand=brand, changes=form.validated)
            except (Conflict, InvalidInput) as exc:
                form.add_error(None, exc.message if isinstance(exc, InvalidInput) else str(exc))
            else:
                messages.success(request, "Saved.")
                return redirect("brands:edit-brand", brand_id=brand.pk)
        return _brand_page(request, form, brand=brand, status=422)
    return _brand_page(request, form, brand=brand)
