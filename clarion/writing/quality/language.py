"""The language a draft is written in, from its function words."""

from __future__ import annotations

from collections import Counter

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.lexicon import STOPWORDS
from clarion.writing.quality.text import HASHTAG, URL, sentences, words

# Each language's function words that no other listed language shares.
_OWN = {
    lang: words_ - frozenset().union(*(w for other, w in STOPWORDS.items() if other != lang))
    for lang, words_ in STOPWORDS.items()
}
_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian"}


def language_scores(text: str) -> Counter[str]:
    plain = HASHTAG.sub(" ", URL.sub(" ", text))
    found: Counter[str] = Counter()
    for word in words(plain):
        for lang, own in _OWN.items():
            if word in own:
                found[lang] += 1
    return found


def detect_language(text: str) -> str | None:
    """The language of ``text`` when its function words say so clearly, else None."""
    scores = language_scores(text)
    if sum(scores.values()) < 3:
        return None
    (best, top), *rest = scores.most_common() or [("", 0)]
    runner = rest[0][1] if rest else 0
    return best if top >= 2 * max(1, runner) else None


def wrong_language(text: str, expected: str) -> list[Issue]:
    """The draft, or one of its sentences, written in another language than ``expected``."""
    if expected not in _OWN:
        return []
    name = _NAMES.get(expected, expected)
    found = detect_language(text)
    if found and found != expected:
        return [
            Issue(
                "wrong_language",
                f"The draft is in {_NAMES.get(found, found)}, the brand writes in {name}.",
                f"use_language: write the whole post in {name}.",
            )
        ]
    issues: list[Issue] = []
    for sentence in sentences(text):
        scores = language_scores(sentence)
        other = max(((n, s) for s, n in scores.items() if s != expected), default=(0, ""))
        if other[0] >= 3 and scores[expected] == 0:
            issues.append(
                Issue(
                    "wrong_language",
                    f"{quoted(sentence)} is in {_NAMES.get(other[1], other[1])}, "
                    f"the brand writes in {name}.",
                    f"use_language: say {quoted(sentence, 200)} in {name}.",
                )
            )
    return issues
