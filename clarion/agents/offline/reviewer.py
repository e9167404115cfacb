"""The reviewer: the hard checks, the quality checks, and a rubric, each failure with its fix.

Every fix starts with a code the writer knows how to apply (``add_cta: …``, ``rewrite_sentence:
replace “…”``); a draft with no fix left is approved. The quality checks are the same code the
writing loop runs after any model's review (``clarion.writing.quality``), with the brand's
recent posts, so boilerplate is caught here too.
"""

from __future__ import annotations

import re
from collections import defaultdict

from clarion.agents.offline.material import material
from clarion.agents.offline.phrases import _GENERIC, _SENTENCE, _STRONG, _TENSION, _TONES
from clarion.agents.offline.text import (
    _audience_terms,
    _cap,
    _content,
    _dont_phrases,
    _lang,
    _mentions,
    _norm,
    _tone,
    _within,
    _words,
)
from clarion.agents.schemas import BrandContext, ReviewRequest, RubricScores, Verdict
from clarion.core.platforms import max_length, text_length
from clarion.writing.checks import has_cta
from clarion.writing.quality import DraftContext, Issue, quality_issues, read_brief
from clarion.writing.quality.lexicon import wordset
from clarion.writing.quality.text import fold, hashtags

MAX_FIXES = 8
# Quality issues lower the rubric item they belong to.
_UNCLEAR = wordset(
    "leaked_label broken_grammar count_mismatch wrong_language stray_hashtag missing_poll bad_poll"
)
_OFF_BRAND = wordset(
    "boilerplate verbatim_brand guideline_do guideline_dont unsafe_link unsafe_content"
)


def _clarity(text: str, kind: str, platform: str | None) -> int:
    n = len(_words(text))
    low, high = (3, 14) if kind == "slogan" else (8, 60 if platform in ("X", "Bluesky") else 300)
    sentences = [s for s in _SENTENCE.split(text) if _words(s)]
    average = n / max(1, len(sentences))
    score = 10 - (3 if n < low or n > high else 0)
    return score - (4 if average > 30 else 2 if average > 22 else 0)


def _named(text: str, name: str) -> bool:
    key = fold(name).replace(" ", "")
    return fold(name) in fold(text) or any(fold(t).replace(" ", "") == key for t in hashtags(text))


def _brand_fit(text: str, brand: BrandContext | None, donts: list[str]) -> int:
    if brand is None:
        return 8
    name = brand.brand_name.strip()
    named = (
        not name
        or _named(text, name)
        or any(b.lower() in name.lower() for b in brand.banned_terms if b.strip())
    )
    vp_words = [w for v in brand.value_props for w in _content(v)]
    adjectives, manners, closers = _TONES[_lang(brand)][_tone(brand)]
    toned = _mentions(text, [w for p in (*adjectives, *manners, *closers) for w in _content(p)])
    score = 3 + (4 if named else 0) + (2 if not vp_words or _mentions(text, vp_words) else 0)
    return score + int(toned) - 3 * len(donts)


def _audience_fit(text: str, brand: BrandContext | None, kind: str) -> int:
    terms = _audience_terms(brand)
    if not terms:
        return 8
    you = bool(re.search(r"\b(you|your|vous|votre|vos)\b", text, re.IGNORECASE))
    if _mentions(text, terms):
        return 10 if you else 9
    return 7 if kind == "slogan" or you else 5


def _hook_score(text: str, kind: str) -> int:
    first = text.strip().splitlines()[0] if text.strip() else ""
    opener = first if kind == "slogan" else re.split(r"(?<=[.!?])\s+", first)[0]
    words, lowered = _words(opener), opener.lower()
    scope = words if kind == "slogan" else words[:3]
    strong = any(c in opener for c in "?!0123456789:") or any(w in _STRONG for w in scope)
    strong = strong or lowered.startswith(("what if", "et si")) or any(w in _TENSION for w in words)
    n = len(words)
    score = 5 + (3 if strong else 0) + (1 if n <= 12 else -2 if n > 22 else 0)
    return score - (4 if _GENERIC.match(lowered) else 0)


