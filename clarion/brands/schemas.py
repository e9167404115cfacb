"""The brand brief as Clarion accepts it from a file, the API or the CLI (seed 002 fields)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from annotated_types import MaxLen
from ninja import Schema
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from clarion.core.links import (
    HOSTNAME_PATTERN,
    WEBSITE_PATTERN,
    parse_hostname,
    website_domain,
)
from clarion.core.text import NONBLANK_PATTERN

if TYPE_CHECKING:
    from clarion.brands.models import Brand


ListItem = Annotated[str, Field(max_length=300)]


def _raw_lengths(model: type[BaseModel], data: object) -> object:
    """Refuse a text longer than its field allows before whitespace is stripped.

    The documented ``maxLength`` is that of the text sent; stripping first would
    accept a longer one.
    """
    if not isinstance(data, dict):
        return data
    for name, info in model.model_fields.items():
        value = data.get(name)
        if not isinstance(value, str):
            continue
        limit = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        if limit is not None and len(value) > limit:
            raise ValueError(f"{name}: at most {limit} characters (got {len(value)})")
    return data


def _clean_list(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values if v and v.strip()]
    return list(dict.fromkeys(cleaned))


def _clean_domains(values: list[str] | None) -> list[str] | None:
    """Host names, lower-cased, without repeats (``None`` stays ``None``)."""
    if values is None:
        return None
    return list(dict.fromkeys(parse_hostname(v) for v in values))


def _check_website(value: str | None) -> str | None:
    if value:
        website_domain(value)  # a ValueError says what is wrong
    return value


Domain = Annotated[
    str,
    Field(
        max_length=254,
        json_schema_extra={"pattern": HOSTNAME_PATTERN},  # checked with a clearer message
        examples=["example.com"],
        description="A host name the brand owns (lower-cased; its subdomains count too).",
    ),
]
_DOMAINS_DESCRIPTION = (
    "Host names the brand owns: links in its posts may point there or to their subdomains; "
    "a link anywhere else waits for a person's approval. The website's domain is added."
)
_WEBSITE_DESCRIPTION = "The brand's website (http or https); its domain joins ``domains``."

_APPROVAL_DESCRIPTION = (
    "Publish only the posts a person approved: the others, even those the reviewer approved, "
    "wait in the approval queue (GET /api/approvals)."
)


# The schema lists the zones and the local-time shape, so a client knows what is valid.
TIMEZONES = sorted(available_timezones())
LOCAL_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


def _local_time_text(value: object) -> object:
    """A local time as HH:MM or HH:MM:SS; no offset (the brand's timezone applies)."""
    if isinstance(value, str) and not re.fullmatch(LOCAL_TIME_PATTERN, value):
        raise ValueError("must be a local time HH:MM or HH:MM:SS, without an offset")
    if isinstance(value, time) and value.tzinfo is not None:
        raise ValueError("must be a local time without an offset (the brand's timezone applies)")
    if not isinstance(value, str | time):  # YAML reads an unquoted 08:00 as a number
        raise ValueError('must be a local time "HH:MM" or "HH:MM:SS" (quote it in YAML)')
    return value


LocalTime = Annotated[
    time,
    BeforeValidator(_local_time_text),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["08:00"]}),
]


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as Europe/Paris"
        ) from exc
    return value


class Guidelines(BaseModel):
    model_config = ConfigDict(extra="forbid")

    do: list[ListItem] = Field(default_factory=list, max_length=50)
    dont: list[ListItem] = Field(default_factory=list, max_length=50)

    _clean = field_validator("do", "dont")(_clean_list)


class BrandBrief(BaseModel):
    """A complete brief, as in ``examples/brief.yaml``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    brand_name: str = Field(min_length=1, max_length=120, pattern=NONBLANK_PATTERN)
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    positioning: str = Field(default="", max_length=2000)
    target_audience: str = Field(default="", max_length=2000)
    value_props: list[ListItem] = Field(default_factory=list, max_length=20)
    language: str = Field(default="en-US", pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    tone: str = Field(default="professional", min_length=1, max_length=80, pattern=NONBLANK_PATTERN)
    cta_targets: list[ListItem] = Field(default_factory=list, max_length=20)
    guidelines: Guidelines = Field(default_factory=Guidelines)
    banned_terms: list[ListItem] = Field(default_factory=list, max_length=200)
    website: str = Field(
        default="",
        max_length=500,
        description=_WEBSITE_DESCRIPTION,
        json_schema_extra={"pattern": WEBSITE_PATTERN},
    )
    domains: list[Domain] = Field(
        default_factory=list, max_length=50, description=_DOMAINS_DESCRIPTION
    )
    timezone: str = Field(default="UTC", max_length=64, json_schema_extra={"enum": [*TIMEZONES]})
    daily_run_time: LocalTime = time(8, 0)
    approval_required: StrictBool = Field(default=False, description=_APPROVAL_DESCRIPTION)

    _clean = field_validator("value_props", "cta_targets", "banned_terms")(_clean_list)
    _domains = field_validator("domains")(_clean_domains)
    _website = field_validator("website")(_check_website)
    _timezone = field_validator("timezone")(_check_timezone)

    @model_validator(mode="before")
    @classmethod
    def _raw_lengths(cls, data: object) -> object:
        return _raw_lengths(cls, data)


class BrandUpdate(BaseModel):
    """A partial change to a brand; fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    brand_name: str | None = Field(
        default=None, min_length=1, max_length=120, pattern=NONBLANK_PATTERN
    )
    positioning: str | None = Field(default=None, max_length=2000)
    target_audience: str | None = Field(default=None, max_length=2000)
    value_props: list[ListItem] | None = Field(default=None, max_length=20)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    tone: str | None = Field(default=None, min_length=1, max_length=80, pattern=NONBLANK_PATTERN)
    cta_targets: list[ListItem] | None = Field(default=None, max_length=20)
    guidelines: Guidelines | None = None
    banned_terms: list[ListItem] | None = Field(default=None, max_length=200)
    website: str | None = Field(
        default=None,
        max_length=500,
        description=_WEBSITE_DESCRIPTION,
        json_schema_extra={"pattern": WEBSITE_PATTERN},
    )
    domains: list[Domain] | None = Field(
        default=None, max_length=50, description=_DOMAINS_DESCRIPTION
    )
    timezone: str | None = Field(
        default=None, max_length=64, json_schema_extra={"enum": [*TIMEZONES, None]}
    )
    daily_run_time: LocalTime | None = None
    approval_required: StrictBool | None = Field(default=None, description=_APPROVAL_DESCRIPTION)

    _domains = field_validator("domains")(_clean_domains)
    _website = field_validator("website")(_check_website)
    _timezone = field_validator("timezone")(_check_timezone)

    @model_validator(mode="before")
    @classmethod
    def _raw_lengths(cls, data: object) -> object:
        return _raw_lengths(cls, data)


class BrandOut(Schema):
    """A brand as the API and `clarion brand show` return it."""

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
    website: str
    domains: list[str]
    timezone: str
    daily_run_time: str = Field(pattern=LOCAL_TIME_PATTERN, examples=["08:00"])
    approval_required: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_daily_run_time(obj: Brand) -> str:
        at = obj.daily_run_time
        return at.strftime("%H:%M:%S" if at.second else "%H:%M")

    @staticmethod
    def resolve_guidelines(obj: Brand) -> dict[str, list[str]]:
        return {"do": obj.guidelines_do, "dont": obj.guidelines_dont}
