"""Content for a campaign's posts: A/B variants per network, each through the writer ↔ reviewer loop.

For every active post and every target network of the campaign, each variant
(A and B by default) is one writing session (``clarion.writing.services``) with
its own angle and hook style, so the variants of a post really differ. A
variant is stored as a ContentVariant when its session ends with text; a
session that ends in a model error stores nothing and is reported, so the next
run writes it again. Every run first finds what is already stored (one query)
and skips it: running twice is harmless and cheap.

Sessions run in a thread pool sized to keep the per-model concurrency bound
(``CLARION_LLM_MAX_CONCURRENCY``) busy; the bound itself is enforced by the
shared model loop (``clarion.agents.runtime``). When every variant of a post is
stored, the post becomes ready with the best-scoring variant selected; when
every active post is, the campaign is ready. A run that could not write some
variants leaves the campaign in ``content_missing`` with the reasons
(``Campaign.content_failures``); queueing the missing content again finishes it.

After a crash nothing is written twice: a session of an earlier run that
completed is stored without a model call, and one whose process died is taken
over and resumed after its last reviewed turn rather than started anew
(``clarion.campaigns.recovery`` cancels those whose variant is no longer wanted).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from django.db.models import F, Sum
from django.utils import timezone
from django_tasks import TaskResultStatus

from clarion.agents.jobs import new_job
from clarion.agents.models import Job
from clarion.brands.models import Brand
from clarion.campaigns.media import redraw_cards, render_card, stored_card
from clarion.campaigns.models import Campaign, CampaignStage, ContentVariant, Post, PostStatus
from clarion.core import platforms
from clarion.core.errors import InvalidInput
from clarion.core.liveness import Liveness, process_id
from clarion.writing.checks import MAX_BRIEF_CHARS
from clarion.writing.models import CompletionReason, IterationSession, SessionOrigin, SessionStatus
from clarion.writing.services import end_after_error, run_session, start_session

logger = logging.getLogger(__name__)

DEFAULT_PLATFORMS: tuple[str, ...] = (
    platforms.Platform.X.value,
    platforms.Platform.LINKEDIN.value,
    platforms.Platform.FACEBOOK.value,
)


@dataclass(frozen=True)
class Angle:
    """How one variant approaches a post: the angle and the hook style the writer is asked for."""

    angle: str
    hook_style: str


# Consecutive entries pair up (benefit vs story, problem vs proof, tips vs myth):
# variant i of a post takes entry (2 × (post's slot) + i), so A and B always differ.
ANGLES: tuple[Angle, ...] = (
    Angle("benefit-led: what the reader gains", "bold claim"),
    Angle("story-led: one customer's moment", "story"),
    Angle("problem and solution", "question"),
    Angle("social proof: numbers and results", "statistic"),
    Angle("practical tips", "how-to"),
    Angle("myth-busting", "contrarian"),
)

# A post in one of these statuses has its content (or is further along).
CONTENT_DONE = (PostStatus.READY, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.PUBLISHED)

Outcome = Literal["written", "failed", "skipped", "busy"]

_UNFINISHED = (SessionStatus.PENDING, SessionStatus.RUNNING)


@dataclass(frozen=True)
class ContentProgress:
    """One variant finished: written, failed, skipped (its post was archived meanwhile) or
    busy (another live process is writing it)."""

    post_id: str
    platform: str
    variant_id: str
    outcome: Outcome
    completed: int
    total: int
    message: str = ""


@dataclass
class ContentReport:
    """What one run did: variants written, skipped (already stored) and failed, and the cost."""

    campaign_id: str
    posts: int = 0
    written: int = 0
    recovered: int = 0
    skipped: int = 0
    failed: int = 0
    busy: int = 0
    approved: int = 0
    cards: int = 0
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    failures: list[str] = field(default_factory=list)
    stage: str = ""

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def complete(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tokens": self.tokens}


ProgressHandler = Callable[[ContentProgress], None]


@dataclass(frozen=True)
class _Work:
    """One variant to write: a post, a network and a variant id with its angle."""

    post_pk: int
    post_id: str
    campaign_pk: int
    platform: str
    variant_id: str
    angle: Angle
    brief: str


@dataclass(frozen=True)
class _Result:
    work: _Work
    outcome: Outcome
    job_pk: int | None
    approved: bool = False
    message: str = ""


def campaign_platforms(campaign: Campaign) -> list[str]:
    """The networks a campaign writes for (``metadata["platforms"]``; X, LinkedIn, Facebook if unset)."""
    names = campaign.platforms or list(DEFAULT_PLATFORMS)
    try:
        parsed = [platforms.parse_platform(str(name)).value for name in names]
    except ValueError as exc:
        raise InvalidInput("platforms", str(exc)) from exc
    return list(dict.fromkeys(parsed))


def variant_angle(post: Post, index: int) -> Angle:
    """The angle of the ``index``-th variant of ``post``: fixed by the post's place in the graph."""
    slot = (post.phase + post.position) % (len(ANGLES) // 2)
    return ANGLES[(2 * slot + index) % len(ANGLES)]


def compose_brief(*, campaign: Campaign, post: Post) -> str:
    """The writer's brief for one post: its subject first, then objective, hook, phase and goal."""
    parts = [
        f"Write a post about {_clip(post.title, 200).rstrip('.')}.",
        f"Objective: {_clip(post.objective, 300)}" if post.objective.strip() else "",
        f"Hook idea: {_clip(post.hook, 200)}" if post.hook.strip() else "",
        f"Campaign phase {post.phase}"
        + (f": {_clip(post.phase_name, 100)}" if post.phase_name else "")
        + ".",
        f"Campaign goal: {_clip(campaign.description, 250)}"
        if campaign.description.strip()
        else "",
    ]
    return "\n".join(p for p in parts if p)[:MAX_BRIEF_CHARS]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _validate_variants(variants: Sequence[str]) -> list[str]:
    ids = [v.strip().upper() for v in variants]
    if not ids or any(not v or len(v) > 8 for v in ids) or len(set(ids)) != len(ids):
        raise InvalidInput("variants", "give distinct variant ids of 1 to 8 characters")
    if len(ids) > len(ANGLES):
        raise InvalidInput("variants", f"at most {len(ANGLES)} variants (one angle each)")
    return ids


def pool_size(work_items: int) -> int:
    """Threads for ``work_items`` sessions: enough that the model bound always has callers waiting.

    A session spends part of its time on database writes between model calls, so
    the pool holds twice the bound: while one thread stores a turn, another's
    request takes its model slot.
    """
    return max(1, min(work_items, 2 * settings.CLARION_LLM_MAX_CONCURRENCY))


def generate_content(
    *,
    campaign: Campaign,
    post_ids: list[int] | None = None,
    variants: Sequence[str] = ("A", "B"),
    on_progress: ProgressHandler | None = None,
) -> ContentReport:
    """Write every missing variant of the campaign's active posts (or of ``post_ids``, by pk).

    Also renders the media card of every post that lacks one. Returns what was
    written, skipped and failed; never raises for a model failure (the variant is
    reported and left for the next run).
    """
    variant_ids = _validate_variants(variants)
    targets = campaign_platforms(campaign)
    brand = campaign.brand
    posts_query = Post.objects.filter(campaign=campaign, is_active=True)
    if post_ids is not None:
        posts_query = posts_query.filter(pk__in=post_ids)
    posts = list(posts_query.order_by("phase", "position", "id"))
    for post in posts:
        post.campaign = campaign
    report = ContentReport(campaign_id=campaign.campaign_id, posts=len(posts))
    done = set(
        ContentVariant.objects.filter(
            post__in=[p.pk for p in posts], platform__in=targets, variant_id__in=variant_ids
        ).values_list("post_id", "platform", "variant_id")
    )
    work = [
        _Work(
            post_pk=post.pk,
            post_id=post.post_id,
            campaign_pk=campaign.pk,
            platform=platform,
            variant_id=variant_id,
            angle=variant_angle(post, index),
            brief=compose_brief(campaign=campaign, post=post),
        )
        for post in posts
        for platform in targets
        for index, variant_id in enumerate(variant_ids)
        if (post.pk, platform, variant_id) not in done
    ]
    report.skipped = len(posts) * len(targets) * len(variant_ids) - len(work)
    if work:
        _set_stage(campaign, CampaignStage.GENERATING)
    finished = _finished_sessions(campaign, work)
    for item in [w for w in work if _key(w) in finished]:
        # A session that completed in an earlier run whose variant was never stored
        # (the process died in between): its text is kept, no model call needed.
        _store_variant(item, finished[_key(item)], targets=targets, variant_ids=variant_ids)
        report.recovered += 1
    work = [w for w in work if _key(w) not in finished]

    results = _run_all(
        work,
        brand=brand,
        targets=targets,
        variant_ids=variant_ids,
        on_progress=on_progress,
        side_work=lambda: _render_missing_cards(posts, report),
    )
    order = {item: index for index, item in enumerate(work)}
    results.sort(key=lambda r: order[r.work])
    job_pks = [r.job_pk for r in results if r.job_pk is not None]
    missing: list[str] = []
    for result in results:
        item = result.work
        line = f"{item.post_id} {item.platform} {item.variant_id}: {result.message}"
        if result.outcome == "written":
            report.written += 1
            report.approved += result.approved
        elif result.outcome == "skipped":
            report.skipped += 1
        elif result.outcome == "busy":
            report.busy += 1
        else:
            report.failed += 1
            report.failures.append(line)
            missing.append(line)
    if job_pks:
        totals = Job.objects.filter(pk__in=job_pks).aggregate(
            calls=Sum("requests"),
            input_tokens=Sum("input_tokens"),
            output_tokens=Sum("output_tokens"),
        )
        report.calls = totals["calls"] or 0
        report.input_tokens = totals["input_tokens"] or 0
        report.output_tokens = totals["output_tokens"] or 0

    # Posts whose variants were all stored before this run (or by a concurrent one).
    for post_pk in Post.objects.filter(
        pk__in=[p.pk for p in posts], status=PostStatus.DRAFT
    ).values_list("pk", flat=True):
        with transaction.atomic():
            _complete_post(post_pk, targets=targets, variant_ids=variant_ids)
    redraw_cards(campaign, [p.pk for p in posts if p.status == PostStatus.DRAFT])
    report.stage = settle_stage(campaign, missing=missing, busy=report.busy)
    return report


def settle_stage(campaign: Campaign, *, missing: list[str], busy: int = 0) -> str:
    """The campaign's stage once a run (or a restore) is over: ready, content missing (with
    the reasons ``missing``), or still generating while another process writes some of it or
    a run is queued and nothing is reported missing."""
    active = Post.objects.filter(campaign=campaign, is_active=True)
    waiting = active.exclude(status__in=CONTENT_DONE)
    if not waiting.exists():
        if active.exists():
            _set_stage(campaign, CampaignStage.READY, failures=[])
        return campaign.phase
    if not missing and (busy or campaign.pk in queued_content()):
        return campaign.phase  # the run writing the rest will settle it
    if not missing:
        count = waiting.count()
        missing = [f"{count} post(s) have no content yet and nothing is queued to write them"]
    _set_stage(campaign, CampaignStage.CONTENT_MISSING, failures=missing)
    return campaign.phase


def _key(item: _Work) -> tuple[int, str, str]:
    return item.post_pk, item.platform, item.variant_id


def _finished_sessions(
    campaign: Campaign, work: list[_Work]
) -> dict[tuple[int, str, str], IterationSession]:
    """Sessions of earlier runs that completed with text for variants still missing (one query)."""
    if not work:
        return {}
    wanted = {_key(item) for item in work}
    sessions = (
        IterationSession.objects.filter(
            job__kind="post",
            job__metadata__campaign=campaign.pk,
            job__metadata__post__in=sorted({item.post_pk for item in work}),
            status=SessionStatus.COMPLETED,
        )
        .exclude(completion_reason=CompletionReason.ERROR)
        .exclude(final_text="")
        .select_related("job")
        .order_by("-completed_at", "-id")
    )
    found: dict[tuple[int, str, str], IterationSession] = {}
    for session in sessions:
        meta = session.job.metadata if session.job else {}
        key = (meta.get("post"), meta.get("platform"), meta.get("variant"))
        if key in wanted and key not in found:
            found[key] = session
    return found


def _run_all(
    work: list[_Work],
    *,
    brand: Brand,
    targets: list[str],
    variant_ids: list[str],
    on_progress: ProgressHandler | None,
    side_work: Callable[[], None],
) -> list[_Result]:
    """Write every item in a thread pool (or in this thread, see below), running ``side_work`` meanwhile."""
    results: list[_Result] = []

    def finished(result: _Result) -> None:
        results.append(result)
        if on_progress is not None:
            item = result.work
            on_progress(
                ContentProgress(
                    post_id=item.post_id,
                    platform=item.platform,
                    variant_id=item.variant_id,
                    outcome=result.outcome,
                    completed=len(results),
                    total=len(work),
                    message=result.message,
                )
            )

    if not _threads_share_the_database():
        side_work()
        for item in work:
            finished(_write_variant(item, brand=brand, targets=targets, variant_ids=variant_ids))
        return results

    with ThreadPoolExecutor(max_workers=pool_size(len(work)), thread_name_prefix="content") as pool:
        futures: list[Future[_Result]] = [
            pool.submit(_in_thread, item, brand=brand, targets=targets, variant_ids=variant_ids)
            for item in work
        ]
        side_work()  # the cards are drawn while the writers wait for the model
        for future in as_completed(futures):
            finished(future.result())
    return results


def _threads_share_the_database() -> bool:
    """Whether pool threads, each with its own connection, can work on this database.

    Not inside a transaction: the threads could not see the caller's uncommitted
    rows (and on SQLite would wait on its write lock). Not on an in-memory SQLite
    database (the test database): its connections share one cache whose table
    locks fail at once instead of waiting. In both cases the work runs in the
    calling thread, one variant after the other.
    """
    if connection.in_atomic_block:
        return False
    database = connections[connection.alias]
    return not (isinstance(database, SQLiteDatabase) and database.is_in_memory_db())


def _in_thread(item: _Work, *, brand: Brand, targets: list[str], variant_ids: list[str]) -> _Result:
    try:
        return _write_variant(item, brand=brand, targets=targets, variant_ids=variant_ids)
    finally:
        connection.close()  # each pool thread has its own connection


def _write_variant(
    item: _Work, *, brand: Brand, targets: list[str], variant_ids: list[str]
) -> _Result:
    """Run one writing session and store its text as a variant; failures become a result.

    A session of an earlier run whose process died is taken over and resumed;
    one that a live process is writing is left to it (``busy``).
    """
    job_pk: int | None = None
    session: IterationSession | None = None
    try:
        if not Post.objects.filter(pk=item.post_pk, is_active=True).exists():
            return _Result(item, "skipped", None, message="the post was archived meanwhile")
        session, holder = _take_unfinished_session(
            campaign_pk=item.campaign_pk,
            post_pk=item.post_pk,
            platform=item.platform,
            variant_id=item.variant_id,
        )
        if holder:
            return _Result(item, "busy", None, message=f"being written by {holder}")
        if session is None:
            job = new_job(
                "post",
                f"{item.post_id} · {item.platform} · variant {item.variant_id}",
                workspace_id=brand.workspace_id,
                metadata={
                    "campaign": item.campaign_pk,
                    "post": item.post_pk,
                    "platform": item.platform,
                    "variant": item.variant_id,
                },
            )
            session = start_session(
                kind="post",
                brief=item.brief,
                brand=brand,
                platform=item.platform,
                angle=item.angle.angle,
                hook_style=item.angle.hook_style,
                variant=item.variant_id,
                job=job,
                origin=SessionOrigin.CAMPAIGN,
            )
        job_pk = session.job_id
        session = run_session(session)
        if session.completion_reason == CompletionReason.CANCELLED:
            return _Result(item, "failed", job_pk, message=session.error or "cancelled")
        if session.completion_reason == CompletionReason.ERROR or not session.final_text.strip():
            return _Result(item, "failed", job_pk, message=session.error or "no text was written")
        if session.status != SessionStatus.COMPLETED:  # another process took it over
            return _Result(item, "busy", job_pk, message="taken over by another process")
        _store_variant(item, session, targets=targets, variant_ids=variant_ids)
        return _Result(
            item, "written", job_pk, approved=session.completion_reason == CompletionReason.APPROVED
        )
    except Exception as exc:  # one variant's failure (a database error, say) never stops the rest
        logger.exception(
            "content for %s %s %s failed", item.post_id, item.platform, item.variant_id
        )
        if session is not None:
            end_after_error(session, exc)
        return _Result(item, "failed", job_pk, message=f"{type(exc).__name__}: {exc}")


_TAKE_TRIES = 5  # reads of a session that keeps changing under us before giving up


def _take_unfinished_session(
    *, campaign_pk: int, post_pk: int, platform: str, variant_id: str
) -> tuple[IterationSession | None, str]:
    """An unfinished session of an earlier run for this variant, taken over by this process.

    Returns ``(session, "")`` when one was free (its process died, or it was
    handed back), ``(None, holder)`` when a live process holds one, and
    ``(None, "")`` when there is none. Taking is a conditional UPDATE, so two
    runs never resume the same session.
    """
    query = IterationSession.objects.filter(
        origin=SessionOrigin.CAMPAIGN,
        status__in=_UNFINISHED,
        platform=platform,
        variant=variant_id,
        job__metadata__campaign=campaign_pk,
        job__metadata__post=post_pk,
    ).order_by("-id")
    for _ in range(_TAKE_TRIES):
        unfinished = list(query.all())  # a fresh read each time
        if not unfinished:
            return None, ""
        liveness = Liveness.of([s.runner for s in unfinished])
        for session in unfinished:
            handed_back = session.status == SessionStatus.PENDING and not session.runner
            if not handed_back and not liveness.gone(session.runner, touched=session.updated_at):
                return None, liveness.describe(session.runner)
            taken = IterationSession.objects.filter(
                pk=session.pk,
                status=session.status,
                runner=session.runner,
                updated_at=session.updated_at,
            ).update(
                runner=process_id(),
                updated_at=timezone.now(),
                # Taken from a dead process: a recovery (a handed-back one was counted already).
                recoveries=F("recoveries") + (0 if handed_back else 1),
            )
            if taken:
                session.refresh_from_db()
                return session, ""
        # Each changed between reading and taking: a clean-up pass may have handed one
        # back (pending, free to take) just now, or another run took it. Look again.
    return None, "another run"


def _store_variant(
    item: _Work, session: IterationSession, *, targets: list[str], variant_ids: list[str]
) -> None:
    number = session.final_turn_number
    final = session.turns.filter(turn_number=number).first() if number is not None else None
    metadata = {
        "angle": session.angle,
        "hook_style": session.hook_style,
        "session_id": session.pk,
        "completion_reason": session.completion_reason,
        "approved": session.completion_reason == CompletionReason.APPROVED,
        "score": final.score if final is not None else None,
        "needs_human_review": session.needs_human_review,
        "final_turn": session.final_turn_number,
        "poll": final.poll if final is not None else None,
    }
    with transaction.atomic():
        # The post's row lock makes concurrent writers of one post take turns,
        # so the last variant stored always sees all the others.
        Post.objects.select_for_update().filter(pk=item.post_pk).first()
        _, created = ContentVariant.objects.get_or_create(
            post_id=item.post_pk,
            platform=item.platform,
            variant_id=item.variant_id,
            defaults={"content": session.final_text, "metadata": metadata},
        )
        if created:
            _complete_post(item.post_pk, targets=targets, variant_ids=variant_ids)


def _complete_post(post_pk: int, *, targets: list[str], variant_ids: list[str]) -> bool:
    """Mark a draft post ready once every variant exists, selecting the best-scoring one.

    Call inside a transaction. The selected variant is the one with the best mean
    review score across networks; ties go to the earliest id ("A").
    """
    post = Post.objects.select_for_update().filter(pk=post_pk).first()
    if post is None or post.status != PostStatus.DRAFT:
        return False
    rows = list(
        ContentVariant.objects.filter(
            post_id=post_pk, platform__in=targets, variant_id__in=variant_ids
        ).values_list("variant_id", "metadata")
    )
    if len(rows) < len(targets) * len(variant_ids):
        return False
    scores: dict[str, list[float]] = {v: [] for v in variant_ids}
    for variant_id, metadata in rows:
        scores[variant_id].append(float((metadata or {}).get("score") or 0.0))
    best = min(variant_ids, key=lambda v: (-sum(scores[v]) / len(scores[v]), v))
    post.status = PostStatus.READY
    post.selected_variant = post.selected_variant or best
    post.save(update_fields=["status", "selected_variant", "updated_at"])
    return True


def _render_missing_cards(posts: Iterable[Post], report: ContentReport) -> None:
    for post in posts:
        if stored_card(post) is not None:
            continue
        try:
            render_card(post=post)
        except Exception as exc:  # a card is decoration: report it and go on
            logger.exception("card for %s failed", post.post_id)
            report.failures.append(f"{post.post_id} card: {type(exc).__name__}: {exc}")
        else:
            report.cards += 1


def _set_stage(
    campaign: Campaign, stage: CampaignStage, *, failures: list[str] | None = None
) -> None:
    """Move the campaign to ``stage`` without touching its other fields (others may be saving).

    ``failures``, when given, replaces the stored reasons why content is missing.
    """
    extra: dict[str, Any] = {} if failures is None else {"content_failures": failures[:200]}
    Campaign.objects.filter(pk=campaign.pk).update(phase=stage, updated_at=timezone.now(), **extra)
    campaign.phase = stage
    if failures is not None:
        campaign.content_failures = failures[:200]


def queued_content(*, running: bool = False) -> dict[int, set[int] | None]:
    """Campaigns with a content task waiting (or running too): campaign pk → its posts (None: all)."""
    from django_tasks_db.models import DBTaskResult

    from clarion.campaigns.tasks import generate_content_task

    statuses = [TaskResultStatus.READY, *([TaskResultStatus.RUNNING] if running else [])]
    rows = DBTaskResult.objects.filter(
        task_path=generate_content_task.module_path, status__in=statuses
    ).values_list("args_kwargs", flat=True)
    queued: dict[int, set[int] | None] = {}
    for args_kwargs in rows:
        args = list(args_kwargs.get("args") or [])
        kwargs = args_kwargs.get("kwargs") or {}
        campaign_pk = args[0] if args else kwargs.get("campaign_pk")
        post_pks = args[1] if len(args) > 1 else kwargs.get("post_pks")
        if not isinstance(campaign_pk, int):
            continue
        if post_pks is None or queued.get(campaign_pk, set()) is None:
            queued[campaign_pk] = None
        else:
            known = queued.setdefault(campaign_pk, set())
            assert known is not None
            known.update(int(pk) for pk in post_pks)
    return queued
