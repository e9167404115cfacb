"""The reviewer: scores a draft on the rubric and names the fixes it needs.

Each fix starts with a stable code (``add_cta: ...``, ``shorten: ...``) that the writer knows
how to apply; a draft with no fix left is approved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from clarion.agents.offline.phrases import _GENERIC, _SENTENCE, _STRONG, _T, _TONES
from clarion.agents.offline.text import (
    _audience_terms,
    _cap,
    _content,
    _cta_action,
    _dont_phrases,
    _has_cta,
    _lang,
    _mentions,
    _norm,
    _targets,
    _tone,
    _within,
    _words,
)
from clarion.agents.schemas import BrandContext, ReviewRequest, RubricScores, Verdict
from clarion.core.platforms import max_length, text_length


def _clarity(text: str, kind: str, platform: str | None) -> int:
    n = len(_words(text))
    low, high = (3, 14) if kind == "slogan" else (8, 60 if platform in ("X", "Bluesky") else 300)
    sentences = [s for s in _SENTENCE.split(text) if _words(s)]
    average = n / max(1, len(sentences))
    score = 10 - (3 if n < low or n > high else 0)
    return score - (4 if average > 30 else 2 if average > 22 else 0)


def _brand_fit(text: str, brand: BrandContext | None, donts: Sequence[str]) -> int:
    if brand is None:
        return 8
    lang, name = _lang(brand), brand.brand_name.strip().lower()
    named = (
        not name
        or name in text.lower()
        or any(b.lower() in name for b in brand.banned_terms if b.strip())
    )
    vp_words = [w for v in brand.value_props for w in _content(v)]
    adjectives, manners, closers = _TONES[lang][_tone(brand)]
    toned = _mentions(text, [w for p in (*adjectives, *manners, *closers) for w in _content(p)])
    score = (
        3
        + (4 if named else 0)
        + (2 if not vp_words or _mentions(text, vp_words) else 0)
        + int(toned)
    )
    return score - 3 * len(donts)


def _audience_fit(text: str, brand: BrandContext | None, kind: str) -> int:
    terms = _audience_terms(brand)
    if not terms:
        return 8
    you = bool(re.search(r"\b(you|your|vous|votre|vos)\b", text, re.IGNORECASE))
    if _mentions(text, terms):
        return 10 if you else 9
    return 7 if kind == "slogan" else 6 if you else 5


def _hook_score(text: str, kind: str) -> int:
    first = text.strip().splitlines()[0] if text.strip() else ""
    opener = first if kind == "slogan" else re.split(r"(?<=[.!?])\s+", first)[0]
    words, lowered = _words(opener), opener.lower()
    scope = words if kind == "slogan" else words[:3]
    strong = any(c in opener for c in "?!0123456789") or any(w in _STRONG for w in scope)
    strong = strong or lowered.startswith(("what if", "et si"))
    n = len(words)
    score = 5 + (3 if strong else 0) + (1 if n <= 12 else -2 if n > 22 else 0)
    return score - (4 if _GENERIC.match(lowered) else 0)


def _clamp(value: int) -> int:
    return max(1, min(10, value))


def _fixes(req: ReviewRequest, scores: RubricScores, problems: dict[str, Any]) -> list[str]:
    brand, lang = req.brand, _lang(req.brand)
    fixes = [
        f'remove_term: remove "{t}", a banned term for this brand.' for t in problems["banned"]
    ]
    fixes += [
        f'remove_term: remove "{p}", the brand guidelines rule it out.' for p in problems["donts"]
    ]
    limit = min(req.max_length, max_length(req.platform))
    if not problems["within"]:
        length = text_length(req.platform, req.draft)
        fixes.append(f"shorten: cut the draft to at most {limit} characters (it has {length}).")
    if problems["repeat"]:
        fixes.append("rewrite: this repeats an earlier draft; write a fresh version.")
    if scores.call_to_action < 7:
        targets = _targets(brand, brand.banned_terms if brand else [])
        example = _cap(_cta_action(targets[0], lang)) if targets else _T[lang]["defaults"][3]
        fixes.append(f'add_cta: end with a clear call to action, such as "{example}".')
    if scores.hook < 7:
        fixes.append(
            "stronger_hook: open with a question, a number or a strong verb, not a generic opener."
        )
    if scores.audience_fit < 7 and brand:
        fixes.append(f"mention_audience: speak directly to {brand.target_audience.strip()}.")
    if scores.brand_fit < 7 and brand and not problems["donts"]:
        fixes.append(f"mention_brand: name {brand.brand_name} and one of its value props.")
    if scores.clarity < 7 and problems["within"]:
        fixes.append("clarify: one idea, short sentences, and a length that suits the format.")
    return fixes[:8]


def _review(req: ReviewRequest) -> Verdict:
    text, brand = req.draft.strip(), req.brand
    lowered = text.lower()
    problems: dict[str, Any] = {
        "banned": [
            t for t in (brand.banned_terms if brand else []) if t.strip() and t.lower() in lowered
        ],
        "donts": [p for p in _dont_phrases(brand) if p.lower() in lowered],
        "within": bool(text) and _within(req.platform, req.max_length, text),
        "repeat": _norm(text) in {_norm(d) for d in req.previous_drafts},
    }
    cta = 10 if not req.require_cta else (9 if _has_cta(text, brand) else 3)
    scores = RubricScores(
        clarity=_clamp(_clarity(text, req.kind, req.platform) - (0 if problems["within"] else 4)),
        brand_fit=_clamp(_brand_fit(text, brand, problems["donts"])),
        audience_fit=_clamp(_audience_fit(text, brand, req.kind)),
        hook=_clamp(_hook_score(text, req.kind)),
        call_to_action=cta,
    )
    fixes = _fixes(req, scores, problems)
    if not fixes:
        feedback = (
            f"Approved: clear, on-brand and ready to publish ({scores.average:.1f}/10 on average)."
        )
        return Verdict(decision="approve", scores=scores, feedback=feedback)
    details = " ".join(_cap(f.split(":", 1)[-1].strip()) for f in fixes[:2])
    return Verdict(
        decision="revise", scores=scores, feedback=f"Almost there. {details}"[:1000], fixes=fixes
    )
