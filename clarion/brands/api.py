from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from clarion.api.schemas import CONFLICT, INVALID, NOT_FOUND
from clarion.brands import services
from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief, BrandUpdate, Guidelines

router = Router(tags=["brands"])


class BrandOut(Schema):
    id: int
    slug: str
    brand_name: str
    positioning: str
    target_audience: str
    value_props: list[str]
    language: str
    tone: str
    cta_targets: list[str]
    guidelines: Guidelines
    banned_terms: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_guidelines(obj: Brand) -> dict[str, list[str]]:
        return {"do": obj.guidelines_do, "dont": obj.guidelines_dont}


@router.get("/brands", response=list[BrandOut])
def list_brands(request: HttpRequest) -> list[Brand]:
    return list(Brand.objects.all())


@router.post("/brands", response={201: BrandOut, **INVALID, **CONFLICT})
def create_brand(request: HttpRequest, payload: BrandBrief) -> Status:
    return Status(201, services.create_brand(brief=payload))


@router.get("/brands/{ref}", response={200: BrandOut, **NOT_FOUND})
def get_brand(request: HttpRequest, ref: str) -> Brand:
    return services.get_brand(ref)


@router.patch("/brands/{ref}", response={200: BrandOut, **NOT_FOUND, **INVALID})
def update_brand(request: HttpRequest, ref: str, payload: BrandUpdate) -> Brand:
    return services.update_brand(brand=services.get_brand(ref), changes=payload)
