"""Benchmark: writer ↔ reviewer sessions against a chat-completions server with fixed latency.

Runs N sessions through the real OpenAI-compatible path (HTTP on loopback) with
C sessions at a time and a per-model bound of C concurrent requests, then prints
wall time, calls, tokens and the ratio of the wall time to the limit
``calls × latency ÷ concurrency`` (1.0 would be perfect overlap). A run at
concurrency 1 in the same process is the baseline.

    python3 bench/bench_writing.py --sessions 48 --latency 0.2 --concurrency 8

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clarion.testing.chat_server import FakeChatServer

BRIEFS = (
    "A slogan for a bike repair café",
    "A slogan for a neighbourhood bakery that opens at 6am",
    "A slogan for an app that splits rent between flatmates",
    "A slogan for a climbing gym for beginners",
    "A slogan for a zero-waste grocery delivery",
    "A slogan for a language exchange meetup",
)


def run(sessions: int, latency: float, concurrency: int, max_turns: int) -> dict[str, float]:
    from django.conf import settings
    from django.db import connection

    from clarion.agents import llm
    from clarion.agents.models import Job
    from clarion.writing.services import run_session, start_session

    with FakeChatServer(latency=latency) as server:
        settings.CLARION_LLM = "openai-compatible:bench-model"
        settings.CLARION_LLM_BASE_URL = server.base_url
        settings.CLARION_LLM_MAX_CONCURRENCY = concurrency
        llm.reset_models()

        def one(index: int) -> tuple[str, int]:
            try:
                session = run_session(
                    start_session(
                        brief=f"{BRIEFS[index % len(BRIEFS)]} (#{index})", max_turns=max_turns
                    )
                )
                return session.completion_reason, session.job_id or 0
            finally:
                connection.close()

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            outcomes = list(pool.map(one, range(sessions)))
        wall = time.perf_counter() - started
        calls = server.requests
        jobs = Job.objects.filter(pk__in=[job for _, job in outcomes])
        tokens = sum(j.input_tokens + j.output_tokens for j in jobs)
        limit = calls * latency / concurrency
        return {
            "sessions": sessions,
            "concurrency": concurrency,
            "wall_s": wall,
            "calls": calls,
            "tokens": tokens,
            "approved": sum(1 for reason, _ in outcomes if reason == "approved"),
            "errors": sum(1 for reason, _ in outcomes if reason == "error"),
            "max_in_flight": server.max_in_flight,
            "limit_s": limit,
            "ratio": wall / limit if limit else float("nan"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=48)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per model request")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-turns", type=int, default=5)
    parser.add_argument(
        "--baseline-sessions", type=int, default=6, help="sessions for the concurrency-1 baseline"
    )
    args = parser.parse_args()

    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    from clarion import bootstrap

    bootstrap.ensure_database()
    from django.db import connection

    print(f"database: {connection.vendor}; latency {args.latency * 1000:.0f} ms per model request")
    rows = [
        run(args.baseline_sessions, args.latency, 1, args.max_turns),
        run(args.sessions, args.latency, args.concurrency, args.max_turns),
    ]
    header = f"{'run':<10}{'sessions':>9}{'conc':>6}{'wall s':>9}{'calls':>7}{'tokens':>9}{'approved':>9}{'errors':>7}{'peak':>6}{'limit s':>9}{'ratio':>7}"
    print(header)
    for name, row in zip(("baseline", "measured"), rows, strict=True):
        print(
            f"{name:<10}{row['sessions']:>9.0f}{row['concurrency']:>6.0f}{row['wall_s']:>9.2f}{row['calls']:>7.0f}"
            f"{row['tokens']:>9.0f}{row['approved']:>9.0f}{row['errors']:>7.0f}{row['max_in_flight']:>6.0f}"
            f"{row['limit_s']:>9.2f}{row['ratio']:>7.3f}"
        )
    measured = rows[1]
    target = 1.25
    verdict = "meets" if measured["ratio"] <= target else "misses"
    print(
        f"ratio at concurrency {args.concurrency}: {measured['ratio']:.3f} ({verdict} the target <= {target})"
    )


if __name__ == "__main__":
    main()
