"""Small text helpers shared by the brief reader, the writer and the reviewer.

``_digest`` turns any request fields into the stable number every choice comes from; the rest
handle words, phrases, banned terms and the brand's language, tone and audience.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence

from clarion.agents.offline.phrases import _DONT, _QUOTES, _STOP, _TONE_KEYWORDS
from clarion.agents.schemas import BrandContext
from clarion.core.platforms import fits, text_length


def _digest(*parts: object) -> int:
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return int(hashlib.sha256(raw.encode("utf-8")).hexdigest()[:15], 16)


def _pick(options: Sequence[str], *parts: object) -> str:
    return options[_digest(*parts) % len(options)]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if len(w) >= 4 and w not in _STOP]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str, keep: Iterable[str] = ()) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and first.lower() not in set(keep):
        return text[:1].lower() + text[1:]
    return text


def _phrase(text: str, limit: int, keep: Iterable[str] = ()) -> str:
    """The first clause of ``text``, at most ``limit`` words, without dangling stopwords."""
    clause = re.split(r"[.;!?\n]", text.strip(), maxsplit=1)[0]
    head = clause.split(",", 1)[0]
    clause = head if len(head.split()) >= 2 else clause
    words = _QUOTES.sub("", clause).split()[:limit]
    while words and words[-1].lower().strip(",:") in _STOP:
        words.pop()
    while words and words[0].lower() in ("and", "or", "et", "ou", "&", ","):
        words.pop(0)
    return _lower_first(" ".join(words).strip(" ,:-—"), keep)


def _scrub(text: str, terms: Sequence[str]) -> str:
    """``text`` without any word containing one of ``terms`` (case-insensitive)."""
    for term in (t.strip() for t in terms):
        while term and term.lower() in text.lower():
            cleaned = re.sub(r"[#\w'’-]*" + re.escape(term) + r"[\w'’-]*", "", text, flags=re.I)
            if cleaned == text:
                break
            text = cleaned
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r" +([.,])", r"\1", text).strip()


def _dont_phrases(brand: BrandContext | None) -> list[str]:
    phrases = (
        _DONT.sub("", rule.strip().rstrip(".")) for rule in (brand.guidelines_dont if brand else [])
    )
    return [p for p in phrases if len(p) >= 3 and len(p.split()) <= 4]


def _within(platform: str | None, limit: int, text: str) -> bool:
    return fits(platform, text) and text_length(platform, text) <= limit


def _mentions(text: str, terms: Iterable[str]) -> bool:
    words = set(_words(text))
    return any(
        t in words or (len(t) >= 5 and any(w.startswith(t[:5]) for w in words)) for t in terms
    )


def _lang(brand: BrandContext | None) -> str:
    return "fr" if brand and brand.language.lower().startswith("fr") else "en"


def _tone(brand: BrandContext | None) -> str:
    raw = brand.tone.lower() if brand else ""
    return next(
        (name for name, keys in _TONE_KEYWORDS.items() if any(k in raw for k in keys)),
        "professional",
    )


def _audience_terms(brand: BrandContext | None) -> list[str]:
    banned = [t.lower() for t in (brand.banned_terms if brand else []) if t.strip()]
    terms = _content(brand.target_audience) if brand else []
    return [t for t in terms if not any(b in t for b in banned)]
