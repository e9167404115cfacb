"""The campaign pages' forms: what a person types, checked before a service sees it."""

from __future__ import annotations

from typing import Any

from django import forms

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.brands.models import Brand
from clarion.campaigns.services import (
    DEFAULT_PHASES,
    DEFAULT_PLATFORMS,
    MAX_GOAL_CHARS,
    MAX_PHASES,
    MIN_PHASES,
)
from clarion.core.platforms import Platform


class BrandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.brand_name)


class CampaignForm(forms.Form):
    """A new campaign: the strategist plans it; its content is queued for the worker."""

    brand = BrandChoiceField(queryset=Brand.objects.none(), empty_label=None)
    goal = forms.CharField(
        max_length=MAX_GOAL_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the campaign must achieve, in one or two sentences.",
    )
    name = forms.CharField(
        max_length=200, required=False, help_text="Optional: the goal's start is used otherwise."
    )
    phase_count = forms.IntegerField(
        label="Phases", min_value=MIN_PHASES, max_value=MAX_PHASES, initial=DEFAULT_PHASES
    )
    platforms = forms.MultipleChoiceField(
        label="Networks",
        choices=Platform.choices,
        initial=list(DEFAULT_PLATFORMS),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["brand"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scoped(Brand, workspace).order_by("brand_name")


class VariantTextForm(forms.Form):
    content = forms.CharField(label="Text", strip=False, widget=forms.Textarea(attrs={"rows": 6}))


class ChatForm(forms.Form):
    message = forms.CharField(max_length=4000)