def _clamp(value: int) -> int:
    return max(1, min(10, value))


def _merged(issues: list[Issue]) -> list[str]:
    """One fix per fix code, quoting every place it applies to."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for issue in issues:
        code, _, body = issue.fix.partition(":")
        if body.strip() not in grouped[code]:
            grouped[code].append(body.strip())
    return [f"{code}: " + " ".join(bodies) for code, bodies in grouped.items()]


def _cta_example(req: ReviewRequest) -> str:
    fields = read_brief(req.brief)
    mat = material(req.brand, slot_cta=fields.cta)
    action = mat.ctas[0].action
    return _cap(action)


def _review(req: ReviewRequest) -> Verdict:
    text, brand = req.draft.strip(), req.brand
    lowered = text.lower()
    fields = read_brief(req.brief)
    banned = [
        t for t in (brand.banned_terms if brand else []) if t.strip() and t.lower() in lowered
    ]
    donts = [p for p in _dont_phrases(brand) if p.lower() in lowered]
    within = bool(text) and _within(req.platform, req.max_length, text)
    targets = [*(brand.cta_targets if brand else []), *([fields.cta] if fields.cta else [])]
    cta = 10 if not req.require_cta else (9 if has_cta(text, targets) else 3)
    context = DraftContext(
        kind=req.kind,
        brief=req.brief,
        brand=brand,
        platform=req.platform,
        angle=req.angle or "",
        hook_style=req.hook_style or "",
        recent_posts=req.recent_posts,
    )
    issues = quality_issues(text, context, req.poll)
    codes = {issue.code for issue in issues}
    unclear = len(codes & _UNCLEAR)
    off_brand = len(codes & _OFF_BRAND)
    brand_fit = _brand_fit(text, brand, donts)
    scores = RubricScores(
        clarity=_clamp(_clarity(text, req.kind, req.platform) - (0 if within else 4) - 3 * unclear),
        brand_fit=_clamp(brand_fit - 3 * off_brand),
        audience_fit=_clamp(_audience_fit(text, brand, req.kind)),
        hook=_clamp(_hook_score(text, req.kind)),
        call_to_action=_clamp(cta - (4 if "cta_form" in codes else 0)),
    )
    fixes = [f'remove_term: remove "{t}", a banned term for this brand.' for t in banned]
    fixes += [f'remove_term: remove "{p}", the brand guidelines rule it out.' for p in donts]
    if not within:
        limit = min(req.max_length, max_length(req.platform))
        length = text_length(req.platform, req.draft)
        fixes.append(f"shorten: cut the draft to at most {limit} characters (it has {length}).")
    if _norm(text) in {_norm(d) for d in req.previous_drafts}:
        fixes.append("rewrite: this repeats an earlier draft; write a fresh version.")
    if scores.call_to_action < 7:
        fixes.append(f'add_cta: end with a clear call to action, such as "{_cta_example(req)}".')
    fixes += _merged(issues)
    if scores.hook < 7:
        fixes.append(
            "stronger_hook: open with a question, a number or a strong verb, not a generic opener."
        )
    if scores.audience_fit < 7 and brand:
        fixes.append(f"mention_audience: speak directly to {brand.target_audience.strip()}.")
    if brand_fit < 7 and brand and not donts:
        fixes.append(f"mention_brand: name {brand.brand_name} and one of its value props.")
    if scores.clarity < 7 and within:
        fixes.append("clarify: one idea, short sentences, and a length that suits the format.")
    fixes = fixes[:MAX_FIXES]
    if not fixes:
        feedback = (
            f"Approved: clear, on-brand and ready to publish ({scores.average:.1f}/10 on average)."
        )
        return Verdict(decision="approve", scores=scores, feedback=feedback)
    details = " ".join(_cap(f.split(":", 1)[-1].strip()) for f in fixes[:2])
    return Verdict(
        decision="revise", scores=scores, feedback=f"Almost there. {details}"[:1000], fixes=fixes
    )
