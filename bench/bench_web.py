"""Benchmark: the API hot spots and the web pages on a big workspace.

Builds once, with bulk INSERTs, a workspace holding:

- a 500-post campaign in 6 phases, every post linked to the next phase, with A/B
  variants on 3 networks (3,000 variants), metrics on the published ones;
- 30 brands, each with one monthly plan per month and a slot per day on 5 networks
  from 152 days ago to 30 days ahead (the first brand's current month is a full
  31 × 5 month when the month has 31 days), and a ledger row per slot: 27,450
  publications, published with metrics in the past, some failed, awaiting approval
  today and tomorrow, pending ahead.

Then measures each endpoint and page with Django's test ``Client`` signed in as the
owner, in this process (the whole middleware and view stack, no HTTP server or
network): p50 and p95 over ``--requests`` requests after ``--warmup`` ones, the
SQL queries of one request, and the response size. A page whose URL name does not
resolve yet is skipped with a note. Targets: p95 <= 50 ms for JSON, <= 200 ms for
pages; ``p95/t`` is p95 / target (<= 1.00 meets it). The ``cpu`` columns are this
process's CPU time per request: on a busy machine they show what the wall time would
be without waiting for a core (on SQLite they include the database's work; on
PostgreSQL the server's work is in its own process and only in the wall time).

    python3 bench/bench_web.py --requests 50

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set
(then that database is emptied first).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

POSTS = 500
PHASES = 6
PLATFORMS = ("X", "LinkedIn", "Facebook")
NETWORKS = ("LinkedIn", "Facebook", "X", "Mastodon", "Bluesky")
PILLARS = (
    "education",
    "product",
    "social_proof",
    "behind_the_scenes",
    "community",
    "thought_leadership",
)
BRANDS = 30
DAYS_BACK = 152
DAYS_AHEAD = 30
JSON_TARGET_MS = 50.0
PAGE_TARGET_MS = 200.0
PASSWORD = "a long enough bench passphrase"
TEXT = (
    "Roasted on Monday, at your door on Wednesday: taste what 48 hours from the roaster "
    "does to a single-origin bean. Start your subscription and get a free tasting kit."
)


@dataclass
class World:
    user: Any
    campaign_id: str
    brand_slug: str
    today: dt.date
    start: dt.date
    end: dt.date
    publications: int
    variants: int


def _django() -> None:
    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("CLARION_LLM", "offline")
    from clarion import bootstrap

    bootstrap.ensure_database()


def _flush_postgres() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        from clarion.agents.models import Agent
        from clarion.agents.roster import seed_builtin_team

        seed_builtin_team(Agent)


def make_campaign(brand: Any) -> tuple[str, int]:
    from clarion.campaigns.models import Campaign, ContentVariant, Post, PostLink

    campaign = Campaign.objects.create(
        campaign_id="bench-big-launch",
        brand=brand,
        name="Single-origin subscription launch",
        description="Win 5,000 subscribers for the single-origin subscription this season.",
        metadata={"platforms": list(PLATFORMS)},
        current_version=1,
    )
    per_phase = [POSTS // PHASES + (1 if p < POSTS % PHASES else 0) for p in range(PHASES)]
    Post.objects.bulk_create(
        (
            Post(
                campaign=campaign,
                post_id=f"p{phase}-{n}",
                phase=phase,
                phase_name=f"Phase {phase}: {('Awareness', 'Interest', 'Trial', 'Launch', 'Loyalty', 'Referral')[phase - 1]}",
                position=n,
                title=f"Freshness, told {n} ways (phase {phase})",
                objective="Move readers one step closer to a first subscription.",
                hook="What changes when your beans are roasted this week?",
                status="published" if phase == 1 else "ready",
                selected_variant="A",
                metrics={"impressions": 1000 + n, "likes": n % 40, "clicks": n % 9}
                if phase == 1
                else {},
            )
            for phase, count in enumerate(per_phase, start=1)
            for n in range(1, count + 1)
        ),
        batch_size=500,
    )
    posts = list(campaign.posts.order_by("phase", "position"))
    by_phase: dict[int, list[Any]] = {}
    for post in posts:
        by_phase.setdefault(post.phase, []).append(post)
    links = []
    for phase in range(1, PHASES):
        targets = by_phase[phase + 1]
        for i, source in enumerate(by_phase[phase]):
            links.append(PostLink(source=source, target=targets[i % len(targets)]))
            if i % 3 == 0:
                links.append(PostLink(source=source, target=targets[(i + 1) % len(targets)]))
    PostLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    variants = [
        ContentVariant(
            post=post,
            platform=platform,
            variant_id=variant,
            content=f"{TEXT} ({post.post_id}, {platform}, {variant})",
            metadata={"hashtags": ["#coffee", "#freshroast"], "length": len(TEXT)},
            is_approved=post.phase == 1 and variant == "A",
        )
        for post in posts
        for platform in PLATFORMS
        for variant in ("A", "B")
    ]
    ContentVariant.objects.bulk_create(variants, batch_size=1000)
    return campaign.campaign_id, len(variants)


def make_ledger(workspace: Any, today: dt.date) -> tuple[str, int, dt.date, dt.date]:
    """Brands, plans, slots and a ledger row per slot from DAYS_BACK ago to DAYS_AHEAD on."""
    from clarion.brands.models import Brand
    from clarion.planning.models import MonthlyPlan, PlanSlot
    from clarion.publishing.ledger import idempotency_key
    from clarion.publishing.models import ChannelAccount, Publication

    start = today - dt.timedelta(days=DAYS_BACK)
    end = today + dt.timedelta(days=DAYS_AHEAD)
    month_start = today.replace(day=1)
    month_end = month_start.replace(day=calendar.monthrange(today.year, today.month)[1])
    Brand.objects.bulk_create(
        Brand(
            workspace=workspace,
            slug=f"roastery-{i:02d}",
            brand_name=f"Roastery {i:02d}",
            positioning="Small-batch coffee roasted to order and delivered within 48 hours.",
            target_audience="remote workers and home baristas",
            value_props=["roasted to order", "delivered within 48 hours"],
            tone="friendly",
            cta_targets=["subscribe", "free tasting kit"],
            banned_terms=["cheap"],
        )
        for i in range(BRANDS)
    )
    brands = list(Brand.objects.filter(workspace=workspace).order_by("slug"))
    ChannelAccount.objects.bulk_create(
        ChannelAccount(brand=b, platform=n, handle="outbox") for b in brands for n in NETWORKS
    )
    accounts = {(a.brand_id, a.platform): a for a in ChannelAccount.objects.all()}
    months = sorted(
        {(start + dt.timedelta(days=d)).replace(day=1) for d in range((end - start).days + 1)}
    )
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(
            brand=b,
            month=m,
            start_date=max(m, start),
            days=calendar.monthrange(m.year, m.month)[1],
            networks=list(NETWORKS),
            guidelines={"tone": "friendly", "language": "en-US"},
        )
        for b in brands
        for m in months
    )
    plans = {(p.brand_id, p.month): p for p in MonthlyPlan.objects.all()}
    days = [start + dt.timedelta(days=d) for d in range((end - start).days + 1)]
    # The first brand's current month is planned whole; the others from ``start`` to ``end``.
    first = brands[0]
    slot_days = {
        b.pk: sorted(
            set(days) | {month_start + dt.timedelta(days=d) for d in range(month_end.day)}
            if b.pk == first.pk
            else set(days)
        )
        for b in brands
    }
    PlanSlot.objects.bulk_create(
        (
            PlanSlot(
                plan=plans[(b.pk, day.replace(day=1))],
                date=day,
                network=network,
                slot=0,
                time_of_day=dt.time(8 + 2 * n + (day.toordinal() % 2)),
                pillar=PILLARS[(day.toordinal() + n) % len(PILLARS)],
                angle="benefit",
                hook="question",
                cta="subscribe",
                format="text",
                topic=f"Why freshly roasted beans taste better ({network}, {day})",
            )
            for b in brands
            for day in slot_days[b.pk]
            for n, network in enumerate(NETWORKS)
        ),
        batch_size=2000,
    )

    def state(day: dt.date, k: int) -> str:
        if day < today:
            return "failed" if k % 23 == 0 else "published"
        if day <= today + dt.timedelta(days=1):
            return "awaiting_approval" if k % 4 == 0 else "pending"
        return "pending"

    rows = []
    slots = PlanSlot.objects.filter(date__gte=start, date__lte=end).select_related("plan")
    for k, s in enumerate(slots, start=1):
        b_id = s.plan.brand_id
        account = accounts[(b_id, s.network)]
        st = state(s.date, k)
        rows.append(
            Publication(
                brand_id=b_id,
                account=account,
                network=s.network,
                date=s.date,
                slot=s.slot,
                plan_slot=s,
                idempotency_key=idempotency_key(
                    brand_id=b_id, account_id=account.pk, day=s.date, slot=s.slot
                ),
                content=TEXT if s.date <= today + dt.timedelta(days=1) else "",
                state=st,
                error="HTTP 503 from the network" if st == "failed" else "",
                scheduled_at=dt.datetime.combine(s.date, s.time_of_day, tzinfo=dt.UTC),
                metrics={
                    "impressions": 400 + k % 700,
                    "likes": k % 57,
                    "comments": k % 7,
                    "shares": k % 11,
                    "clicks": k % 19,
                }
                if st == "published"
                else {},
            )
        )
    Publication.objects.bulk_create(rows, batch_size=2000)
    return first.slug, len(rows), start, end


def build() -> World:
    from clarion.accounts.models import Membership
    from clarion.accounts.services import create_user

    _flush_postgres()
    today = dt.date.today()
    user = create_user(email="owner@bench.example", password=PASSWORD, role="owner")
    workspace = Membership.objects.get(user=user).workspace
    slug, publications, start, end = make_ledger(workspace, today)
    from clarion.brands.models import Brand

    campaign_id, variants = make_campaign(Brand.objects.get(workspace=workspace, slug=slug))
    return World(user, campaign_id, slug, today, start, end, publications, variants)


@dataclass
class Target:
    label: str
    url: str | None
    kind: str  # "json" or "page"
    note: str = ""


def _page(name: str, world: World) -> tuple[str | None, str]:
    """The URL of a page by name, trying the obvious arguments; or why not."""
    from django.urls import NoReverseMatch, reverse

    today = world.today
    tries: list[dict[str, Any]] = [
        {},
        {"campaign_id": world.campaign_id},
        {"slug": world.brand_slug},
        {"brand": world.brand_slug},
        {"year": today.year, "month": today.month},
        {"brand": world.brand_slug, "year": today.year, "month": today.month},
        {"slug": world.brand_slug, "year": today.year, "month": today.month},
        {"day": today.isoformat()},
        {"date": today.isoformat()},
    ]
    for kwargs in tries:
        try:
            return reverse(name, kwargs=kwargs or None), ""
        except NoReverseMatch:
            continue
    return None, f"skipped: {name} does not resolve (yet)"


def targets(world: World) -> list[Target]:
    api = f"/api/campaigns/{world.campaign_id}"
    period = f"start={world.start}&end={world.end}"
    found = [
        Target("API campaign graph", f"{api}/graph", "json"),
        Target("API campaign metrics", f"{api}/metrics", "json"),
        Target("API campaign detail", api, "json"),
        Target("API performance (all rows)", f"/api/analytics/performance?{period}", "json"),
        Target("API performance (30 days)", "/api/analytics/performance", "json"),
        Target("API brands list", "/api/brands", "json"),
    ]
    pages = [
        ("web:home", ""),
        ("campaigns:list-campaigns", ""),
        ("campaigns:show-campaign", ""),
        ("planning:show-calendar", f"?brand={world.brand_slug}"),
        ("publishing:list-approvals", ""),
        ("publishing:show-day", ""),
        ("publishing:show-analytics", ""),
        ("brands:list-brands", ""),
        ("agents:list-jobs", ""),
    ]
    for name, query in pages:
        url, note = _page(name, world)
        found.append(Target(f"page {name}", url + query if url else None, "page", note))
    return found


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def measure(client: Any, target: Target, requests: int, warmup: int) -> dict[str, Any]:
    from django.db import connection

    assert target.url is not None
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(target.url)
    if response.status_code != 200:
        return {"status": response.status_code}
    for _ in range(warmup):
        client.get(target.url)
    times, cpu = [], []
    for _ in range(requests):
        started, used = time.perf_counter(), time.process_time()
        client.get(target.url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return {
        "status": 200,
        "p50": statistics.median(times),
        "p95": _p95(times),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": _p95(cpu),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="API hot spots and web pages, p50/p95")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    _django()
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    world = build()
    built = time.perf_counter() - started
    gc.collect()  # the build's garbage is no request's
    import clarion.wsgi  # noqa: F401  # start-up as a server worker's: URLconf loaded, gc.freeze()

    print(
        f"database: {connection.vendor}; built in {built:.1f} s: a {POSTS}-post campaign in "
        f"{PHASES} phases ({world.variants} variants), {BRANDS} brands, "
        f"{world.publications} publications from {world.start} to {world.end}"
    )
    print(
        f"Django test Client in-process, signed in as the owner; {args.requests} requests "
        f"after {args.warmup} warm-up per URL"
    )
    client = Client()
    client.force_login(world.user)
    print(
        f"{'what':<36}{'p50 ms':>8}{'p95 ms':>8}{'target':>8}{'p95/t':>7}"
        f"{'cpu p50':>8}{'cpu p95':>8}{'queries':>8}{'KB':>8}"
    )
    misses = []
    for target in targets(world):
        if target.url is None:
            print(f"{target.label:<36}  {target.note}")
            continue
        row = measure(client, target, args.requests, args.warmup)
        if row["status"] != 200:
            print(f"{target.label:<36}  skipped: {target.url} answered {row['status']}")
            continue
        goal = JSON_TARGET_MS if target.kind == "json" else PAGE_TARGET_MS
        ratio = row["p95"] / goal
        if ratio > 1:
            misses.append(target.label)
        print(
            f"{target.label:<36}{row['p50']:>8.1f}{row['p95']:>8.1f}{goal:>8.0f}{ratio:>7.2f}"
            f"{row['cpu_p50']:>8.1f}{row['cpu_p95']:>8.1f}{row['queries']:>8}"
            f"{row['bytes'] / 1024:>8.1f}"
        )
    print("all measured URLs meet their target" if not misses else f"misses: {', '.join(misses)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average when done: {load:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
