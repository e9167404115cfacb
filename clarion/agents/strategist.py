"""The strategist: turns a brand and a goal into a phased plan, and answers campaign chat.

A plan is checked in code (``plan_problems``) before anything is stored: the
phase numbers, 2–5 posts per phase, unique keys, every post after the first
phase reached from the phase before, every post before the last phase leading
on, no cycles. A rejected plan goes back to the model with the reasons, a bounded
number of times; then ``PlanRejected`` says what was still wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from pydantic_ai import Agent as PydanticAgent

from clarion.agents.models import Agent, AgentRole, Job
from clarion.agents.runtime import AnswerRejected, call_agent, call_until_valid
from clarion.agents.schemas import ChatReply, ChatRequest, PlanRequest, StrategyPlan

strategist_agent: PydanticAgent[None, StrategyPlan] = PydanticAgent(
    output_type=StrategyPlan, name="strategist", defer_model_check=True
)
chat_agent: PydanticAgent[None, ChatReply] = PydanticAgent(
    output_type=ChatReply, name="strategist-chat", defer_model_check=True
)


class PlanRejected(AnswerRejected):
    """The model kept returning plans that break the rules."""

    subject = "the strategist's plan"
    feedback = "The previous plan was rejected: "


def plan_problems(
    plan: StrategyPlan,
    *,
    first_phase: int,
    phase_count: int,
    min_posts: int = 2,
    max_posts: int = 5,
    previous_keys: Iterable[str] = (),
    taken_keys: Iterable[str] = (),
) -> list[str]:
    """Everything wrong with ``plan``; an empty list means it may be stored.

    ``previous_keys`` are the posts of phase ``first_phase - 1`` that stay: each
    must lead to at least one post of the first new phase. ``taken_keys`` are keys
    already used elsewhere in the campaign.
    """
    problems: list[str] = []
    expected = list(range(first_phase, first_phase + phase_count))
    numbers = [phase.number for phase in plan.phases]
    if numbers != expected:
        problems.append(f"the phases must be numbered {expected} in order (got {numbers})")
    previous = set(previous_keys)
    taken = set(taken_keys) | previous
    seen: set[str] = set()
    for phase in plan.phases:
        if not min_posts <= len(phase.posts) <= max_posts:
            problems.append(
                f"phase {phase.number} must have {min_posts} to {max_posts} posts "
                f"(got {len(phase.posts)})"
            )
        for post in phase.posts:
            if post.key in seen or post.key in taken:
                problems.append(f"post key {post.key!r} is used more than once")
            seen.add(post.key)
    # Links: parents must be posts of the phase just before.
    layers: list[set[str]] = [previous]
    for phase in plan.phases:
        layers.append({post.key for post in phase.posts})
    children: dict[str, set[str]] = {}
    for index, phase in enumerate(plan.phases):
        allowed = layers[index]
        for post in phase.posts:
            unknown = [p for p in post.parents if p not in allowed]
            if unknown:
                where = (
                    f"phase {phase.number - 1}"
                    if phase.number > 1
                    else "nothing: phase 1 has no parents"
                )
                problems.append(
                    f"post {post.key!r} names parents {unknown} that are not posts of {where}"
                )
            if phase.number > 1 and not post.parents:
                problems.append(
                    f"post {post.key!r} in phase {phase.number} needs at least one parent "
                    f"in phase {phase.number - 1}"
                )
            for parent in post.parents:
                children.setdefault(parent, set()).add(post.key)
    lonely = sorted(key for key in previous if key not in children)
    if lonely and plan.phases:
        problems.append(
            f"posts {lonely} of phase {first_phase - 1} must each lead to at least one post "
            f"of phase {first_phase}"
        )
    for phase in plan.phases[:-1]:
        for post in phase.posts:
            if post.key not in children:
                problems.append(
                    f"post {post.key!r} in phase {phase.number} must lead to at least one post "
                    f"of phase {phase.number + 1}"
                )
    if _has_cycle(children):
        problems.append("the links form a cycle")
    return list(dict.fromkeys(problems))


def _has_cycle(children: dict[str, set[str]]) -> bool:
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        state[node] = 1
        for child in children.get(node, ()):
            mark = state.get(child, 0)
            if mark == 1 or (mark == 0 and visit(child)):
                return True
        state[node] = 2
        return False

    return any(state.get(node, 0) == 0 and visit(node) for node in list(children))


def plan_strategy(
    request: PlanRequest,
    *,
    job: Job,
    previous_keys: Iterable[str] = (),
    taken_keys: Iterable[str] = (),
    agent: Agent | None = None,
) -> StrategyPlan:
    """Ask for a plan until one passes ``plan_problems``; raise ``PlanRejected`` otherwise."""
    previous, taken = list(previous_keys), list(taken_keys)
    return call_until_valid(
        pydantic_agent=strategist_agent,
        role=AgentRole.STRATEGIST,
        request=request,
        job=job,
        problems_of=lambda plan: plan_problems(
            plan,
            first_phase=request.first_phase,
            phase_count=request.phase_count,
            min_posts=request.min_posts_per_phase,
            max_posts=request.max_posts_per_phase,
            previous_keys=previous,
            taken_keys=taken,
        ),
        attempts=settings.CLARION_STRATEGY_PLAN_ATTEMPTS,
        task_name=lambda attempt: f"strategist, plan attempt {attempt}",
        rejected=PlanRejected,
        agent=agent,
    )


def answer_chat(request: ChatRequest, *, job: Job, agent: Agent | None = None) -> ChatReply:
    return call_agent(
        pydantic_agent=chat_agent,
        role=AgentRole.STRATEGIST,
        request=request,
        job=job,
        task_name="strategist, chat",
        agent=agent,
    )
