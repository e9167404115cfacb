"""Promised counts: "3 reasons …" must be followed by three reasons."""

from __future__ import annotations

import re

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.lexicon import COUNT_NOUNS, NUMBER_WORDS
from clarion.writing.quality.text import is_bullet, is_hashtag_line

_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"


def _promise(lang: str) -> re.Pattern[str]:
    nouns = "|".join(sorted(COUNT_NOUNS[lang], key=len, reverse=True))
    return re.compile(
        rf"\b{_NUMBER}\s+(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{nouns})\b(?P<rest>[^\n]*)", re.IGNORECASE
    )


def _inline_items(rest: str) -> int:
    """Items listed after a colon on the same line: "freshness, origin and speed" -> 3."""
    body = rest.split(":", 1)[1].strip() if ":" in rest else ""
    body = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0].strip(" .!?")
    if not body:
        return 0
    parts = re.split(r"\s*,\s*|\s+(?:and|or|et|ou|&)\s+", body)
    return len([p for p in parts if p.strip()])


def count_mismatches(text: str, lang: str) -> list[Issue]:
    """Promises of N items ("3 reasons …:") whose list does not have N items."""
    lines = text.splitlines()
    issues: list[Issue] = []
    pattern = _promise(lang if lang in COUNT_NOUNS else "en")
    for index, line in enumerate(lines):
        for match in pattern.finditer(line):
            raw = match.group("n").lower()
            promised = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
            if promised < 2:
                continue
            rest = match.group("rest")
            listed = _inline_items(rest)
            if not listed and rest.strip().endswith(":"):
                following = [ln for ln in lines[index + 1 :] if not is_hashtag_line(ln)]
                while following and not following[0].strip():
                    following.pop(0)
                bullets = 0
                for item in following:
                    if not is_bullet(item):
                        break
                    bullets += 1
                listed = bullets
            elif not listed:
                continue  # no list announced: "one of the 3 reasons we …" needs none
            if listed != promised:
                promise = match.group(0).strip()
                issues.append(
                    Issue(
                        "count_mismatch",
                        f"{quoted(promise)} promises {promised} but {listed} follow.",
                        f"fix_count: make the list match the promise {quoted(promise)} "
                        f"(or change the number to {listed}).",
                    )
                )
    return issues
