"""Hashtags: they come from the brand and the subject, never from stray words."""

from __future__ import annotations

from collections.abc import Iterable

from clarion.writing.quality.issue import Issue
from clarion.writing.quality.lexicon import STOPWORDS, wordset
from clarion.writing.quality.text import fold, hashtags, split_tag

# Words that say nothing as a tag: function words, verbs, adverbs and fillers.
_JUNK = frozenset().union(*STOPWORDS.values()) | wordset(
    "new why how what when which order make makes made change changes more most best better "
    "every today just really very thing things great good here there first next week people "
    "everyone now decides decide does done gets get got goes need needs want wants love "
    "loves helps help works work takes take gives give keeps keep means mean matters matter "
    "comes come knows know says say think thinks use uses used nouveau nouvelle nouvel tout "
    "tous plus très comment pourquoi demande bien beaucoup vraiment toujours jamais encore "
    "aussi fait font peut peuvent vont être avoir faire dire voir savoir déjà enfin ensemble "
    "simple easy fast quick free gratuit rapide facile also still even only"
)


_ELIDED = wordset("l d j m n s t c qu")  # "pièces d'occasion" -> #PiecesOccasion


def junk_hashtags(text: str) -> list[Issue]:
    """One-word hashtags made of a function word, a verb or a filler (#Decides, #Beaucoup)."""
    issues: list[Issue] = []
    for tag in hashtags(text):
        parts = split_tag(tag)
        if len(parts) == 1 and (fold(parts[0]) in {fold(j) for j in _JUNK} or len(parts[0]) < 3):
            issues.append(
                Issue(
                    "stray_hashtag",
                    f"The hashtag {tag} is a stray word, not the brand or the subject.",
                    f"fix_hashtags: drop {tag}; tag the brand or the subject instead.",
                )
            )
    return issues


def stray_hashtags(text: str, material: Iterable[str]) -> list[str]:
    """Hashtags whose words do not come, in order, from ``material`` (brand, brief, topic)."""
    sources = [fold(m).split() for m in material if m.strip()]
    stray: list[str] = []
    junk = {fold(j) for j in _JUNK}
    for tag in hashtags(text):
        parts = [fold(p) for p in split_tag(tag)]
        if (len(parts) == 1 and parts[0] in junk) or not any(
            _in_order(parts, source, junk | _ELIDED) for source in sources
        ):
            stray.append(tag)
    return stray


def _in_order(parts: list[str], source: list[str], skippable: set[str]) -> bool:
    """Whether ``parts`` appear consecutively in ``source`` (function words may sit between)."""
    joined = "".join(parts)
    if joined in ("".join(source[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(source))):
        return True
    for start, word in enumerate(source):
        if word != parts[0]:
            continue
        index, position = 1, start + 1
        while index < len(parts) and position < len(source):
            if source[position] == parts[index]:
                index += 1
            elif source[position] not in skippable:
                break
            position += 1
        if index == len(parts):
            return True
    return False
