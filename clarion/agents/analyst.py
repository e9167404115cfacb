"""The analyst: the lesson a marketer keeps from one experiment's evaluation.

Code decides (``clarion.analytics.bayes``); the analyst only puts the decision and
its evidence in words. Its call is recorded as a Task of the analyst like any other.
"""

from __future__ import annotations

from pydantic_ai import Agent as PydanticAgent

from clarion.agents.models import Agent, AgentRole, Job
from clarion.agents.runtime import call_agent
from clarion.agents.schemas import LessonDraft, LessonRequest

analyst_agent: PydanticAgent[None, LessonDraft] = PydanticAgent(
    output_type=LessonDraft, name="analyst", defer_model_check=True
)


def write_lesson(
    request: LessonRequest, *, job: Job, task_name: str, agent: Agent | None = None
) -> LessonDraft:
    return call_agent(
        pydantic_agent=analyst_agent,
        role=AgentRole.ANALYST,
        request=request,
        job=job,
        task_name=task_name,
        agent=agent,
    )
