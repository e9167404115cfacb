"""The reviewer: a structured verdict on one draft."""

from __future__ import annotations

from pydantic_ai import Agent as PydanticAgent

from clarion.agents.models import Agent, AgentRole, Job
from clarion.agents.records import Recorder
from clarion.agents.runtime import call_agent
from clarion.agents.schemas import ReviewRequest, Verdict

reviewer_agent: PydanticAgent[None, Verdict] = PydanticAgent(
    output_type=Verdict, name="reviewer", defer_model_check=True
)


def review_draft(
    request: ReviewRequest,
    *,
    job: Job,
    task_name: str,
    agent: Agent | None = None,
    recorder: Recorder | None = None,
) -> Verdict:
    return call_agent(
        pydantic_agent=reviewer_agent,
        role=AgentRole.REVIEWER,
        request=request,
        job=job,
        task_name=task_name,
        agent=agent,
        recorder=recorder,
    )
