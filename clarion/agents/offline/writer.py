"""The writer: drafts from the plan, fits the platform's limits, and revises until approved.

A draft is a list of segments (hook, brand line, audience line, value props, closing line, call
to action, hashtags); ``_fit`` drops the optional ones first when the text is too long. First
drafts are sometimes deliberately flawed; later turns apply the reviewer's fixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from clarion.agents.offline.brief import _brief, _until
from clarion.agents.offline.phrases import (
    _BLAND,
    _FR_DETERMINERS,
    _FR_POLISH,
    _HASHTAGS,
    _NEW,
    _STOP,
    _T,
    _TONES,
)
from clarion.agents.offline.plan import _apply_fixes, _Plan, _plan
from clarion.agents.offline.reviewer import _review
from clarion.agents.offline.text import (
    _audience_terms,
    _cap,
    _cta_action,
    _digest,
    _norm,
    _phrase,
    _pick,
    _scrub,
    _targets,
    _within,
    _words,
)
from clarion.agents.schemas import Draft, ReviewRequest, WriteRequest


@dataclass(frozen=True)
class _Seg:
    text: str
    block: int  # segments of a block share a paragraph
    drop: int  # dropped highest first when the text is too long; 0: required, -1: essential


def _tags(brand: str, subject: str, extras: Iterable[str]) -> list[str]:
    """Hashtags: the brand, the subject (as one tag when short, then its nouns), compounds."""
    words = re.findall(r"\w+(?:-\w+)*", subject)
    skip = _BLAND | _STOP
    good = [len(w) > 2 and w.lower() not in skip and not w.isdigit() for w in words]
    compound = next(  # the last two or three words, with at most a stop word inside
        (
            words[-n:]
            for n in (3, 2)
            if len(words) >= n
            and good[-n]
            and good[-1]
            and len("".join(words[-n:])) <= 20
            and (n == 2 or good[-2] or words[-2].lower() in _STOP)
        ),
        [],
    )
    candidates = [brand, " ".join(compound)]
    candidates += [w for w, g in zip(words, good, strict=True) if g and len(w) > 3]
    candidates += [w for e in extras for w in re.findall(r"\w+(?:-\w+)+", e)]
    tags: list[str] = []
    seen: set[str] = set()
    for candidate in filter(None, candidates):
        parts = [re.sub(r"\W", "", p) for p in re.split(r"[\s-]+", candidate)]
        keys = {p.lower()[:5] for p in parts if p}
        if keys and not keys <= seen:
            seen |= keys
            tags.append("#" + "".join(_cap(p) for p in parts))
    return tags


def _context(req: WriteRequest, plan: _Plan) -> dict[str, Any]:
    brand, lang = req.brand, plan.lang
    topic_default, audience_default, brand_default, _ = _T[lang]["defaults"]
    name = _scrub(brand.brand_name, plan.avoid) if brand else ""
    keep = [w.lower() for w in name.split()]
    brief = _brief(req.brief, keep)
    subject = _scrub(brief.subject, plan.avoid)
    det = brief.det if subject else ""
    subject = subject or topic_default
    topic = f"{det}{subject}" if det == "l'" else f"{det} {subject}".strip()
    short = _NEW.sub("", subject, count=1).split()
    short = _until(short, _STOP)[:4] if len(short) > 4 else short
    vps = [_phrase(_scrub(v, plan.avoid), 12, keep) for v in (brand.value_props if brand else [])]
    vps = [v for v in vps if v]
    positioning = brand.positioning if brand and len(brand.positioning.split()) <= 14 else ""
    audience = _phrase(_scrub(brand.target_audience, plan.avoid), 6, keep) if brand else ""
    if lang == "fr" and audience and _words(audience)[0] not in _FR_DETERMINERS:
        audience = f"les {audience}"
    adjectives, manners, _ = _TONES[lang][plan.tone]
    short_vps = [v for v in vps if len(v.split()) <= 6]
    extras = [*vps, _scrub(brand.positioning, plan.avoid) if brand else ""]
    return {
        "brand": name or brand_default,
        "has_brand": bool(name),
        "topic": topic,
        "fresh": _NEW.sub("", topic, count=1),
        "short": " ".join(short).rstrip(" ,:-") or subject,
        "wh": brief.wh,
        "clause": _scrub(brief.clause, plan.avoid) or subject,
        "detail": brief.detail if _scrub(brief.detail, plan.avoid) == brief.detail else "",
        "audience": audience if audience and plan.flaw != "audience" else audience_default,
        "has_audience": bool(audience) and plan.flaw != "audience",
        "positioning": _phrase(_scrub(positioning, plan.avoid), 14, keep),
        "vps": vps,
        "benefit": _pick(short_vps, plan.key, "benefit", plan.salt) if short_vps else "",
        "adj": _pick(adjectives, plan.key, "adj", plan.salt),
        "manner": _pick(manners, plan.key, "manner", plan.salt),
        "num": str(len(vps)) if 2 <= len(vps) <= 5 else "3",
        "angle": _phrase(_scrub(req.angle or "", plan.avoid), 6, keep),
        "tags": _tags(name, _NEW.sub("", subject, count=1), extras),
    }


def _cta(req: WriteRequest, plan: _Plan, *, slogan: bool) -> str:
    targets = _targets(req.brand, plan.avoid)
    if not targets:
        return _pick(_T[plan.lang]["generic_cta"], plan.tkey, "cta", plan.salt)
    action = _cta_action(_pick(targets, plan.key, "target", plan.salt), plan.lang)
    if slogan:
        return _cap(action) + "."
    return _pick(_T[plan.lang]["cta"], plan.tkey, "cta", plan.salt).format(action=_cap(action))


def _finish(text: str, plan: _Plan) -> str:
    if plan.lang == "fr":
        for pattern, repl in _FR_POLISH:
            text = re.sub(pattern, repl, text)
    return _cap(_scrub(text, plan.avoid))


def _hashtags(req: WriteRequest, ctx: dict[str, Any]) -> str:
    return " ".join(ctx["tags"][: _HASHTAGS.get(req.platform or "", 0)])


def _hook(plan: _Plan, ctx: dict[str, Any]) -> str:
    options = _T[plan.lang]["weak" if plan.flaw == "hook" else plan.style]
    return _cap(
        options[(plan.vkey + plan.vidx + plan.salt + plan.hook_bump) % len(options)].format(**ctx)
    )


def _post_segments(req: WriteRequest, plan: _Plan, ctx: dict[str, Any]) -> list[_Seg]:
    t, salt, key = _T[plan.lang], plan.salt, plan.key
    segs = [_Seg(_hook(plan, ctx), 0, -1)]
    if ctx["detail"] and not segs[0].text.endswith(":"):
        segs.append(_Seg(_cap(ctx["detail"]) + ".", 0, 3))
    vps = ctx["vps"]
    if ctx["has_brand"] and plan.flaw != "brand":
        table = "brand_pos" if ctx["positioning"] and not plan.compact else "brand"
        line = _pick(t[table], key, "brand", salt).format(**ctx)
        segs.append(_Seg(line, 1, 0))
        vps = [v for v in vps if _norm(v) not in _norm(line)]  # not what the positioning says
    if ctx["has_audience"]:
        segs.append(_Seg(_pick(t["audience"], key, "aud", salt).format(**ctx), 1, 0))
    terse = req.platform in ("X", "Bluesky") and plan.style != "statistic"
    vps = vps[: 1 if terse or plan.compact else 3]
    order = _digest(key, "order", salt) % max(1, len(vps))
    vps = vps[order:] + vps[:order]
    if req.platform == "LinkedIn" and len(vps) > 1:
        bullets = "\n".join(f"• {_cap(v)}" for v in vps)
        segs.append(_Seg(f"{_pick(t['bullets'], key, 'bul', salt)}\n{bullets}", 2, 2))
    else:
        segs.extend(_Seg(_cap(v) + ".", 1, 2 if i == 0 else 3) for i, v in enumerate(vps))
    if ctx["angle"] and not plan.compact:
        segs.append(_Seg(_pick(t["angle"], key, "angle", salt).format(**ctx), 3, 3))
    if not plan.compact:
        segs.append(_Seg(_pick(_TONES[plan.lang][plan.tone][2], plan.tkey, "close", salt), 3, 4))
    needs_cta = req.require_cta or "cta" in plan.force
    segs.append(_Seg(_cta(req, plan, slogan=False), 4, -1 if needs_cta else 1))
    segs.append(_Seg(_hashtags(req, ctx), 5, 5))
    unique: dict[str, _Seg] = {}  # never the same sentence twice
    for seg in (replace(s, text=_finish(s.text, plan)) for s in segs if s.text.strip()):
        unique.setdefault(_norm(seg.text), seg)
    return list(unique.values())


def _slogan_segments(req: WriteRequest, plan: _Plan, ctx: dict[str, Any]) -> list[_Seg]:
    t = _T[plan.lang]
    slots = {**ctx, "benefit": _cap(ctx["benefit"] or ctx["manner"])}
    if plan.flaw == "hook" and ctx["has_brand"]:
        options = t["slogan_weak"]
    elif plan.flaw == "brand" or not ctx["has_brand"]:
        options = t["slogan_nobrand"]
    else:
        options = t["slogan"]
    main = options[(plan.vkey + plan.vidx + plan.salt + plan.hook_bump) % len(options)].format(
        **slots
    )
    segs = [_Seg(main, 0, -1)]
    if "audience" in plan.force and ctx["has_audience"]:
        segs.append(_Seg(t["slogan_audience"][0].format(**ctx), 0, 0))
    if req.require_cta or "cta" in plan.force:
        segs.append(_Seg(_cta(req, plan, slogan=True), 0, -1))
    return [replace(s, text=_finish(s.text, plan)) for s in segs]


def _assemble(segs: Sequence[_Seg], platform: str | None, kind: str) -> str:
    blocks: dict[int, list[str]] = {}
    for seg in segs:
        blocks.setdefault(seg.block, []).append(seg.text)
    sep = " " if kind == "slogan" else "\n" if platform in ("X", "Bluesky") else "\n\n"
    return sep.join(" ".join(parts) for _, parts in sorted(blocks.items())).strip()


def _fit(segs: list[_Seg], req: WriteRequest) -> str:
    """Drop optional segments, then required ones, then the hook's last words, until it fits."""
    while True:
        text = _assemble(segs, req.platform, req.kind)
        droppable = [i for i, s in enumerate(segs) if s.drop >= 0]
        if _within(req.platform, req.max_length, text) or not droppable:
            break
        del segs[max(droppable, key=lambda i: (segs[i].drop, i))]
    while not _within(req.platform, req.max_length, text) and " " in segs[0].text.strip():
        segs[0] = replace(segs[0], text=segs[0].text.rsplit(None, 1)[0].rstrip(" ,:;—-"))
        text = _assemble(segs, req.platform, req.kind)
    while not _within(req.platform, req.max_length, text) and " " in text.strip():
        text = text.rstrip().rsplit(None, 1)[0].rstrip(" ,:;—-")
    return text


