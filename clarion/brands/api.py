from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from clarion.brands import services
from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief, BrandUpdate

router = Router(tags=["brands"])


@router.get("/brands", response=list[dict[str, Any]])
def list_brands(request: HttpRequest) -> list[dict[str, Any]]:
    return [services.brief_of(brand) for brand in Brand.objects.all()]


@router.post("/brands", response={201: dict[str, Any]})
def create_brand(request: HttpRequest, payload: BrandBrief) -> Status:
    return Status(201, services.brief_of(services.create_brand(brief=payload)))


@router.get("/brands/{ref}", response=dict[str, Any])
def get_brand(request: HttpRequest, ref: str) -> dict[str, Any]:
    return services.brief_of(services.get_brand(ref))


@router.patch("/brands/{ref}", response=dict[str, Any])
def update_brand(request: HttpRequest, ref: str, payload: BrandUpdate) -> dict[str, Any]:
    brand = services.get_brand(ref)
    return services.brief_of(services.update_brand(brand=brand, changes=payload))
