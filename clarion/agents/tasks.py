"""Background work of the agents app (run by ``clarion worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_control_job(job_id: int) -> str:
    """Run a job a person started (``POST /api/jobs/start``, ``clarion jobs start``)."""
    from clarion.agents.control import run

    return run(job_id)
