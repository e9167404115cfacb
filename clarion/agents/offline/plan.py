"""The plan behind a draft: every choice the writer makes, and how fixes change it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from clarion.agents.offline.brief import _brief
from clarion.agents.offline.phrases import (
    _FIX_KEYWORDS,
    _FIX_NOTES,
    _STYLE_KEYWORDS,
    ANGLES,
    FIX_CODES,
    STYLES,
)
from clarion.agents.offline.text import _digest, _dont_phrases, _lang, _tone
from clarion.agents.schemas import WriteRequest


@dataclass(frozen=True)
class _Plan:
    """Every choice behind one draft; fixes and retries change it with ``replace``."""

    lang: str
    tone: str
    style: str
    angle: str
    key: int  # the request's identity without the turn
    vkey: int  # the same without the variant, so variants can be offset from each other
    vidx: int
    tkey: int  # the identity with the turn
    flaw: str = ""
    salt: int = 0
    compact: bool = False
    hook_bump: int = 0
    force: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()


def _style_from(text: str | None) -> str | None:
    lowered = (text or "").lower()
    return next(
        (style for word, style in _STYLE_KEYWORDS if re.search(rf"\b{word}", lowered)), None
    )


def _plan(req: WriteRequest) -> _Plan:
    ident = [req.kind, req.seed, req.angle, req.hook_style, req.platform, req.brief]
    vkey = _digest(*ident)
    variant = (req.variant or "A").strip().upper()
    vidx = (
        ord(variant) - ord("A") if len(variant) == 1 and variant.isalpha() else _digest(variant) % 7
    )
    key = _digest(vkey, req.variant)
    intent = _brief(req.brief).intent
    style = (
        _style_from(req.hook_style)
        or {"announce": "announcement", "explain": "explainer"}.get(intent)
        or _style_from(req.angle)
        or STYLES[(vkey + vidx) % len(STYLES)]
    )
    angle = (req.angle or ANGLES[style]).strip()[:200]
    avoid = tuple(
        t
        for t in [*(req.brand.banned_terms if req.brand else []), *_dont_phrases(req.brand)]
        if t.strip()
    )
    return _Plan(
        _lang(req.brand),
        _tone(req.brand),
        style,
        angle,
        key,
        vkey,
        vidx,
        _digest(key, req.turn),
        avoid=avoid,
    )


def _fix_code(fix: str) -> str:
    head = fix.split(":", 1)[0].strip().lower()
    if head in FIX_CODES:
        return head
    lowered = fix.lower()
    return next((code for word, code in _FIX_KEYWORDS if word in lowered), "")


def _apply_fixes(plan: _Plan, fixes: Sequence[str]) -> tuple[_Plan, list[str]]:
    codes = [_fix_code(f) for f in fixes]
    quoted = [
        t
        for f, c in zip(fixes, codes, strict=True)
        if c == "remove_term"
        for t in re.findall(r"[\"“«]\s*([^\"”»]+?)\s*[\"”»]", f)
    ]
    force = {
        name
        for code, name in (
            ("mention_audience", "audience"),
            ("mention_brand", "brand"),
            ("add_cta", "cta"),
        )
        if code in codes
    }
    plan = replace(
        plan,
        compact=plan.compact or "shorten" in codes or "clarify" in codes,
        hook_bump=1 if "stronger_hook" in codes else 0,
        salt=plan.salt + (3 if "rewrite" in codes else 0),
        force=plan.force | force,
        avoid=(*plan.avoid, *quoted),
    )
    return plan, [_FIX_NOTES[c] for c in dict.fromkeys(codes) if c]
