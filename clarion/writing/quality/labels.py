"""Leaked labels: the plan's internal words (pillar, angle, hook style, format) used as copy.

Labels steer the writing; a reader must never see them. A label leaks when it is
- a hashtag (``#Poll``, ``#MythBusting``);
- the whole object of "about / of / on …" ("Forget what you've heard about Poll.",
  "4 things to know about Practical tips:");
- a heading at the start of a sentence ("Myth-busting: …", "Sondage : …");
- written as an id (``social_proof``);
and meta-talk about the plan ("Today's focus: …", "This one is about …") always leaks.
Ordinary words that happen to be labels ("our community", "three practical tips for …")
are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.lexicon import wordset
from clarion.writing.quality.text import fold, hashtags, split_tag

# Labels every plan uses, whatever the slot: pillars, formats and hook styles.
KNOWN_LABELS = (
    "education", "product", "social_proof", "social proof", "behind_the_scenes",
    "behind the scenes", "community", "thought_leadership", "thought leadership", "poll",
    "sondage", "bold claim", "contrarian", "how-to", "statistic",
)  # fmt: skip
# Common words that are labels too: they leak only when written with a capital mid-sentence.
_PLAIN = wordset(
    "education product community poll sondage statistic question story text image link "
    "announcement explainer"
)
_META = re.compile(
    r"\btoday['’]s (?:focus|topic|theme|angle)\b|\bthis (?:one|post) is (?:all )?about\b|"
    r"\b(?:content pillar|hook style|pilier(?: de contenu)?)\b|\bau programme\s*:|"
    r"\ble (?:thème|sujet) du jour\b|\b(?:angle|format)\s*:",
    re.IGNORECASE,
)
_BEFORE = (
    r"(?:about|of|on|around|regarding|with|into|sur|de|du|des|d['’]|à propos de|autour de|"
    r"concernant|avec)\s+(?:(?:the|la|le|les)\s+|l['’])?"
)


def label_variants(labels: Iterable[str]) -> list[str]:
    """Each label, its head before a colon ("benefit-led: what …" -> "benefit-led"), deduplicated."""
    found: list[str] = []
    for label in labels:
        label = " ".join(label.strip().strip(".").split())
        if not label:
            continue
        found.append(label)
        head = re.split(r"\s*[:(]\s*", label, maxsplit=1)[0]
        if head and head != label:
            found.append(head)
    return list(dict.fromkeys(v for v in found if len(v) >= 3))


def _pattern(label: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s_-]+", label) if p]
    return r"[\s_-]*".join(parts)


def _strong(label: str) -> bool:
    return bool(re.search(r"[\s_-]", label)) or label.lower() not in _PLAIN


def leaked_labels(text: str, labels: Iterable[str] = ()) -> list[Issue]:
    """Every place ``text`` shows a label of its plan (or meta-talk about the plan)."""
    issues: list[Issue] = []
    for match in _META.finditer(text):
        issues.append(
            Issue(
                "leaked_label",
                f"{quoted(match.group(0))} talks about the plan, not to the reader.",
                f"remove_label: drop {quoted(_sentence_at(text, match.start()))}; "
                "say something about the subject instead.",
            )
        )
    variants = label_variants([*labels, *KNOWN_LABELS])
    folded = {fold(v).replace(" ", ""): v for v in variants}
    for tag in hashtags(text):
        label = folded.get("".join(split_tag(tag)))
        if label:
            issues.append(
                Issue(
                    "leaked_label",
                    f"The hashtag {tag} is the plan's label {quoted(label)}.",
                    f"remove_label: drop the hashtag {tag}; tag the brand or the subject.",
                )
            )
    lowered = text.lower()
    for label in variants:
        if not all(part in lowered for part in re.split(r"[\s_-]+", label.lower()) if part):
            continue  # every pattern below needs each word of the label
        strong = _strong(label)
        body = _pattern(label)
        spots = [
            m
            for m in re.finditer(
                _BEFORE + rf"(?P<label>{body})\s*(?=[.:!?,;]|$)", text, re.I | re.M
            )
            if strong or m.group("label")[:1].isupper()
        ]
        if strong or label.lower() in ("poll", "sondage"):
            heading = rf"(?:^|(?<=[.!?])\s+)\s*(?:[-•*]\s*)?(?P<label>{body})\s*:"
            spots += list(re.finditer(heading, text, re.I | re.M))
        if "_" in label:
            spots += list(re.finditer(re.escape(label), text))
        for spot in spots[:1]:
            sentence = _sentence_at(
                text, spot.start("label") if "label" in spot.re.groupindex else spot.start()
            )
            issues.append(
                Issue(
                    "leaked_label",
                    f"The plan's label {quoted(label)} is used as copy in {quoted(sentence)}.",
                    f"remove_label: rewrite {quoted(sentence)} about the real subject, "
                    f"without the word {quoted(label)}.",
                )
            )
    return _unique(issues)


def _sentence_at(text: str, index: int) -> str:
    start = max(text.rfind(c, 0, index) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, index) for c in ".!?\n") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: dict[str, Issue] = {}
    for issue in issues:
        seen.setdefault(issue.message, issue)
    return list(seen.values())
