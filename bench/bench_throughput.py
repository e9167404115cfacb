"""Benchmark: does every model-bound path keep the model's concurrency bound full?

Against the fake chat-completions server in its own process, with a fixed latency
per request and ``CLARION_LLM_MAX_CONCURRENCY`` (the bound), it runs:

- **daily**: the daily orchestrator writing and publishing (outbox) a day's posts;
- **slogans, 1 worker**: background slogan sessions run by one ``clarion worker``
  at ``--concurrency`` = the bound;
- **slogans, 3 workers**: the same with three workers, each at the bound, sharing it;
- **plan topics**: a monthly plan's topic batches.

Each prints its wall time, the model calls, the limit ``calls × latency ÷ bound``,
the ratio of the two (1.0 is perfect overlap), and the server's peak number of
requests in flight, which must never exceed the bound. A run of the same work at a
bound of 1 in the same process is the baseline.

    python3 bench/bench_throughput.py --latency 0.5 --bound 8
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clarion_bench python3 bench/bench_throughput.py

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set
(on PostgreSQL the database is emptied first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_writing import chat_server  # noqa: E402

MAX_TURNS = 2


def stats(base_url: str) -> dict[str, int]:
    with urlopen(base_url.removesuffix("/v1") + "/_stats", timeout=10) as answer:
        data: dict[str, int] = json.loads(answer.read())
        return data


def configure(base_url: str, bound: int) -> None:
    from django.conf import settings

    from clarion.agents import llm

    settings.CLARION_LLM = "openai-compatible:bench-model"
    settings.CLARION_LLM_BASE_URL = base_url
    settings.CLARION_LLM_MAX_CONCURRENCY = bound
    settings.CLARION_MAX_TURNS = MAX_TURNS
    settings.CLARION_PUBLISH_CONCURRENCY = 0
    llm.reset_models()


def fresh_database() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.core.management import call_command

        from clarion.agents.models import Agent
        from clarion.agents.roster import seed_builtin_team

        call_command("flush", interactive=False, verbosity=0)
        seed_builtin_team(Agent)


def reset(base_url: str) -> None:
    """Zero the server's counters, its peak in flight included."""
    request = Request(base_url.removesuffix("/v1") + "/_stats/reset", data=b"{}", method="POST")
    with urlopen(request, timeout=10):
        pass


def measured(
    name: str, base_url: str, latency: float, bound: int, work: Callable[[], float]
) -> dict[str, Any]:
    """Run ``work`` (which returns its own wall time) and read the server's counters."""
    reset(base_url)  # the peak in flight is this run's own
    wall = work()
    after = stats(base_url)
    calls = after["requests"] + after["failures"]
    limit = calls * latency / bound
    return {
        "name": name,
        "bound": bound,
        "wall": wall,
        "calls": calls,
        "limit": limit,
        "ratio": wall / limit if limit else float("nan"),
        "peak": after["max_in_flight"],
    }


def _brief(slug: str) -> Any:
    from clarion.brands.schemas import BrandBrief

    return BrandBrief.model_validate(
        {
            "brand_name": f"Roastery {slug}",
            "slug": slug,
            "positioning": "Small-batch coffee roasted to order and delivered within 48 hours.",
            "target_audience": "remote workers and home baristas",
            "value_props": ["roasted to order", "delivered within 48 hours"],
            "cta_targets": ["subscribe", "free tasting kit"],
        }
    )


def daily(brands: int, tag: str) -> Callable[[], float]:
    """The day's posts of ``brands`` brands on three networks, written and published."""
    from clarion.brands.services import create_brand
    from clarion.planning.models import MonthlyPlan, PlanSlot

    day = dt.date(2030, 1, 1) + dt.timedelta(days=int(tag))
    for n in range(brands):
        brand = create_brand(brief=_brief(f"daily-{tag}-{n}"))
        plan = MonthlyPlan.objects.create(
            brand=brand,
            month=day.replace(day=1),
            start_date=day,
            days=1,
            networks=["LinkedIn", "Facebook", "X"],
            guidelines={"language": "en-US"},
        )
        PlanSlot.objects.bulk_create(
            PlanSlot(
                plan=plan,
                date=day,
                network=network,
                slot=0,
                time_of_day=dt.time(9 + i),
                pillar="education",
                angle="benefit",
                hook="question",
                cta="subscribe",
                format="text",
                topic="Why freshly roasted beans taste better",
            )
            for i, network in enumerate(["LinkedIn", "Facebook", "X"])
        )

    def work() -> float:
        from clarion.publishing.orchestrator import run_daily

        started = time.perf_counter()
        run = run_daily(date=day, wait_for_deferred=0)
        assert run.counts.get("slots", 0) == brands * 3, run.counts
        return time.perf_counter() - started

    return work


