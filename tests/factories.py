from __future__ import annotations

from typing import Any

from clarion.accounts.models import Workspace
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


def make_brand(*, workspace: Workspace | None = None, **overrides: Any) -> Brand:
    """A brand from the sample brief (in the default workspace unless told otherwise)."""
    brief = BrandBrief.model_validate(brief_data(**overrides))
    return create_brand(brief=brief, workspace=workspace)


def make_worker(worker_id: str, *, seconds_ago: float = 0, stopped: bool = False) -> str:
    """A ``clarion worker`` heartbeat last seen ``seconds_ago``; returns the worker id."""
    from datetime import timedelta

    from django.utils import timezone

    from clarion.core.models import WorkerHeartbeat

    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="elsewhere",
        pid=4242,
        started_at=seen - timedelta(hours=1),
        last_seen=seen,
        stopped_at=seen if stopped else None,
    )
    return worker_id


def dead_worker(worker_id: str = "worker-dead") -> str:
    """A worker whose heartbeat stopped ten minutes ago."""
    return make_worker(worker_id, seconds_ago=600)


def live_worker(worker_id: str = "worker-alive") -> str:
    """A worker that beat just now."""
    return make_worker(worker_id)
