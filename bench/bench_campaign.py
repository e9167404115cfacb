"""Benchmark: content for a 4-phase campaign against a chat-completions server with fixed latency.

Builds a campaign directly with the ORM (phases of 3, 4, 4 and 4 posts; X,
LinkedIn and Facebook; variants A and B: 90 writer ↔ reviewer sessions), then
times ``generate_content`` against a FakeChatServer in its own process (the
offline engine answers, after ``--latency`` seconds per request). Prints wall
time, model calls, tokens per approved variant, and the ratio of the wall time
to the limit ``calls × latency ÷ concurrency`` (1.0 would be perfect overlap).
A one-post campaign runs first as a warm-up (imports, HTTP connections), as in
``bench_writing.py``.

    python3 bench/bench_campaign.py --latency 0.5 --concurrency 8

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_writing import chat_server

PHASES = (3, 4, 4, 4)
PHASE_NAMES = ("Awareness", "Consideration", "Launch", "Loyalty")
PLATFORMS = ("X", "LinkedIn", "Facebook")
TOPICS = (
    "coffee roasted to order",
    "delivery within 48 hours",
    "a tasting kit for home baristas",
    "the single-origin subscription",
    "brewing better coffee at home",
)


def make_campaign(run: int, phases: tuple[int, ...] = PHASES) -> Any:
    from clarion.brands.models import Brand
    from clarion.brands.schemas import BrandBrief
    from clarion.brands.services import create_brand
    from clarion.campaigns.models import Campaign, Post, PostLink

    brand = Brand.objects.filter(slug="northwind-coffee").first() or create_brand(
        brief=BrandBrief(
            brand_name="Northwind Coffee",
            positioning="Small-batch coffee roasted to order and delivered within 48 hours.",
            target_audience="remote workers and home baristas",
            value_props=["roasted to order", "delivered within 48 hours"],
            tone="friendly",
            cta_targets=["subscribe", "free tasting kit"],
            banned_terms=["cheap", "guaranteed"],
        )
    )
    campaign = Campaign.objects.create(
        campaign_id=f"bench-launch-{run}-{int(time.time())}",
        brand=brand,
        name="Single-origin subscription launch",
        description="Win 500 subscribers for the new single-origin subscription in six weeks.",
        metadata={"platforms": list(PLATFORMS)},
    )
    previous: list[Post] = []
    number = 0
    for phase, count in enumerate(phases, start=1):
        current = []
        for position in range(1, count + 1):
            topic = TOPICS[number % len(TOPICS)]
            number += 1
            current.append(
                Post.objects.create(
                    campaign=campaign,
                    post_id=f"p{phase}-{position}",
                    phase=phase,
                    phase_name=PHASE_NAMES[phase - 1],
                    position=position,
                    title=f"{topic.capitalize()} ({PHASE_NAMES[phase - 1].lower()})",
                    objective=f"Move readers from {PHASE_NAMES[phase - 1].lower()} to the next step.",
                    hook=f"What changes when you try {topic}?",
                )
            )
        for index, post in enumerate(current):
            if previous:
                PostLink.objects.create(source=previous[index % len(previous)], target=post)
        previous = current
    return campaign


def run(
    base_url: str,
    latency: float,
    concurrency: int,
    index: int,
    phases: tuple[int, ...] = PHASES,
) -> dict[str, float]:
    from django.conf import settings

    from clarion.agents import llm
    from clarion.campaigns.content import generate_content

    settings.CLARION_LLM = "openai-compatible:bench-model"
    settings.CLARION_LLM_BASE_URL = base_url
    settings.CLARION_LLM_MAX_CONCURRENCY = concurrency
    llm.reset_models()
    campaign = make_campaign(index, phases)

    started = time.perf_counter()
    report = generate_content(campaign=campaign)
    wall = time.perf_counter() - started
    limit = report.calls * latency / concurrency
    return {
        "posts": report.posts,
        "variants": report.written,
        "failed": report.failed,
        "approved": report.approved,
        "calls": report.calls,
        "tokens": report.tokens,
        "wall_s": wall,
        "limit_s": limit,
        "ratio": wall / limit if limit else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description="campaign content generation against a fixed-latency server"
    )
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model request")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1, help="measured runs (fresh campaign each)")
    args = parser.parse_args()

    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    from clarion import bootstrap

    bootstrap.ensure_database()
    from django.db import connection

    print(
        f"database: {connection.vendor}; latency {args.latency * 1000:.0f} ms per model request; "
        f"concurrency {args.concurrency}; {sum(PHASES)} posts × {len(PLATFORMS)} networks × 2 variants"
    )
    with chat_server(args.latency) as base_url:
        # warm-up on a one-post campaign: imports, the HTTP client, connections
        run(base_url, args.latency, args.concurrency, 0, phases=(1,))
        rows = [run(base_url, args.latency, args.concurrency, i) for i in range(1, args.runs + 1)]
    print(
        f"{'run':<5}{'posts':>6}{'variants':>9}{'failed':>7}{'approved':>9}{'calls':>7}"
        f"{'tokens':>9}{'tok/appr':>9}{'wall s':>9}{'limit s':>9}{'ratio':>7}"
    )
    for number, row in enumerate(rows, start=1):
        per_approved = row["tokens"] / row["approved"] if row["approved"] else float("nan")
        print(
            f"{number:<5}{row['posts']:>6.0f}{row['variants']:>9.0f}{row['failed']:>7.0f}"
            f"{row['approved']:>9.0f}{row['calls']:>7.0f}{row['tokens']:>9.0f}{per_approved:>9.0f}"
            f"{row['wall_s']:>9.2f}{row['limit_s']:>9.2f}{row['ratio']:>7.3f}"
        )
    worst = max(row["ratio"] for row in rows)
    target = 1.25
    verdict = "meets" if worst <= target else "misses"
    print(
        f"ratio at concurrency {args.concurrency}: {worst:.3f} ({verdict} the target <= {target})"
    )


if __name__ == "__main__":
    main()
