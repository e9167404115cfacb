"""Scenarios the crash tests run in separate processes (``python -m tests.core.crash_scenario``).

The database comes from the environment (CLARION_HOME or DATABASE_URL), so a
scenario shares it with the workers of its test.

    setup-session [--count N]  background slogan sessions, queued for a worker
    setup-campaign   a campaign (two phases, one network) whose content is queued
    poison           a task that kills whichever worker runs it
    report           sessions, task rows, jobs, workers and the campaign as JSON
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def setup_session(count: int = 1) -> dict[str, Any]:
    from clarion.writing.services import enqueue_session

    sessions = [
        enqueue_session(brief=f"A slogan for a bike repair café, take {n + 1}", max_turns=3)
        for n in range(count)
    ]
    return {"session": sessions[0].pk, "sessions": [s.pk for s in sessions]}


def setup_campaign() -> dict[str, Any]:
    from clarion.campaigns.services import create_campaign
    from tests.factories import make_brand

    campaign = create_campaign(
        brand=make_brand(),
        goal="Win 500 subscribers for the new single-origin subscription",
        phase_count=2,
        platforms=["X"],
    )
    return {"campaign": campaign.pk, "posts": campaign.posts.count()}


def poison() -> dict[str, Any]:
    from tests.core.crash_tasks import kill_the_worker

    return {"task": str(kill_the_worker.enqueue().id)}


def report() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from clarion.agents.models import Job
    from clarion.campaigns.models import Campaign, ContentVariant
    from clarion.core.models import WorkerHeartbeat
    from clarion.writing.models import IterationSession

    sessions = []
    for session in IterationSession.objects.select_related("job").order_by("pk"):
        meta = session.job.metadata if session.job else {}
        sessions.append(
            {
                "pk": session.pk,
                "status": session.status,
                "origin": session.origin,
                "completion_reason": session.completion_reason,
                "recoveries": session.recoveries,
                "error": session.error,
                "turns": list(session.turns.values_list("turn_number", flat=True)),
                "key": [meta.get("post"), meta.get("platform"), meta.get("variant")]
                if meta.get("campaign")
                else None,
            }
        )
    campaign = Campaign.objects.first()
    return {
        "sessions": sessions,
        "tasks": [
            {
                "id": str(row.id),
                "status": row.status,
                "task_path": row.task_path,
                "worker_ids": row.worker_ids,
                "traceback": row.traceback,
            }
            for row in DBTaskResult.objects.order_by("enqueued_at")
        ],
        "jobs": list(Job.objects.order_by("pk").values("pk", "kind", "status", "error")),
        "workers": list(WorkerHeartbeat.objects.values("worker_id", "pid", "stopped_at")),
        "campaign": None
        if campaign is None
        else {
            "phase": campaign.phase,
            "failures": campaign.content_failures,
            "posts": list(campaign.posts.filter(is_active=True).values_list("status", flat=True)),
            "variants": ContentVariant.objects.filter(post__campaign=campaign).count(),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup-session", "setup-campaign", "poison", "report"])
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()

    from clarion import bootstrap

    bootstrap.ensure_database()
    run = {
        "setup-session": lambda: setup_session(args.count),
        "setup-campaign": setup_campaign,
        "poison": poison,
        "report": report,
    }[args.command]
    print(json.dumps(run(), default=str))


if __name__ == "__main__":
    main()
