"""The brand form of the web app, validated by the API's own schemas.

Every rule lives in ``BrandBrief`` (a new brand) and ``BrandUpdate`` (a change): the form
only turns its fields into the schema's shape (a list is one item per line) and hands
the schema's messages back to the fields they concern, so a person reads what an API
client reads for the same input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any, TypedDict

from django import forms
from django.forms.boundfield import BoundField
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from clarion.brands.models import Brand
from clarion.brands.schemas import TIMEZONES, BrandBrief, BrandUpdate
from clarion.core.text import find_refused

ONE_PER_LINE = "One per line."

# Form fields holding a list, one item per line, and where each sits in the schema.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "value_props": ("value_props",),
    "guidelines_do": ("guidelines", "do"),
    "guidelines_dont": ("guidelines", "dont"),
    "banned_terms": ("banned_terms",),
    "cta_targets": ("cta_targets",),
    "domains": ("domains",),
}
TEXT_FIELDS = (
    "brand_name",
    "positioning",
    "target_audience",
    "language",
    "tone",
    "website",
    "timezone",
    "daily_run_time",
)

FIELDSETS = [
    ("The brand", ["brand_name", "positioning", "target_audience", "value_props"]),
    ("Voice", ["language", "tone", "guidelines_do", "guidelines_dont", "banned_terms"]),
    ("Calls to action and links", ["cta_targets", "website", "domains"]),
    ("Schedule and approval", ["timezone", "daily_run_time", "approval_required"]),
]


WIDE_FIELDS = {"positioning", "target_audience"}


@dataclass(frozen=True)
class Slot:
    """A field as the page lays it out."""

    field: BoundField
    wide: bool
    checkbox: bool


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _list_area() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3, "class": "lines"})


class Refusal(TypedDict):
    """A refused character, placed like a schema error."""

    loc: tuple[str | int, ...]
    msg: str


def schema_message(error: ErrorDetails | Refusal) -> str:
    """The schema's message as the API gives it, without pydantic's "Value error, " prefix."""
    return re.sub(r"^(Value|Assertion) error, ", "", error["msg"])


class BrandForm(forms.Form):
    """A brand's brief; ``clean`` validates it through ``schema`` (BrandBrief or BrandUpdate)."""

    # No rule of Django's own (required, max length): the schema says what is valid.
    brand_name = forms.CharField(label="Brand name", required=False)
    positioning = forms.CharField(
        required=False,
        widget=_text_area(3),
        help_text="What the brand offers and why it is different.",
    )
    target_audience = forms.CharField(
        label="Audience", required=False, widget=_text_area(2), help_text="Who it speaks to."
    )
    value_props = forms.CharField(
        label="Value propositions", required=False, widget=_list_area(), help_text=ONE_PER_LINE
    )
    language = forms.CharField(
        required=False, initial="en-US", help_text="A language tag such as en-US or fr-FR."
    )
    tone = forms.CharField(required=False, initial="professional", help_text="e.g. friendly")
    guidelines_do = forms.CharField(
        label="Guidelines: do", required=False, widget=_list_area(), help_text=ONE_PER_LINE
    )
    guidelines_dont = forms.CharField(
        label="Guidelines: don't", required=False, widget=_list_area(), help_text=ONE_PER_LINE
    )
    banned_terms = forms.CharField(
        label="Banned terms",
        required=False,
        widget=_list_area(),
        help_text="One per line: a post using one fails its checks.",
    )
    cta_targets = forms.CharField(
        label="Calls to action",
        required=False,
        widget=_list_area(),
        help_text="One per line: words (subscribe) or web addresses.",
    )
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}),
        help_text="http or https; its domain joins the brand's domains.",
    )
    domains = forms.CharField(
        required=False,
        widget=_list_area(),
        help_text="Host names the brand owns, one per line: links in its posts may point "
        "there; a link anywhere else waits for a person's approval.",
    )
    timezone = forms.CharField(
        label="Time zone",
        required=False,
        initial="UTC",
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
        help_text="An IANA name such as Europe/Paris.",
    )
    daily_run_time = forms.CharField(
        label="Daily run time",
        required=False,
        initial="08:00",
        widget=forms.TimeInput(attrs={"type": "time", "step": 60}),
        help_text="When the day's posts are written, in the brand's time zone.",
    )
    approval_required = forms.BooleanField(
        label="A person approves every post",
        required=False,
        initial=True,
        help_text="Publish only the posts a person approved; the others, even those the "
        "reviewer approved, wait in the approval queue.",
    )

    def __init__(self, *args: Any, schema: type[BaseModel] = BrandBrief, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.validated: BaseModel | None = None

    def fieldsets(self) -> list[tuple[str, list[Slot]]]:
        return [
            (
                title,
                [
                    Slot(self[name], name in WIDE_FIELDS, name == "approval_required")
                    for name in names
                ],
            )
            for title, names in FIELDSETS
        ]

    def schema_data(self) -> dict[str, Any]:
        """The brief as the API would receive it from this form."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {name: cleaned.get(name, "") for name in TEXT_FIELDS}
        guidelines: dict[str, list[str]] = {}
        for name, where in LIST_FIELDS.items():
            items = _lines(cleaned.get(name, ""))
            if where[0] == "guidelines":
                guidelines[where[1]] = items
            else:
                data[where[0]] = items
        data["guidelines"] = guidelines
        data["approval_required"] = bool(cleaned.get("approval_required"))
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = self.schema_data()
        found = find_refused(data)
        if found is not None:  # refused before the schema, as the API does
            field, message = self._place({"loc": found.loc, "msg": found.message})
            self.add_error(field, message)
            return cleaned
        try:
            self.validated = self.schema.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                field, message = self._place(error)
                if field is None or not self.has_error(field):  # Django's word came first
                    self.add_error(field, message)
        return cleaned

    def _place(self, error: ErrorDetails | Refusal) -> tuple[str | None, str]:
        """The form field an error of the schema concerns, and its message."""
        message = schema_message(error)
        loc = tuple(error["loc"])
        if not loc:  # a rule on the whole brief, naming its field first ("name: …")
            named = re.match(r"^(\w+): (.*)$", message, re.DOTALL)
            if named and named.group(1) in self.fields:
                return named.group(1), named.group(2)
            return None, message
        for name, where in LIST_FIELDS.items():
            if loc[: len(where)] == where:
                rest = loc[len(where) :]
                if rest and isinstance(rest[0], int):
                    return name, f"line {rest[0] + 1}: {message}"
                return name, message
        if isinstance(loc[0], str) and loc[0] in self.fields:
            return loc[0], message
        return None, message


def brand_initial(brand: Brand) -> dict[str, Any]:
    """The form's fields for an existing brand."""
    at: time = brand.daily_run_time
    return {
        "brand_name": brand.brand_name,
        "positioning": brand.positioning,
        "target_audience": brand.target_audience,
        "value_props": "\n".join(brand.value_props),
        "language": brand.language,
        "tone": brand.tone,
        "guidelines_do": "\n".join(brand.guidelines_do),
        "guidelines_dont": "\n".join(brand.guidelines_dont),
        "banned_terms": "\n".join(brand.banned_terms),
        "cta_targets": "\n".join(brand.cta_targets),
        "website": brand.website,
        "domains": "\n".join(brand.domains),
        "timezone": brand.timezone,
        "daily_run_time": at.strftime("%H:%M:%S" if at.second else "%H:%M"),
        "approval_required": brand.approval_required,
    }


def new_brand_form(data: Any = None) -> BrandForm:
    return BrandForm(data, schema=BrandBrief)


def brand_form(brand: Brand, data: Any = None) -> BrandForm:
    return BrandForm(data, schema=BrandUpdate, initial=brand_initial(brand))


__all__ = ["TIMEZONES", "BrandForm", "brand_form", "brand_initial", "new_brand_form"]