def slogans(sessions: int, workers: int, bound: int, base_url: str) -> Callable[[], float]:
    """Background slogan sessions run by ``workers`` worker processes at the bound each."""
    from clarion.writing.services import enqueue_session

    queued = [
        enqueue_session(brief=f"A slogan for a bike repair café, take {n}", max_turns=MAX_TURNS)
        for n in range(sessions)
    ]

    def work() -> float:
        from django.db.models import Max, Min

        from clarion.agents.models import Job
        from clarion.writing.models import IterationSession

        env = {
            **os.environ,
            "CLARION_LLM": "openai-compatible:bench-model",
            "CLARION_LLM_BASE_URL": base_url,
            "CLARION_LLM_MAX_CONCURRENCY": str(bound),
            "CLARION_MAX_TURNS": str(MAX_TURNS),
            "CLARION_LOG_LEVEL": "ERROR",
        }
        command = [
            sys.executable, "-m", "clarion", "worker", "--batch", "--quiet",
            "--concurrency", str(bound), "--interval", "0.05",
        ]  # fmt: skip
        processes = [
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
            for _ in range(workers)
        ]
        for process in processes:
            process.wait(timeout=3600)
        pks = [s.pk for s in queued]
        done = IterationSession.objects.filter(pk__in=pks)
        assert done.filter(status="completed").count() == sessions
        jobs = Job.objects.filter(sessions__in=pks)
        span = jobs.aggregate(first=Min("started_at"), last=Max("finished_at"))
        return float((span["last"] - span["first"]).total_seconds())

    return work


def plan_topics(days: int, networks: list[str], slug: str) -> Callable[[], float]:
    from clarion.brands.services import create_brand

    brand = create_brand(brief=_brief(slug))

    def work() -> float:
        from clarion.planning.services import generate_monthly_plan

        started = time.perf_counter()
        generate_monthly_plan(
            brand=brand,
            start_date=dt.date(2030, 3, 1),
            days=days,
            networks=networks,
            batch_size=10,
        )
        return time.perf_counter() - started

    return work


def main() -> None:
    parser = argparse.ArgumentParser(description="model-bound paths against a fixed latency")
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--bound", type=int, default=8)
    parser.add_argument("--brands", type=int, default=12, help="daily run: brands × 3 networks")
    parser.add_argument("--sessions", type=int, default=24, help="background slogan sessions")
    parser.add_argument("--only", choices=["daily", "slogans", "plan"], action="append")
    args = parser.parse_args()

    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    from clarion import bootstrap

    bootstrap.ensure_database()
    from django.db import connection

    fresh_database()
    only = set(args.only or ["daily", "slogans", "plan"])
    bound, latency = args.bound, args.latency
    print(
        f"database: {connection.vendor}; latency {latency * 1000:.0f} ms; bound {bound}; "
        f"{MAX_TURNS} turns per session at most"
    )
    rows: list[dict[str, Any]] = []
    networks = ["LinkedIn", "Facebook", "X", "Mastodon", "Bluesky"]
    with chat_server(latency) as base_url:
        # A process's first model call builds the client and pydantic-ai's schemas (about a
        # second): made once here, untimed, so that every row measures the steady state.
        configure(base_url, bound)
        plan_topics(1, networks[:1], "warm-up")()
        if "daily" in only:
            configure(base_url, 1)
            rows.append(measured("daily (baseline)", base_url, latency, 1, daily(2, "0")))
            configure(base_url, bound)
            rows.append(measured("daily", base_url, latency, bound, daily(args.brands, "1")))
        if "slogans" in only:
            configure(base_url, bound)
            work = slogans(args.sessions, 1, bound, base_url)
            rows.append(measured("slogans, 1 worker", base_url, latency, bound, work))
        if "plan" in only:
            configure(base_url, 1)
            rows.append(
                measured(
                    "plan topics (baseline)",
                    base_url,
                    latency,
                    1,
                    plan_topics(14, networks[:3], "plan-base"),
                )
            )
            configure(base_url, bound)
            rows.append(
                measured("plan topics", base_url, latency, bound, plan_topics(31, networks, "plan"))
            )
    if "slogans" in only:  # a server of its own, so that its peak is this run's alone
        with chat_server(latency) as base_url:
            configure(base_url, bound)
            work = slogans(args.sessions, 3, bound, base_url)
            rows.append(measured("slogans, 3 workers", base_url, latency, bound, work))

    print(f"{'run':<24}{'bound':>6}{'wall s':>9}{'calls':>7}{'limit s':>9}{'ratio':>7}{'peak':>6}")
    for row in rows:
        print(
            f"{row['name']:<24}{row['bound']:>6}{row['wall']:>9.2f}{row['calls']:>7}"
            f"{row['limit']:>9.2f}{row['ratio']:>7.2f}{row['peak']:>6}"
        )
    worst = max((r for r in rows if r["bound"] == bound), key=lambda r: r["ratio"])
    over = [r["name"] for r in rows if r["peak"] > r["bound"]]
    print(f"worst ratio at bound {bound}: {worst['ratio']:.2f} ({worst['name']})")
    print("peak in flight within the bound everywhere" if not over else f"BOUND EXCEEDED: {over}")


if __name__ == "__main__":
    main()
