"""The day's work as the orchestrator sees it: slots, accounts, times, yesterday's results."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clarion.agents.schemas import Signal
from clarion.brands.models import Brand
from clarion.planning.models import PlanSlot
from clarion.publishing.models import ChannelAccount, ChannelKind, Publication

logger = logging.getLogger(__name__)


def days_before(day: date, days: int) -> date:
    """``day`` minus ``days``, stopping at the first day there is."""
    return day - timedelta(days=days) if day > date.min + timedelta(days=days) else date.min


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def brand_zone(brand: Brand) -> ZoneInfo:
    """The brand's timezone; UTC (with a warning) when the stored name is not a zone."""
    try:
        return ZoneInfo(brand.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("brand %s has an unknown timezone %r; using UTC", brand.pk, brand.timezone)
        return ZoneInfo("UTC")


def scheduled_at(brand: Brand, day: date, at: Any) -> datetime:
    """The slot's local time of day in the brand's timezone, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=brand_zone(brand))


def day_slots(
    *, day: date, networks: list[str] | None = None, brands: Iterable[Brand] | None = None
) -> list[PlanSlot]:
    """The day's slots of the active plans in time order; when two active plans cover the day,
    the newest wins."""
    slots = PlanSlot.objects.filter(date=day, plan__is_active=True).select_related("plan__brand")
    if networks:
        slots = slots.filter(network__in=networks)
    if brands is not None:
        slots = slots.filter(plan__brand__in=[b.pk for b in brands])
    chosen: dict[tuple[int, str, int], PlanSlot] = {}
    for slot in slots.order_by("plan__created_at", "plan__id", "time_of_day", "id"):
        chosen[(slot.plan.brand_id, slot.network, slot.slot)] = slot
    return list(chosen.values())


def ensure_accounts(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], ChannelAccount]:
    """The active account for each (brand, network); missing ones become outbox accounts."""
    brand_ids = {b for b, _ in pairs}

    def load() -> dict[tuple[int, str], ChannelAccount]:
        found = ChannelAccount.objects.filter(brand_id__in=brand_ids, is_active=True)
        return {(a.brand_id, a.platform): a for a in found}

    accounts = load()
    missing = pairs - accounts.keys()
    if missing:
        ChannelAccount.objects.bulk_create(
            [
                ChannelAccount(brand_id=b, platform=n, kind=ChannelKind.OUTBOX, handle="outbox")
                for b, n in sorted(missing)
            ],
            ignore_conflicts=True,  # another orchestrator may create the same ones at once
        )
        accounts = load()
    return accounts


def yesterday_signals(*, day: date, brand_ids: set[int]) -> dict[int, Signal]:
    """Yesterday's results per brand (states and metrics per network), as a quoted signal."""
    yesterday = days_before(day, 1)
    if yesterday == day:
        return {}
    rows = Publication.objects.filter(date=yesterday, brand_id__in=brand_ids).values_list(
        "brand_id", "network", "state", "metrics"
    )
    tallies: dict[int, dict[str, Counter[str]]] = {}
    for brand_id, network, state, metrics in rows:
        tally = tallies.setdefault(brand_id, {}).setdefault(network, Counter())
        tally[state] += 1
        for name, value in (metrics or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                tally[name] += int(value)
    return {
        brand_id: Signal(
            kind="performance",
            title=f"Results of {yesterday}",
            summary="; ".join(
                f"{network} " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
                for network, tally in sorted(networks.items())
            ),
        )
        for brand_id, networks in tallies.items()
    }
