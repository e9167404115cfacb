"""Benchmark: the quality of the copy the offline engine writes, brief by brief.

For every brand brief in ``examples/briefs/`` (several industries, English and French, B2C
and B2B), it plans a month (``generate_monthly_plan``), writes every day's posts as a dry
run (``run_daily(dry_run=True)``: the writer ↔ reviewer loop per slot, nothing published),
then plans a campaign, regenerates it from phase 3 with a new direction and writes its A/B
variants. It prints, per brief, how many posts show each defect, measured with the same
detectors the reviewer runs (``clarion.writing.quality``) plus measurement-only ones:

- labels: posts showing the plan's labels (pillar, angle, hook style, format) as copy;
- grammar: posts with a broken pattern; cta: calls to action built in the wrong form;
- counts: "3 reasons" followed by another number of items; lang: a sentence in another language;
- tags: hashtags that come neither from the brand nor from the subject (measurement only);
- verbatim: posts pasting a brand line, a link or a request for secrets;
- guide: posts breaking the brand's do/don't rules;
- rep%: share of sentence occurrences (3+ words) that appear in another post of the month,
  top%: share of the month's posts carrying its most common sentence;
- polls: poll slots that got a runnable poll; 1st%: sessions approved at their first turn;
  turns: mean turns per session; cards: distinct media-card headlines / campaign posts.

    python3 bench/bench_copy.py                       # every brief, 31 days
    python3 bench/bench_copy.py --days 10 --show ledgerly atelier-velo
    python3 bench/bench_copy.py --briefs examples/briefs/planeo.yaml --no-campaign

``--show SLUG`` prints that brand's month (and campaign variants) to read it as a marketer
would. Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2027, 3, 1)
GOALS = {
    "northwind-coffee": (
        "Launch the winter blend to remote workers and grow subscriptions",
        "pivot to office teams",
    ),
    "ledgerly": (
        "Grow trial sign-ups among small agencies",
        "focus on agencies moving off spreadsheets",
    ),
    "atelier-velo": ("Faire connaître l'atelier aux familles", "cibler les étudiants"),
    "planeo": (
        "Lancer l'appli mobile auprès des gérants",
        "se concentrer sur les chaînes de restaurants",
    ),
    "brightside-yoga": ("Fill the new lunchtime classes", "focus on complete beginners"),
    "forge-field": ("Book site surveys with plant managers", "shift to food and beverage plants"),
}


@dataclass
class Written:
    """One written post: its text, poll, the labels of its slot and its session."""

    text: str
    labels: list[str]
    brief: str
    network: str
    where: str  # "2027-03-04 LinkedIn" or "p2_1 X B"
    session_id: int | None
    wants_poll: bool = False
    poll: dict[str, Any] | None = None


@dataclass
class Figures:
    slug: str
    lang: str
    posts: int = 0
    defects: Counter[str] = field(default_factory=Counter)
    stray_tags: int = 0
    repeated_share: float = 0.0
    top_share: float = 0.0
    top_sentence: str = ""
    poll_slots: int = 0
    polls_ok: int = 0
    sessions: int = 0
    first_turn: int = 0
    turns: int = 0
    approved: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    card_headlines: int = 0
    campaign_posts: int = 0
    seconds: float = 0.0


def _django() -> None:
    os.environ["CLARION_LOG_LEVEL"] = "ERROR"
    os.environ["CLARION_LLM"] = "offline"
    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-copy-"))
    from clarion import bootstrap

    bootstrap.ensure_database()


def _month(brand: Any, days: int) -> list[Written]:
    from clarion.planning.services import generate_monthly_plan
    from clarion.publishing.models import DailyContentPackage
    from clarion.publishing.orchestrator import run_daily

    generate_monthly_plan(brand=brand, start_date=START, days=days)
    for offset in range(days):
        run_daily(date=START + dt.timedelta(days=offset), brands=[brand], dry_run=True)
    written = []
    packages = DailyContentPackage.objects.filter(brand=brand, dry_run=True).order_by(
        "date", "network"
    )
    from clarion.publishing.channel import compose_brief

    for package in packages:
        slot = package.payload["slot"]
        labels = [slot.get("pillar", ""), slot.get("angle", ""), slot.get("hook", "")]
        labels.append(slot.get("format", ""))
        written.append(
            Written(
                text=package.content,
                labels=[x for x in labels if x],
                brief=compose_brief(package.payload),
                network=package.network,
                where=f"{package.date} {package.network:<8} {slot.get('format', '')}",
                session_id=package.session_id,
                wants_poll=slot.get("format") == "poll",
            )
        )
    return written


def _campaign(brand: Any, goal: str, direction: str) -> tuple[list[Written], list[str]]:
    from clarion.campaigns import media
    from clarion.campaigns.content import compose_brief, generate_content
    from clarion.campaigns.models import ContentVariant, Post
    from clarion.campaigns.services import create_campaign, regenerate_from_phase

    campaign = create_campaign(brand=brand, goal=goal, generate_content=False)
    regenerate_from_phase(
        campaign=campaign, phase_num=3, new_direction=direction, generate_content=False
    )
    campaign.refresh_from_db()
    generate_content(campaign=campaign)
    written = []
    variants = ContentVariant.objects.filter(post__campaign=campaign, post__is_active=True)
    for variant in variants.select_related("post").order_by("post__phase", "post__position"):
        post = variant.post
        meta = variant.metadata or {}
        written.append(
            Written(
                text=variant.content,
                labels=[meta.get("angle", ""), meta.get("hook_style", ""), post.phase_name],
                brief=compose_brief(campaign=campaign, post=post),
                network=variant.platform,
                where=f"{post.post_id} {variant.platform:<8} {variant.variant_id}",
                session_id=meta.get("session_id"),
                poll=meta.get("poll"),
            )
        )
    posts = Post.objects.filter(campaign=campaign, is_active=True)
    if hasattr(media, "campaign_headlines"):
        headlines = list(media.campaign_headlines(campaign).values())
    else:  # the engine before cards had their own headline: the hook, else the title
        headlines = [post.hook or post.title for post in posts]
    return written, headlines


def _context(item: Written, brand: Any) -> Any:
    from clarion.brands.services import brand_context
    from clarion.writing.quality import DraftContext

    return DraftContext(
        kind="post", brief=item.brief, brand=brand_context(brand), platform=item.network
    )


def measure(
    brand: Any, month: list[Written], campaign: list[Written], verbose: bool = False
) -> Figures:
    from clarion.brands.services import brand_context
    from clarion.writing.models import IterationSession
    from clarion.writing.quality import quality_issues
    from clarion.writing.quality.hashtags import stray_hashtags
    from clarion.writing.quality.labels import leaked_labels
    from clarion.writing.quality.repeats import repetition
    from clarion.writing.quality.text import language_family

    context = brand_context(brand)
    figures = Figures(slug=brand.slug, lang=language_family(brand.language))
    everything = [*month, *campaign]
    figures.posts = len(everything)
    material = [
        brand.brand_name,
        brand.positioning,
        brand.target_audience,
        *brand.value_props,
    ]
    for item in everything:
        ctx = _context(item, brand)
        codes = {issue.code for issue in quality_issues(item.text, ctx)}
        codes.discard("boilerplate")  # measured over the month below
        codes.discard("missing_poll")
        if leaked_labels(item.text, item.labels):
            codes.add("leaked_label")
        for code in codes:
            figures.defects[code] += 1
        fields = ctx.fields
        topic = [fields.subject, fields.goal, fields.objective, fields.hook_idea]
        stray = stray_hashtags(item.text, [*material, *topic])
        figures.stray_tags += len(stray)
        if verbose and (codes or stray):
            print(f"\n[defects {sorted(codes)} stray tags {stray}] {item.where}\n{item.text}")
    stats = repetition(i.text for i in month)
    figures.repeated_share, figures.top_share = stats.repeated_share, stats.top_share
    figures.top_sentence = stats.top_sentence
    sessions = {
        s.pk: s
        for s in IterationSession.objects.filter(
            pk__in=[i.session_id for i in everything if i.session_id]
        ).prefetch_related("turns")
    }
    for item in everything:
        session = sessions.get(item.session_id or 0)
        if session is None:
            continue
        turns = sorted(session.turns.all(), key=lambda t: t.turn_number)
        figures.sessions += 1
        figures.turns += len(turns)
        figures.first_turn += bool(turns and turns[0].approved)
        for turn in turns:
            figures.reasons.update(getattr(turn, "rejection_codes", None) or [])
        figures.approved += session.completion_reason == "approved"
        if item.wants_poll:
            figures.poll_slots += 1
            final = next((t for t in turns if t.turn_number == session.final_turn_number), None)
            poll = getattr(final, "poll", None) if final else None
            figures.polls_ok += bool(poll and 2 <= len(poll.get("options", [])) <= 4)
    del context
    return figures


def show(slug: str, month: list[Written], campaign: list[Written], turns: bool) -> None:
    from clarion.writing.models import Turn

    print(f"\n{'=' * 30} {slug} {'=' * 30}")
    for item in [*month, *campaign]:
        print(f"\n--- {item.where}")
        print(item.text)
        if item.poll:
            print(f"[poll] {item.poll}")
        if turns and item.session_id:
            for turn in Turn.objects.filter(session_id=item.session_id).order_by("turn_number"):
                verdict = "approved" if turn.approved else ", ".join(turn.rejection_codes)
                print(f"    turn {turn.turn_number}: {verdict}")
                for fix in turn.fixes if not turn.approved else []:
                    print(f"        {fix[:150]}")


def run_brief(
    path: Path, days: int, campaign: bool, shown: set[str], turns: bool, defects: bool = False
) -> Figures:
    from clarion.brands.services import create_brand, load_brief_file
    from clarion.writing.models import Turn

    started = time.monotonic()
    brief = load_brief_file(path)
    brand = create_brand(brief=brief)
    month = _month(brand, days)
    written, headlines = ([], [])
    if campaign:
        goal, direction = GOALS.get(
            brand.slug, (f"Grow {brand.brand_name}", "focus on new customers")
        )
        written, headlines = _campaign(brand, goal, direction)
    figures = measure(brand, month, written, verbose=defects)
    if month and any(i.wants_poll for i in month):
        polls = {
            t.session_id: getattr(t, "poll", None)
            for t in Turn.objects.filter(session_id__in=[i.session_id for i in month])
        }
        for item in month:
            item.poll = polls.get(item.session_id) if item.wants_poll else None
    figures.card_headlines = len(set(headlines))
    figures.campaign_posts = len(headlines)
    figures.seconds = time.monotonic() - started
    if brand.slug in shown:
        show(brand.slug, month, written, turns)
    return figures


COLUMNS = (
    ("posts", lambda f: f.posts),
    ("labels", lambda f: f.defects["leaked_label"]),
    ("grammar", lambda f: f.defects["broken_grammar"]),
    ("cta", lambda f: f.defects["cta_form"]),
    ("counts", lambda f: f.defects["count_mismatch"]),
    ("lang", lambda f: f.defects["wrong_language"]),
    ("tags", lambda f: f.stray_tags),
    ("verbatim", lambda f: f.defects["verbatim_brand"] + f.defects["unsafe_link"]
     + f.defects["unsafe_content"]),
    ("guide", lambda f: f.defects["guideline_dont"] + f.defects["guideline_do"]),
    ("rep%", lambda f: f"{100 * f.repeated_share:.0f}"),
    ("ok%", lambda f: f"{100 * f.approved / max(1, f.sessions):.0f}"),
    ("top%", lambda f: f"{100 * f.top_share:.0f}"),
    ("polls", lambda f: f"{f.polls_ok}/{f.poll_slots}"),
    ("1st%", lambda f: f"{100 * f.first_turn / max(1, f.sessions):.0f}"),
    ("turns", lambda f: f"{f.turns / max(1, f.sessions):.2f}"),
    ("cards", lambda f: f"{f.card_headlines}/{f.campaign_posts}"),
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", nargs="*", type=Path)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--no-campaign", action="store_true")
    parser.add_argument("--show", nargs="*", default=[], help="print these brands' posts")
    parser.add_argument("--turns", action="store_true", help="with --show: why turns failed")
    parser.add_argument("--defects", action="store_true", help="print every post with a defect")
    args = parser.parse_args()
    _django()
    paths = args.briefs or sorted((ROOT / "examples" / "briefs").glob("*.yaml"))
    shown = set(args.show)
    results = [
        run_brief(p, args.days, not args.no_campaign, shown, args.turns, args.defects)
        for p in paths
    ]
    header = f"{'brief':<18}{'lang':<5}" + "".join(f"{name:>9}" for name, _ in COLUMNS)
    print("\n" + header)
    for figures in results:
        row = "".join(f"{value(figures)!s:>9}" for _, value in COLUMNS)
        print(f"{figures.slug:<18}{figures.lang:<5}{row}")
    for figures in results:
        reasons = ", ".join(f"{code} {n}" for code, n in figures.reasons.most_common(8))
        print(f"{figures.slug}: why turns were sent back: {reasons or 'no rejection recorded'}")
    for figures in results:
        if figures.top_sentence:
            print(
                f"{figures.slug}: most repeated sentence ({100 * figures.top_share:.0f}% of "
                f"posts): {figures.top_sentence!r}  [{figures.seconds:.0f} s]"
            )


if __name__ == "__main__":
    main()
