from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.api.pagination import Pages
from clarion.api.schemas import CONFLICT, INVALID, NOT_FOUND
from clarion.brands import services
from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief, BrandOut, BrandUpdate

router = Router(tags=["brands"])


@router.get("/brands", response={200: list[BrandOut], **INVALID})
@paginate(Pages)
def list_brands(request: HttpRequest) -> QuerySet[Brand]:
    """This workspace's brands, a page at a time (``limit``, ``offset``)."""
    return scoped(Brand, workspace_of(request))


@router.post("/brands", response={201: BrandOut, **INVALID, **CONFLICT})
def create_brand(request: HttpRequest, payload: BrandBrief) -> Status:
    return Status(201, services.create_brand(brief=payload, workspace=workspace_of(request)))


@router.get("/brands/{ref}", response={200: BrandOut, **NOT_FOUND})
def get_brand(request: HttpRequest, ref: str) -> Brand:
    return services.get_brand(ref, workspace=workspace_of(request))


@router.patch("/brands/{ref}", response={200: BrandOut, **NOT_FOUND, **INVALID})
def update_brand(request: HttpRequest, ref: str, payload: BrandUpdate) -> Brand:
    brand = services.get_brand(ref, workspace=workspace_of(request))
    return services.update_brand(brand=brand, changes=payload)