def _compose(req: WriteRequest, plan: _Plan) -> str:
    ctx = _context(req, plan)
    build = _slogan_segments if req.kind == "slogan" else _post_segments
    return _fit(build(req, plan, ctx), req)


def _flaw(req: WriteRequest, plan: _Plan) -> str:
    roll = _digest(plan.key, "flaw") % 10
    if roll < 3:
        return "hook"
    if roll < 5 and req.kind == "post" and _audience_terms(req.brand):
        return "audience"
    if roll < 5 and req.kind == "slogan" and req.brand and req.brand.brand_name.strip():
        return "brand"
    return ""


def _best(req: WriteRequest, plan: _Plan) -> str:
    """The first candidate the reviewer approves; failing that, the best-scored new one."""
    previous = {_norm(d) for d in req.previous_drafts}
    best, best_score = "", -1.0
    for salt in range(plan.salt, plan.salt + 12):
        for compact in dict.fromkeys((plan.compact, True)):
            text = _compose(req, replace(plan, salt=salt, compact=compact))
            if _norm(text) in previous:
                continue
            verdict = _review(_review_request(req, text))
            if verdict.decision == "approve":
                return text
            if verdict.scores.average > best_score:
                best, best_score = text, verdict.scores.average
    return best or _compose(req, plan)


def _review_request(req: WriteRequest, text: str) -> ReviewRequest:
    fields = req.model_dump(include={"kind", "brief", "brand", "platform", "max_length", "require_cta",
                                     "turn", "seed", "previous_drafts"})  # fmt: skip
    return ReviewRequest.model_validate({**fields, "draft": text})


def _write(req: WriteRequest) -> Draft:
    plan = _plan(req)
    plan, applied = _apply_fixes(plan, req.fixes)
    flaw = _flaw(req, plan) if req.turn <= 1 and not req.fixes else ""
    if flaw:
        previous = {_norm(d) for d in req.previous_drafts}
        salts = range(plan.salt, plan.salt + 12)
        texts = (_compose(req, replace(plan, flaw=flaw, salt=s)) for s in salts)
        text = next((t for t in texts if _norm(t) not in previous), "") or _best(req, plan)
    else:
        text = _best(req, plan)
    if req.turn <= 1 and not req.fixes:
        notes = f"First draft: {plan.style} hook, {plan.angle} angle."
    else:
        notes = "Revised: " + ("; ".join(applied) if applied else "fresh wording") + "."
    return Draft(text=text, angle=plan.angle, hook_style=plan.style, notes=notes)
