"""A brand's month as the calendar page shows it: each day's slots with the state of their post.

The state of a slot comes from its ledger row. A Publication is keyed by the slot's
identity (brand, date, network, slot), not by the PlanSlot row, so a regenerated plan
maps onto the rows its previous version already has: the rows are matched on that
identity, and a row pointing at the slot itself wins when two accounts of a network
have one. A month costs two queries whatever its size: its slots, and its ledger rows.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models

from clarion.brands.models import Brand
from clarion.core.errors import InvalidInput
from clarion.planning.models import MonthlyPlan, PlanSlot
from clarion.publishing.models import DailyContentPackage, Publication, PublicationState

_MONTH = re.compile(r"(\d{4})-(\d{2})")

# Slot identity inside one brand: (date, network, slot index).
SlotKey = tuple[date, str, int]


class SlotState(models.TextChoices):
    """What happened to a planned post, in the order a post goes through them."""

    PLANNED = "planned", "Planned"
    WRITTEN = "written", "Written"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"


def slot_state(state: str | None, *, written: bool) -> SlotState:
    """The calendar state of a slot whose ledger row is in ``state`` (None: no row yet).

    A pending or claimed row is "written" once its text is stored (a post written
    ahead, waiting for its time of day), "planned" before that.
    """
    if state == PublicationState.PUBLISHED:
        return SlotState.PUBLISHED
    if state == PublicationState.FAILED:
        return SlotState.FAILED
    if state == PublicationState.NEEDS_ATTENTION:
        return SlotState.NEEDS_ATTENTION
    if state == PublicationState.AWAITING_APPROVAL:
        return SlotState.AWAITING_APPROVAL
    if state is not None and written:
        return SlotState.WRITTEN
    return SlotState.PLANNED


def parse_month(text: str | None, *, today: date) -> date:
    """The first day of the month written ``YYYY-MM`` (default: ``today``'s month)."""
    if not text:
        return today.replace(day=1)
    found = _MONTH.fullmatch(text.strip())
    if found is None:
        raise InvalidInput(
            "month", f"write the month as YYYY-MM, like {today:%Y-%m} (got {text!r})"
        )
    year, month = int(found[1]), int(found[2])
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        raise InvalidInput("month", f"{text!r} is not a month: the month number goes from 01 to 12")
    return date(year, month, 1)


def next_month(first: date) -> date | None:
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return None if last == date.max else last + timedelta(days=1)


def previous_month(first: date) -> date | None:
    return None if first == date.min else (first - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class Chip:
    """One slot on one network, with the state of its post."""

    slot: PlanSlot
    state: SlotState

    @property
    def label(self) -> str:
        """The chip in words (its accessible name): network, pillar, format, time, state."""
        slot = self.slot
        return (
            f"{slot.network}, {slot.get_pillar_display()}, {slot.get_format_display()}, "
            f"{slot.time_of_day:%H:%M}: {self.state.label.lower()}"
        )


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    chips: list[Chip] = field(default_factory=list)


@dataclass
class MonthCalendar:
    brand: Brand
    month: date
    weeks: list[list[Day]]
    plans: list[MonthlyPlan]
    counts: list[tuple[SlotState, int]]
    total: int
    previous: date | None
    next: date | None

    @property
    def days(self) -> list[Day]:
        """The month's own days, in order (the phone layout lists only these)."""
        return [day for week in self.weeks for day in week if day.in_month]


def month_slots(brand: Brand, month: date) -> list[PlanSlot]:
    """The brand's slots in ``month`` from its active plans (one query).

    When two active plans cover a day (a plan running into the next month, and that
    month's own plan), the one that started last wins, as for the daily run.
    """
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    rows = (
        PlanSlot.objects.filter(
            plan__brand=brand, plan__is_active=True, date__gte=month, date__lte=last
        )
        .select_related("plan")
        .order_by("date", "-plan__start_date", "-plan__version", "network", "slot")
    )
    chosen: dict[date, int] = {}
    slots: list[PlanSlot] = []
    for slot in rows:
        if chosen.setdefault(slot.date, slot.plan_id) == slot.plan_id:
            slots.append(slot)
    return slots


def ledger_rows(brand: Brand, slots: list[PlanSlot]) -> dict[SlotKey, Publication]:
    """The ledger row of each slot, by slot identity (one query)."""
    if not slots:
        return {}
    rows = (
        Publication.objects.filter(brand=brand, date__gte=slots[0].date, date__lte=slots[-1].date)
        .only("pk", "date", "network", "slot", "state", "content_hash", "plan_slot_id")
        .order_by("pk")
    )
    slot_ids = {slot.pk for slot in slots}
    found: dict[SlotKey, Publication] = {}
    for row in rows:
        key = (row.date, row.network, row.slot)
        current = found.get(key)
        # The row made for this very slot wins; otherwise the newest account's.
        if current is None or current.plan_slot_id not in slot_ids:
            found[key] = row
    return found


def month_calendar(*, brand: Brand, month: date, today: date) -> MonthCalendar:
    """``brand``'s slots in ``month``, laid out in weeks from Monday, with their states."""
    slots = month_slots(brand, month)
    rows = ledger_rows(brand, slots)
    by_day: dict[date, list[Chip]] = {}
    counts = dict.fromkeys(SlotState, 0)
    plans: dict[int, MonthlyPlan] = {}
    for slot in slots:
        row = rows.get((slot.date, slot.network, slot.slot))
        state = slot_state(row.state if row else None, written=bool(row and row.content_hash))
        by_day.setdefault(slot.date, []).append(Chip(slot, state))
        counts[state] += 1
        plans.setdefault(slot.plan_id, slot.plan)
    weeks = [
        [Day(day, day.month == month.month, day == today, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    return MonthCalendar(
        brand=brand,
        month=month,
        weeks=weeks,
        plans=sorted(plans.values(), key=lambda plan: plan.start_date),
        counts=[(state, n) for state, n in counts.items() if n],
        total=len(slots),
        previous=previous_month(month),
        next=next_month(month),
    )


@dataclass
class SlotDetail:
    """One slot with what became of it: its ledger row and the text written for it."""

    slot: PlanSlot
    publication: Publication | None
    state: SlotState
    content: str
    content_source: str  # "publication", "dry run" or ""
    error: str


def slot_detail(slot: PlanSlot) -> SlotDetail:
    """The slot's ledger row and written text (two queries at most)."""
    brand_id = slot.plan.brand_id
    identity = {"date": slot.date, "network": slot.network, "slot": slot.slot}
    rows = list(Publication.objects.filter(brand_id=brand_id, **identity).order_by("pk"))
    publication = next((row for row in rows if row.plan_slot_id == slot.pk), None) or (
        rows[-1] if rows else None
    )
    content, source = "", ""
    if publication is not None and publication.content:
        content, source = publication.content, "publication"
    else:
        package = (
            DailyContentPackage.objects.filter(brand_id=brand_id, **identity)
            .exclude(content="")
            .order_by("-created_at", "-pk")
            .only("content", "dry_run")
            .first()
        )
        if package is not None:
            content, source = package.content, "dry run" if package.dry_run else "package"
    return SlotDetail(
        slot=slot,
        publication=publication,
        state=slot_state(
            publication.state if publication else None,
            written=bool(publication and publication.content_hash),
        ),
        content=content,
        content_source=source,
        error=error_in_words(publication) if publication is not None else "",
    )


def error_in_words(publication: Publication) -> str:
    """Why a post is not published, for a person: the kind of failure, then the detail."""
    if not publication.error and not publication.error_kind:
        return ""
    kind = publication.get_error_kind_display() if publication.error_kind else ""
    if kind and publication.error:
        return f"{kind}: {publication.error}"
    return kind or publication.error
