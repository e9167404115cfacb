"""Benchmark: writer ↔ reviewer sessions against a chat-completions server with fixed latency.

Runs N sessions through the real OpenAI-compatible path (HTTP on loopback, the
server in its own process as a real model server would be) with C sessions at a
time and a per-model bound of C concurrent requests, then prints wall time,
calls, tokens and the ratio of the wall time to the limit
``calls × latency ÷ concurrency`` (1.0 would be perfect overlap). A run at
concurrency 1 in the same process is the baseline.

    python3 bench/bench_writing.py --sessions 48 --latency 0.5 --concurrency 8

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BRIEFS = (
    "A slogan for a bike repair café",
    "A slogan for a neighbourhood bakery that opens at 6am",
    "A slogan for an app that splits rent between flatmates",
    "A slogan for a climbing gym for beginners",
    "A slogan for a zero-waste grocery delivery",
    "A slogan for a language exchange meetup",
)


def _serve(latency: float, urls: Any, stop: Any) -> None:
    import clarion.agents.offline  # noqa: F401  # loaded before the first request, not during it
    from clarion.testing.chat_server import FakeChatServer

    with FakeChatServer(latency=latency) as server:
        urls.put(server.base_url)
        stop.wait()


@contextmanager
def chat_server(latency: float) -> Iterator[str]:
    """A FakeChatServer in its own process; yields its base URL."""
    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    stop = context.Event()
    process = context.Process(target=_serve, args=(latency, urls, stop), daemon=True)
    process.start()
    try:
        yield urls.get(timeout=60)
    finally:
        stop.set()
        process.join(timeout=10)


def run(
    base_url: str, sessions: int, latency: float, concurrency: int, max_turns: int
) -> dict[str, float]:
    from django.conf import settings
    from django.db import connection

    from clarion.agents import llm
    from clarion.agents.models import Job
    from clarion.writing.services import run_session, start_session

    settings.CLARION_LLM = "openai-compatible:bench-model"
    settings.CLARION_LLM_BASE_URL = base_url
    settings.CLARION_LLM_MAX_CONCURRENCY = concurrency
    llm.reset_models()

    def one(index: int) -> tuple[str, int]:
        try:
            brief = f"{BRIEFS[index % len(BRIEFS)]} (#{index})"
            session = run_session(start_session(brief=brief, max_turns=max_turns))
            return session.completion_reason, session.job_id or 0
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(one, range(sessions)))
    wall = time.perf_counter() - started
    jobs = list(Job.objects.filter(pk__in=[job for _, job in outcomes]))
    calls = sum(j.requests for j in jobs)
    limit = calls * latency / concurrency
    return {
        "sessions": sessions,
        "concurrency": concurrency,
        "wall_s": wall,
        "calls": calls,
        "tokens": sum(j.input_tokens + j.output_tokens for j in jobs),
        "approved": sum(1 for reason, _ in outcomes if reason == "approved"),
        "errors": sum(1 for reason, _ in outcomes if reason == "error"),
        "limit_s": limit,
        "ratio": wall / limit if limit else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description="writer ↔ reviewer sessions against a fixed-latency server"
    )
    parser.add_argument("--sessions", type=int, default=48)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model request")
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
    with chat_server(args.latency) as base_url:
        run(base_url, 2, args.latency, 1, args.max_turns)  # warm-up: imports, connections
        rows = [
            ("baseline", run(base_url, args.baseline_sessions, args.latency, 1, args.max_turns)),
            (
                "measured",
                run(base_url, args.sessions, args.latency, args.concurrency, args.max_turns),
            ),
        ]
    print(
        f"{'run':<10}{'sessions':>9}{'conc':>6}{'wall s':>9}{'calls':>7}{'tokens':>9}"
        f"{'tok/call':>9}{'approved':>9}{'errors':>7}{'limit s':>9}{'ratio':>7}"
    )
    for name, row in rows:
        print(
            f"{name:<10}{row['sessions']:>9.0f}{row['concurrency']:>6.0f}{row['wall_s']:>9.2f}{row['calls']:>7.0f}"
            f"{row['tokens']:>9.0f}{row['tokens'] / max(row['calls'], 1):>9.0f}{row['approved']:>9.0f}"
            f"{row['errors']:>7.0f}{row['limit_s']:>9.2f}{row['ratio']:>7.3f}"
        )
    measured = rows[1][1]
    target = 1.25
    verdict = "meets" if measured["ratio"] <= target else "misses"
    print(
        f"ratio at concurrency {args.concurrency}: {measured['ratio']:.3f} ({verdict} the target <= {target})"
    )


if __name__ == "__main__":
    main()
