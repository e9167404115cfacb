"""The planner: topics for the slots of a monthly plan, in batches.

Code lays out the calendar (``clarion.planning.grid``); the planner only fills
each slot's topic. An answer is checked in code (``topic_problems``): every
requested key answered exactly once, no unknown key, no banned term. A rejected
answer goes back to the model with the reasons, a bounded number of times; then
``TopicsRejected`` says what was still wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic_ai import Agent as PydanticAgent

from clarion.agents.models import Agent, AgentRole, Job
from clarion.agents.runtime import AnswerRejected, call_until_valid
from clarion.agents.schemas import TopicBatch, TopicsRequest

TOPIC_ATTEMPTS = 3

planner_agent: PydanticAgent[None, TopicBatch] = PydanticAgent(
    output_type=TopicBatch, name="planner", defer_model_check=True
)


class TopicsRejected(AnswerRejected):
    """The model kept answering topic batches that break the rules."""

    subject = "the planner's topics"


def topic_problems(
    batch: TopicBatch, *, keys: Iterable[str], banned_terms: Iterable[str] = ()
) -> list[str]:
    """Everything wrong with ``batch`` for the slots ``keys``; empty means it may be stored."""
    wanted = list(keys)
    counts = Counter(item.key for item in batch.topics)
    problems: list[str] = []
    missing = [key for key in wanted if counts[key] == 0]
    if missing:
        problems.append(f"no topic for slot keys {missing}")
    repeated = sorted(key for key, count in counts.items() if count > 1)
    if repeated:
        problems.append(f"slot keys {repeated} are answered more than once")
    unknown = sorted(set(counts) - set(wanted))
    if unknown:
        problems.append(f"slot keys {unknown} were not asked for")
    banned = [t.strip().lower() for t in banned_terms if t.strip()]
    for item in batch.topics:
        if not item.topic.strip():
            problems.append(f"the topic of {item.key!r} is empty")
        hits = [term for term in banned if term in item.topic.lower()]
        if hits:
            problems.append(f"the topic of {item.key!r} uses banned terms {hits}")
    return problems


def plan_topics(
    request: TopicsRequest,
    *,
    job: Job,
    task_name: str = "planner, topics",
    attempts: int = TOPIC_ATTEMPTS,
    agent: Agent | None = None,
) -> dict[str, str]:
    """Topics by slot key for every slot of ``request``; raise ``TopicsRejected`` otherwise."""
    choices = plan_topic_choices(
        request, job=job, task_name=task_name, attempts=attempts, agent=agent
    )
    return {key: topics[0] for key, topics in choices.items()}


def plan_topic_choices(
    request: TopicsRequest,
    *,
    job: Job,
    task_name: str = "planner, topics",
    attempts: int = TOPIC_ATTEMPTS,
    agent: Agent | None = None,
) -> dict[str, list[str]]:
    """For every slot of ``request``, its topic then the planner's alternatives (those free of
    banned terms, without repeats); raise ``TopicsRejected`` when the topics break the rules."""
    keys = [slot.key for slot in request.slots]
    batch = call_until_valid(
        pydantic_agent=planner_agent,
        role=AgentRole.PLANNER,
        request=request,
        job=job,
        problems_of=lambda answer: topic_problems(
            answer, keys=keys, banned_terms=request.guidelines.banned_terms
        ),
        attempts=attempts,
        task_name=lambda attempt: f"{task_name}, attempt {attempt}" if attempt > 1 else task_name,
        rejected=TopicsRejected,
        agent=agent,
    )
    banned = [t.strip().lower() for t in request.guidelines.banned_terms if t.strip()]
    choices: dict[str, list[str]] = {}
    for item in batch.topics:
        kept = [item.topic.strip()]
        for other in item.alternatives:
            other = other.strip()
            folded = other.casefold()
            banned_here = any(term in folded for term in banned)
            if other and not banned_here and folded not in {k.casefold() for k in kept}:
                kept.append(other)
        choices[item.key] = kept
    return choices
