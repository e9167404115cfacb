"""The writer: one draft per call."""

from __future__ import annotations

from pydantic_ai import Agent as PydanticAgent

from clarion.agents.models import Agent, AgentRole, Job
from clarion.agents.records import Recorder
from clarion.agents.runtime import call_agent
from clarion.agents.schemas import Draft, WriteRequest

writer_agent: PydanticAgent[None, Draft] = PydanticAgent(
    output_type=Draft, name="writer", defer_model_check=True
)


def write_draft(
    request: WriteRequest,
    *,
    job: Job,
    task_name: str,
    agent: Agent | None = None,
    recorder: Recorder | None = None,
) -> Draft:
    return call_agent(
        pydantic_agent=writer_agent,
        role=AgentRole.WRITER,
        request=request,
        job=job,
        task_name=task_name,
        agent=agent,
        recorder=recorder,
    )
