"""Scenarios the publishing tests run in separate processes (``python -m tests.publishing.scenario``).

The database comes from the environment (CLARION_HOME or DATABASE_URL), so a
scenario shares it with the other processes of its test.

    setup --network URL --brands N [--today]   brands, plans and accounts on the network
    run [--threads N]                           run_daily for the day, N orchestrators at once
    report                                      the ledger (and task rows) as JSON
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import threading
from typing import Any


def setup(network_url: str | None, brands: int, today: bool) -> None:
    from django.utils import timezone

    from tests.factories import make_brand
    from tests.publishing.helpers import DAY, NETWORKS, make_plan, use_network

    day = timezone.localdate() if today else DAY
    for index in range(brands):
        brand = make_brand(
            brand_name=f"Roastery {index}", slug=f"roastery-{index}", daily_run_time="00:00"
        )
        make_plan(brand, day=day, at=dt.time(0, 0) if today else None)
        for platform in NETWORKS if network_url else ():  # else: the outbox
            use_network(brand, base_url=network_url, token="fake-token", platform=platform)


def run(threads: int, day: dt.date) -> list[dict[str, Any]]:
    from django.db import connection

    from clarion.publishing.services import run_daily

    barrier = threading.Barrier(threads)
    results: list[dict[str, Any]] = []

    def orchestrate() -> None:
        try:
            barrier.wait()
            results.append(run_daily(date=day).counts)
        finally:
            connection.close()

    workers = [threading.Thread(target=orchestrate) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def report() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from clarion.publishing.models import Publication

    rows = Publication.objects.order_by("pk").values(
        "pk", "state", "content", "remote_id", "attempts", "error"
    )
    tasks = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    return {
        "publications": list(rows),
        "task_states": sorted(status for status, _ in tasks),
        "running_on": [ids[-1] for status, ids in tasks if status == "RUNNING" and ids],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "run", "report"])
    parser.add_argument("--network")
    parser.add_argument("--brands", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--today", action="store_true")
    parser.add_argument("--date", default="2026-03-10")
    args = parser.parse_args()

    from clarion import bootstrap

    bootstrap.ensure_database()
    if args.command == "setup":
        setup(args.network, args.brands, args.today)
        print(json.dumps({"ok": True}))
    elif args.command == "run":
        print(json.dumps(run(args.threads, dt.date.fromisoformat(args.date))))
    else:
        print(json.dumps(report(), default=str))


if __name__ == "__main__":
    main()
