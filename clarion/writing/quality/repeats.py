"""Boilerplate: sentences a brand has already published, and how often a month repeats itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.text import norm, sentences, words

MIN_WORDS = 3  # shorter sentences ("Subscribe today.") are not counted


def sentence_keys(text: str) -> list[str]:
    """The normalised sentences of ``text`` that are long enough to count as boilerplate."""
    keys = [norm(s) for s in sentences(text)]
    return list(dict.fromkeys(k for k in keys if len(words(k)) >= MIN_WORDS))


def only_a_call(sentence: str, calls: Sequence[str]) -> bool:
    """A bare call to action ("Book a demo.", "Get your free tasting kit."): meant to recur."""
    key = norm(sentence)
    for call in calls:
        call = norm(call)
        if call and call in key and len(words(key.replace(call, " "))) <= 2:
            return True
    return False


def boilerplate(text: str, recent_posts: Sequence[str], calls: Sequence[str] = ()) -> list[Issue]:
    """Sentences of ``text`` that already ran in one of the brand's ``recent_posts``
    (a bare call to action to one of ``calls`` may recur)."""
    if not recent_posts:
        return []
    seen: Counter[str] = Counter()
    for post in recent_posts:
        seen.update(sentence_keys(post))
    issues: list[Issue] = []
    for sentence in sentences(text):
        count = seen.get(norm(sentence), 0)
        if count and len(words(sentence)) >= MIN_WORDS and not only_a_call(sentence, calls):
            fix = (
                f"rewrite_sentence: replace {quoted(sentence, 200)} with a sentence the brand "
                "has not used lately."
            )
            issues.append(
                Issue(
                    "boilerplate",
                    f"{quoted(sentence)} already ran in {count} of the brand's last "
                    f"{len(recent_posts)} posts.",
                    fix,
                )
            )
    return issues


@dataclass(frozen=True)
class Repetition:
    """How much a set of posts repeats itself, sentence by sentence."""

    posts: int
    sentences: int  # sentence occurrences counted
    repeated: int  # occurrences of a sentence an earlier post of the set already carried
    top_sentence: str
    top_posts: int  # how many posts the most common sentence appears in

    @property
    def repeated_share(self) -> float:
        return self.repeated / self.sentences if self.sentences else 0.0

    @property
    def top_share(self) -> float:
        return self.top_posts / self.posts if self.posts else 0.0


def repetition(posts: Iterable[str]) -> Repetition:
    per_post = [sentence_keys(p) for p in posts]
    counts: Counter[str] = Counter(k for keys in per_post for k in keys)
    total = sum(len(keys) for keys in per_post)
    repeated = total - len(counts)
    top, top_count = counts.most_common(1)[0] if counts else ("", 0)
    return Repetition(len(per_post), total, repeated, top, top_count)
