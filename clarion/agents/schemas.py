"""Typed inputs and outputs of Clarion's agents.

Every agent call sends one *request* model to the model, rendered as a JSON
block inside the prompt (see ``clarion.agents.prompting``), and receives one
*output* model back, validated by pydantic-ai. The offline engine reads the
same JSON block, so it answers exactly what a real model is asked.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


class Signal(BaseModel):
    """News, a trend or yesterday's results: quoted data for the writer, never instructions."""

    kind: Literal["news", "trend", "performance"] = "news"
    title: str = Field(max_length=300)
    summary: str = Field(default="", max_length=2000)
    url: str = Field(default="", max_length=2000)


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
    recent_posts: list[str] = Field(
        default_factory=list,
        description="The brand's latest posts, shared once a draft was sent back: reuse none "
        "of their sentences.",
    )
    signals: list[Signal] = Field(
        default_factory=list, description="Quoted outside data (news, trends, results)."
    )


POLL_QUESTION_CHARS, POLL_OPTION_CHARS = 140, 25  # the strictest network limits (LinkedIn, X)
PollOption = Annotated[str, Field(min_length=1, max_length=POLL_OPTION_CHARS)]


class Poll(BaseModel):
    """A native poll (X, LinkedIn, Mastodon): one question and two to four short options."""

    question: str = Field(min_length=1, max_length=POLL_QUESTION_CHARS)
    options: list[PollOption] = Field(min_length=2, max_length=4)


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
    poll: Poll | None = Field(
        default=None,
        description="Only when the brief's format is a poll: the question and 2-4 options "
        f"(at most {POLL_OPTION_CHARS} characters each) the network runs as a real poll.",
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
    poll: Poll | None = None
    angle: str | None = None
    hook_style: str | None = None
    turn: int = 1
    seed: str = ""
    previous_drafts: list[str] = Field(default_factory=list)
    recent_posts: list[str] = Field(
        default_factory=list,
        description="The brand's latest posts: a sentence already used there is boilerplate.",
    )


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


# --- The strategist: campaign plans (seed 001) and campaign chat ---

PLAN_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"


class PlannedPost(BaseModel):
    """One node of a plan; ``parents`` name posts of the previous phase."""

    key: str = Field(pattern=PLAN_KEY_PATTERN, description="A short id, unique in the plan.")
    title: str = Field(min_length=1, max_length=200)
    objective: str = Field(default="", max_length=1000)
    hook: str = Field(default="", max_length=300, description="The first line that stops a scroll.")
    parents: list[str] = Field(
        default_factory=list, description="Keys of the posts of the previous phase leading here."
    )


class PlannedPhase(BaseModel):
    number: int = Field(ge=1, le=20)
    name: str = Field(min_length=1, max_length=120)
    posts: list[PlannedPost]


class StrategyPlan(BaseModel):
    """The strategist's answer: phases in order, each with its posts and their parents."""

    phases: list[PlannedPhase]
    rationale: str = Field(default="", max_length=2000)


class ExistingPost(BaseModel):
    """A post that stays in the campaign; new posts may name it as a parent."""

    key: str
    phase: int
    phase_name: str = ""
    title: str
    objective: str = ""


class PlanRequest(BaseModel):
    """Ask the strategist for phases ``first_phase`` … ``first_phase + phase_count - 1``."""

    task: Literal["plan"] = "plan"
    brand: BrandContext
    goal: str
    platforms: list[str] = Field(default_factory=list)
    first_phase: int = 1
    phase_count: int
    min_posts_per_phase: int = 2
    max_posts_per_phase: int = 5
    existing_posts: list[ExistingPost] = Field(default_factory=list)
    new_direction: str | None = None
    memory: list[str] = Field(
        default_factory=list, description="Earlier decisions on this campaign."
    )
    feedback: str | None = Field(default=None, description="Why the previous plan was rejected.")
    seed: str = ""


class ChatTurn(BaseModel):
    role: str
    content: str


class CampaignSummary(BaseModel):
    name: str
    goal: str
    version: int
    phases: list[PlannedPhase] = Field(default_factory=list)


class ChatRequest(BaseModel):
    """A message from the marketer about one campaign, with the campaign as context."""

    task: Literal["chat"] = "chat"
    brand: BrandContext
    campaign: CampaignSummary
    history: list[ChatTurn] = Field(default_factory=list)
    message: str


class ChatReply(BaseModel):
    reply: str = Field(min_length=1, max_length=4000)


# --- The planner: topics for the slots of a monthly plan (seed 002) ---


class PlanGuidelines(BaseModel):
    """The editorial guidelines stored with a monthly plan and given to every call."""

    tone: str = "professional"
    language: str = "en-US"
    do: list[str] = Field(default_factory=list)
    dont: list[str] = Field(default_factory=list)
    banned_terms: list[str] = Field(default_factory=list)


class TopicSlot(BaseModel):
    """One calendar slot, chosen by code, that needs a topic."""

    key: str
    date: str
    network: PlatformName
    pillar: str
    angle: str
    hook: str
    cta: str = ""
    format: str


class TopicsRequest(BaseModel):
    """Ask the planner for one topic per slot: every key answered exactly once."""

    task: Literal["topics"] = "topics"
    brand: BrandContext
    guidelines: PlanGuidelines
    slots: list[TopicSlot]
    taken_topics: list[str] = Field(
        default_factory=list, description="Topics already planned this month: do not repeat them."
    )
    feedback: str | None = Field(default=None, description="Why the previous answer was rejected.")
    seed: str = ""


class SlotTopic(BaseModel):
    key: str = Field(min_length=1, max_length=40)
    topic: str = Field(
        min_length=1, max_length=300, description="What the post is about, in the brand's language."
    )
    alternatives: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list,
        max_length=3,
        description=(
            "Up to three other topics for the slot, best first: used when a batch planned at "
            "the same time took the first one."
        ),
    )


class TopicBatch(BaseModel):
    """The planner's answer: one topic per requested slot key."""

    topics: list[SlotTopic]


class ArmSummary(BaseModel):
    """One arm of an evaluated experiment, as the analyst reads it."""

    label: str = Field(max_length=120)
    successes: int = Field(ge=0)
    trials: int = Field(ge=0)
    rate: float = Field(ge=0, le=1, description="Posterior mean success rate.")
    chance_best: float = Field(ge=0, le=1)
    verdict: Literal["keep", "kill", "double_down"]


class LessonRequest(BaseModel):
    """Ask the analyst for the lesson of one experiment's evaluation."""

    task: Literal["lesson"] = "lesson"
    language: str = "en-US"
    experiment: str = Field(max_length=200)
    compared: str = Field(
        max_length=80, description="What the arms are: hook styles, posting times…"
    )
    metric: str = Field(max_length=120, description="The success metric, in words.")
    unit: str = Field(max_length=40, description="What one trial is: a draft, an impression…")
    decision: Literal["keep", "kill", "double_down"]
    reason: str = Field(max_length=1000, description="The decision in words, as code stated it.")
    arms: list[ArmSummary]
    patterns: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list)


class LessonDraft(BaseModel):
    """The analyst's answer: the lesson, in words."""

    text: str = Field(min_length=1, max_length=600)
