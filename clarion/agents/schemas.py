"""Typed inputs and outputs of Clarion's agents.

Every agent call sends one *request* model to the model, rendered as a JSON
block inside the prompt (see ``clarion.agents.prompting``), and receives one
*output* model back, validated by pydantic-ai. The offline engine reads the
same JSON block, so it answers exactly what a real model is asked.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PlatformName = Literal["X", "LinkedIn", "Facebook", "Mastodon", "Bluesky"]


class BrandContext(BaseModel):
    """What a writer or reviewer knows about the brand (seed 002 fields)."""

    brand_name: str
    positioning: str = ""
    target_audience: str = ""
    value_props: list[str] = Field(default_factory=list)
    language: str = "en-US"
    tone: str = "professional"
    cta_targets: list[str] = Field(default_factory=list)
    guidelines_do: list[str] = Field(default_factory=list)
    guidelines_dont: list[str] = Field(default_factory=list)
    banned_terms: list[str] = Field(default_factory=list)


class WriteRequest(BaseModel):
    """Ask the writer for one draft."""

    task: Literal["write"] = "write"
    kind: Literal["slogan", "post"] = "slogan"
    brief: str
    brand: BrandContext | None = None
    platform: PlatformName | None = None
    max_length: int
    require_cta: bool = False
    angle: str | None = None
    hook_style: str | None = None
    variant: str | None = None
    turn: int = 1
    seed: str = ""
    previous_drafts: list[str] = Field(default_factory=list)
    feedback: str | None = None
    fixes: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    """The writer's answer."""

    text: str = Field(
        min_length=1, max_length=5000, description="The slogan or post, ready to publish."
    )
    angle: str = Field(default="", max_length=200, description="The angle the draft takes.")
    hook_style: str = Field(
        default="", max_length=200, description="How the first line hooks the reader."
    )
    notes: str = Field(
        default="", max_length=1000, description="What changed since the last turn, if anything."
    )


class ReviewRequest(BaseModel):
    """Ask the reviewer to judge one draft."""

    task: Literal["review"] = "review"
    kind: Literal["slogan", "post"] = "slogan"
    brief: str
    brand: BrandContext | None = None
    platform: PlatformName | None = None
    max_length: int
    require_cta: bool = False
    draft: str
    turn: int = 1
    seed: str = ""
    previous_drafts: list[str] = Field(default_factory=list)


class RubricScores(BaseModel):
    """Scores from 1 (poor) to 10 (excellent)."""

    clarity: int = Field(ge=1, le=10)
    brand_fit: int = Field(ge=1, le=10)
    audience_fit: int = Field(ge=1, le=10)
    hook: int = Field(ge=1, le=10)
    call_to_action: int = Field(ge=1, le=10)

    @property
    def average(self) -> float:
        values = (self.clarity, self.brand_fit, self.audience_fit, self.hook, self.call_to_action)
        return sum(values) / len(values)


class Verdict(BaseModel):
    """The reviewer's answer: approve or ask for a revision with concrete fixes."""

    decision: Literal["approve", "revise"]
    scores: RubricScores
    feedback: str = Field(
        min_length=1, max_length=1000, description="One or two sentences for the writer."
    )
    fixes: list[str] = Field(
        default_factory=list, max_length=8, description="Concrete changes to make, one per item."
    )
