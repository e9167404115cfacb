"""Benchmark: the daily orchestrator for N brands × 3 networks, into the outbox and a loopback network.

Two phases, as the worker runs a real day:

1. **write** — at each brand's daily run time every post is written (writer ↔
   reviewer loop, offline engine), checked and stored in the ledger ahead of its
   time of day (``run_daily(respect_schedule=True)``);
2. **publish** — when the posts are due, ``publish_due`` claims each ledger row
   and publishes it, with 1 or 2 worker processes sharing the ledger.

The publish phase runs into the outbox and into a fake Mastodon server on
loopback that keeps no idempotency keys, so a double post would show up as a
duplicate text. The written content is copied to fresh ledger rows for each
publish measurement (same content, new accounts and idempotency keys), so the
writing is paid once per database. Prints posts/s for each phase, the
end-to-end rate, and the duplicates found (must be 0).

    python3 bench/bench_daily.py                        # SQLite, 1 worker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clarion_bench_pub python3 bench/bench_daily.py

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set;
on PostgreSQL the database is emptied first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NETWORKS = ("LinkedIn", "Facebook", "X")
PILLARS = ("education", "product", "social_proof", "behind_the_scenes", "community")
FAR_FUTURE = dt.datetime(2199, 1, 1, tzinfo=dt.UTC)


def _django() -> None:
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("CLARION_LLM", "offline")
    from clarion import bootstrap

    bootstrap.ensure_database()


def setup(brands: int, day: dt.date) -> None:
    """Brands, one active plan each with a slot per network on ``day``, in a few bulk INSERTs."""
    from django.db import connection

    from clarion.brands.models import Brand
    from clarion.planning.models import MonthlyPlan, PlanSlot

    if connection.vendor == "postgresql":
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        from clarion.agents.models import Agent
        from clarion.agents.roster import seed_builtin_team

        seed_builtin_team(Agent)
    Brand.objects.bulk_create(
        Brand(
            slug=f"bench-{i}",
            brand_name=f"Roastery {i}",
            positioning="Small-batch coffee roasted to order and delivered within 48 hours.",
            target_audience="remote workers and home baristas",
            value_props=["roasted to order", "delivered within 48 hours"],
            tone="friendly",
            cta_targets=["subscribe", "free tasting kit"],
            banned_terms=["cheap"],
        )
        for i in range(brands)
    )
    brand_rows = list(Brand.objects.filter(slug__startswith="bench-"))
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(
            brand=b,
            month=day.replace(day=1),
            start_date=day,
            days=1,
            networks=list(NETWORKS),
            guidelines={"tone": "friendly", "language": "en-US"},
        )
        for b in brand_rows
    )
    plans = list(MonthlyPlan.objects.filter(brand__in=brand_rows))
    PlanSlot.objects.bulk_create(
        (
            PlanSlot(
                plan=plan,
                date=day,
                network=network,
                slot=0,
                time_of_day=dt.time(9 + n),
                pillar=PILLARS[(plan.pk + n) % len(PILLARS)],
                angle="benefit",
                hook="question",
                cta="subscribe",
                format="text",
                topic=f"Why freshly roasted beans taste better, take {plan.pk % 97}",
            )
            for plan in plans
            for n, network in enumerate(NETWORKS)
        ),
        batch_size=1000,
    )


_statements = [0]


def _count_statements() -> None:
    """Count every SQL statement this process sends, on every thread's connection."""
    import threading

    from django.db import connections
    from django.db.backends.signals import connection_created

    lock = threading.Lock()

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        with lock:
            _statements[0] += 1
        return execute(sql, params, many, context)

    def hook(sender: Any, connection: Any, **kwargs: Any) -> None:
        if counter not in connection.execute_wrappers:
            connection.execute_wrappers.append(counter)

    connection_created.connect(hook, weak=False)
    for conn in connections.all():
        conn.execute_wrappers.append(counter)


