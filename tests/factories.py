from __future__ import annotations

from typing import Any

from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief
from clarion.brands.services import create_brand


def brief_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "brand_name": "Northwind Coffee",
        "positioning": "Small-batch coffee roasted to order and delivered within 48 hours.",
        "target_audience": "remote workers and home baristas",
        "value_props": ["roasted to order", "delivered within 48 hours"],
        "language": "en-US",
        "tone": "friendly",
        "cta_targets": ["subscribe", "free tasting kit"],
        "guidelines": {"do": ["mention freshness"], "dont": ["promise health benefits"]},
        "banned_terms": ["cheap", "guaranteed"],
    }
    data.update(overrides)
    return data


def make_brand(**overrides: Any) -> Brand:
    return create_brand(brief=BrandBrief.model_validate(brief_data(**overrides)))
