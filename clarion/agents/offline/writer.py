"""The writer: a first draft from the brief, then revisions that apply the reviewer's fixes.

The first draft is written straight from the brief, as a copywriter's first pass is: the
writer does not see the brand's recent posts (the reviewer does), so a sentence it reuses may
come back flagged as boilerplate. A revision applies every fix (quoted sentences are replaced,
labels and stray hashtags dropped, rules followed, the copy shortened…) and the writer re-reads
it against the checks it can run itself before handing it over.
"""

from __future__ import annotations

from dataclasses import replace

from clarion.agents.offline.compose import Post, compose_post
from clarion.agents.offline.material import Material, material
from clarion.agents.offline.plan import Plan, apply_fixes, make_plan
from clarion.agents.offline.reviewer import _review
from clarion.agents.offline.slogan import compose_slogan
from clarion.agents.offline.text import _norm
from clarion.agents.offline.topic import Topic, read_topic
from clarion.agents.schemas import Draft, ReviewRequest, WriteRequest

REVISION_TRIES = 12


def _compose(req: WriteRequest, plan: Plan, mat: Material, topic: Topic) -> Post:
    if req.kind == "slogan":
        return Post(compose_slogan(req, plan, mat, topic))
    return compose_post(req, plan, mat, topic)


def _review_request(req: WriteRequest, post: Post) -> ReviewRequest:
    fields = req.model_dump(include={"kind", "brief", "brand", "platform", "max_length",
                                     "require_cta", "angle", "hook_style", "turn", "seed",
                                     "previous_drafts"})  # fmt: skip
    return ReviewRequest.model_validate({**fields, "draft": post.text, "poll": post.poll})


def _revise(req: WriteRequest, plan: Plan, mat: Material, topic: Topic) -> Post:
    """The first version that passes every check the writer can run; else the best one."""
    previous = {_norm(d) for d in req.previous_drafts}
    best, best_rank = None, (99, -1.0)
    for salt in range(plan.salt, plan.salt + REVISION_TRIES):
        for compact in dict.fromkeys((plan.compact, True)):
            post = _compose(req, replace(plan, salt=salt, compact=compact), mat, topic)
            if not post.text or _norm(post.text) in previous:
                continue
            verdict = _review(_review_request(req, post))
            if verdict.decision == "approve":
                return post
            rank = (len(verdict.fixes), -verdict.scores.average)
            if best is None or rank < best_rank:
                best, best_rank = post, rank
    return best or _compose(req, plan, mat, topic)


def _write(req: WriteRequest) -> Draft:
    plan = make_plan(req)
    plan, applied = apply_fixes(plan, req.fixes, req.previous_drafts, req.recent_posts)
    fields = plan.fields
    mat = material(req.brand, do=fields.do, dont=fields.dont, slot_cta=fields.cta)
    plan = replace(plan, avoid=(*plan.avoid, *mat.avoid))
    topic = read_topic(fields, mat, labels=list(plan.labels), seed=plan.vkey)
    first = req.turn <= 1 and not req.fixes
    if first:
        post = _compose(req, plan, mat, topic)
        previous = {_norm(d) for d in req.previous_drafts}
        salt = plan.salt
        while _norm(post.text) in previous and salt < plan.salt + REVISION_TRIES:
            salt += 1
            post = _compose(req, replace(plan, salt=salt), mat, topic)
        notes = f"First draft: {plan.style} hook, {plan.angle} angle."
    else:
        post = _revise(req, plan, mat, topic)
        notes = "Revised: " + ("; ".join(applied) if applied else "fresh wording") + "."
    return Draft(
        text=post.text or mat.brand or "…",
        angle=plan.angle,
        hook_style=plan.style,
        notes=notes[:1000],
        poll=post.poll,
    )