def _write_worker(day: str, concurrency: int, ready: Any, go: Any, results: Any) -> None:
    os.environ["CLARION_PUBLISH_CONCURRENCY"] = str(concurrency)
    _django()
    _count_statements()
    from clarion.publishing.orchestrator import run_daily

    ready.put(os.getpid())
    go.wait()
    _statements[0] = 0
    run = run_daily(date=dt.date.fromisoformat(day), respect_schedule=True)
    results.put({**run.counts, "statements": _statements[0]})


def _publish_worker(concurrency: int, ready: Any, go: Any, results: Any) -> None:
    os.environ["CLARION_PUBLISH_CONCURRENCY"] = str(concurrency)
    _django()
    _count_statements()
    from clarion.publishing.orchestrator import publish_due

    ready.put(os.getpid())
    go.wait()

    _statements[0] = 0
    totals: dict[str, int] = {}
    while True:
        outcomes = publish_due(limit=300)
        if not outcomes or set(outcomes) <= {"already_done", "held_elsewhere"}:
            break
        for key, value in outcomes.items():
            totals[key] = totals.get(key, 0) + value
    results.put({**totals, "statements": _statements[0]})


def in_processes(target: Any, args: tuple[Any, ...], workers: int) -> tuple[float, list[Any]]:
    """Run ``target`` in ``workers`` processes; time from a common start, Django set up."""
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Queue(), context.Event(), context.Queue()
    processes = [
        context.Process(target=target, args=(*args, ready, go, results), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=300)
    started = time.perf_counter()
    go.set()
    outputs = [results.get(timeout=3600) for _ in processes]
    wall = time.perf_counter() - started
    for process in processes:
        process.join(timeout=30)
    return wall, outputs


def copy_batch(label: str, *, kind: str, base_url: str = "") -> list[int]:
    """Fresh ledger rows with the written content, for new accounts, not yet due."""
    from clarion.publishing import ledger
    from clarion.publishing.models import ChannelAccount, Publication

    source = list(Publication.objects.filter(account__handle="outbox").select_related("account"))
    new_accounts = []
    for b, p in sorted({(row.brand_id, row.network) for row in source}):
        account = ChannelAccount(
            brand_id=b, platform=p, kind=kind, handle=label, base_url=base_url, is_active=False
        )
        if kind == "mastodon":
            account.token = "fake-token"
        new_accounts.append(account)
    accounts = {
        (a.brand_id, a.platform): a for a in ChannelAccount.objects.bulk_create(new_accounts)
    }
    if any(a.pk is None for a in accounts.values()):  # SQLite < 3.35 returns no ids
        accounts = {
            (a.brand_id, a.platform): a for a in ChannelAccount.objects.filter(handle=label)
        }
    rows = Publication.objects.bulk_create(
        (
            Publication(
                brand_id=row.brand_id,
                account=accounts[(row.brand_id, row.network)],
                network=row.network,
                date=row.date,
                slot=row.slot,
                idempotency_key=ledger.idempotency_key(
                    brand_id=row.brand_id,
                    account_id=accounts[(row.brand_id, row.network)].pk,
                    day=row.date,
                    slot=row.slot,
                ),
                content=row.content,
                content_hash=row.content_hash,
                package_id=row.package_id,
                approved_at=row.approved_at,
                approved_by=row.approved_by,
                scheduled_at=FAR_FUTURE,
            )
            for row in source
        ),
        batch_size=1000,
    )
    return [r.pk for r in rows] or list(
        Publication.objects.filter(account__handle=label).values_list("pk", flat=True)
    )


def make_due(*, handle: str) -> int:
    from django.utils import timezone

    from clarion.publishing.models import Publication

    return Publication.objects.filter(account__handle=handle).update(
        scheduled_at=timezone.now() - dt.timedelta(minutes=1)
    )


def outbox_duplicates(handle: str) -> int:
    from django.db.models import Count

    from clarion.publishing.models import OutboxPost

    groups = (
        OutboxPost.objects.filter(account__handle=handle)
        .values("account_id", "content_hash")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return sum(g["n"] - 1 for g in groups)


def main() -> None:
    parser = argparse.ArgumentParser(description="the daily orchestrator at scale")
    parser.add_argument("--brands", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=None,
        help="worker processes to measure the publish phase with (default: 1 2 on PostgreSQL, 1 on SQLite)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="threads per worker process")
    args = parser.parse_args()

    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))
    _django()
    from django.db import connection

    from clarion.publishing.models import Publication
    from clarion.testing.fake_network import FakeNetwork

    postgres = connection.vendor == "postgresql"
    workers_list = args.workers or ([1, 2] if postgres else [1])
    day = dt.date.today() + dt.timedelta(days=1)  # tomorrow: every post is written ahead
    setup(args.brands, day)
    connection.close()
    slots = args.brands * len(NETWORKS)
    print(
        f"database: {connection.vendor}; {args.brands} brands × {len(NETWORKS)} networks = {slots} slots; "
        f"{args.concurrency} threads per worker; offline engine"
    )

    write_workers = max(workers_list)
    wall, outputs = in_processes(_write_worker, (day.isoformat(), args.concurrency), write_workers)
    scheduled = sum(o.get("scheduled", 0) for o in outputs)
    write_rate = scheduled / wall
    write_statements = sum(o["statements"] for o in outputs) / max(scheduled, 1)
    print(
        f"write phase: {scheduled} posts written and checked in {wall:.1f} s with {write_workers} "
        f"worker(s): {write_rate:.0f} posts/s, {write_statements:.1f} SQL statements per post"
    )
    assert Publication.objects.filter(content_hash="").count() == 0, "every slot was written"

    rows: list[tuple[str, int, int, float, int]] = []
    with FakeNetwork(honour_idempotency=False) as network:
        for target in ("outbox", "network"):
            for workers in workers_list:
                label = f"bench-{target}-{workers}"
                if target == "outbox":
                    rows_ids = copy_batch(label, kind="outbox")
                else:
                    rows_ids = copy_batch(label, kind="mastodon", base_url=network.base_url)
                make_due(handle=label)
                connection.close()
                network.reset()  # the copies repeat the same texts: count each run alone
                before = network.created
                wall, outputs = in_processes(_publish_worker, (args.concurrency,), workers)
                published = Publication.objects.filter(
                    account__handle=label, state="published"
                ).count()
                duplicates = outbox_duplicates(label) if target == "outbox" else network.duplicates
                assert published == len(rows_ids), (
                    f"{target}: {published} of {len(rows_ids)} published"
                )
                if target == "network":
                    assert network.created - before == published, "one status per publication"
                statements = sum(o["statements"] for o in outputs) / max(published, 1)
                rows.append((target, workers, published, wall, duplicates, statements))
                connection.close()

    print(
        f"{'publish into':<14}{'workers':>8}{'published':>11}{'wall s':>9}{'posts/s':>9}"
        f"{'end-to-end/s':>14}{'SQL/post':>10}{'duplicates':>12}"
    )
    best_end_to_end, most_statements = 0.0, 0.0
    for target, workers, published, wall, duplicates, statements in rows:
        end_to_end = published / (published / write_rate + wall) if published else 0.0
        per_post = write_statements + statements  # written, then published
        best_end_to_end = max(best_end_to_end, end_to_end)
        most_statements = max(most_statements, per_post)
        print(
            f"{target:<14}{workers:>8}{published:>11}{wall:>9.2f}{published / wall:>9.0f}"
            f"{end_to_end:>14.0f}{per_post:>10.1f}{duplicates:>12}"
        )
    target_rate = 70 if postgres else 100
    print(
        f"best end-to-end rate {best_end_to_end:.0f} posts/s "
        f"({'meets' if best_end_to_end >= target_rate else 'misses'} the target >= {target_rate}); "
        f"at most {most_statements:.1f} SQL statements per published post "
        f"({'meets' if most_statements <= 20 else 'misses'} the target <= 20)"
    )
    print(f"duplicates found: {sum(r[4] for r in rows)}")


if __name__ == "__main__":
    main()
