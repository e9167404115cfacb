"""API and CLI shapes of monthly plans."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field

from clarion.core.text import REF_PATTERN
from clarion.planning.models import MonthlyPlan, PlanSlot


def _iso_date(value: Any) -> Any:
    """Only a YYYY-MM-DD string (or a date) is a date here, never a timestamp number."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


def _json_number(value: Any) -> Any:
    """A JSON number (2 or 2.0), never a string or a boolean."""
    if isinstance(value, str | bool):
        raise ValueError("must be a number")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PlanDays = Annotated[int, Field(ge=1, le=31), BeforeValidator(_json_number)]

# The networks a plan can cover; "Twitter" (seed 002's name) means X.
NetworkName = Literal["X", "LinkedIn", "Facebook", "Mastodon", "Bluesky", "Twitter"]


class GenerateIn(Schema):
    """Generate a monthly plan (seed 002's ``/strategy/generate``)."""

    brand: str = Field(
        min_length=1, max_length=80, pattern=REF_PATTERN, description="Brand id or slug."
    )
    start_date: IsoDate = Field(description="The first day of the plan (YYYY-MM-DD).")
    duration_days: PlanDays | None = Field(
        default=None,
        description="How many days to plan; default: as many as the start date's month has.",
    )
    networks: list[NetworkName] | None = Field(
        default=None,
        min_length=1,
        max_length=5,
        description="X (or Twitter), LinkedIn, Facebook, Mastodon, Bluesky; "
        "default LinkedIn, Facebook and X.",
    )


class SlotOut(Schema):
    id: int
    date: date
    network: str
    slot: int
    time_of_day: str = Field(
        pattern=r"^\d{2}:\d{2}$", description="Local time (HH:MM, the brand's clock)."
    )
    pillar: str
    angle: str
    hook: str
    cta: str
    format: str
    topic: str

    @staticmethod
    def resolve_time_of_day(obj: PlanSlot) -> str:
        return obj.time_of_day.strftime("%H:%M")


class GuidelinesOut(Schema):
    tone: str = ""
    language: str = ""
    do: list[str] = Field(default_factory=list)
    dont: list[str] = Field(default_factory=list)
    banned_terms: list[str] = Field(default_factory=list)


class PlanSummaryOut(Schema):
    id: int
    brand: str
    month: date
    start_date: date
    end_date: date
    days: int
    networks: list[str]
    guidelines: GuidelinesOut
    version: int
    is_active: bool
    job_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_brand(obj: MonthlyPlan) -> str:
        return obj.brand.slug

    @staticmethod
    def resolve_end_date(obj: MonthlyPlan) -> date:
        return obj.start_date + timedelta(days=obj.days - 1)


class PlanOut(PlanSummaryOut):
    slots: list[SlotOut]

    @staticmethod
    def resolve_slots(obj: MonthlyPlan) -> list[Any]:
        return list(obj.slots.all())


class DayOut(Schema):
    """A brand's posts for one day (seed 002's ``/strategy/posts/{brand}/{date}``)."""

    brand: str
    date: date
    plan_id: int
    version: int
    guidelines: GuidelinesOut
    slots: list[SlotOut]


def plan_json(plan: MonthlyPlan) -> dict[str, Any]:
    return PlanOut.from_orm(plan).model_dump(mode="json")
