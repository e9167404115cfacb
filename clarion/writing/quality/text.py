"""Text helpers the quality checks share: sentences, words, languages, list items."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPLIT = re.compile(r"(?<=[.!?…])[\"”»)]?\s+|\n+")
_BULLET = re.compile(r"^\s*(?:[•\-*–—✓✔→▪◦·]|\d{1,2}[.)]|[0-9]\ufe0f?\u20e3)\s*")
_HASHTAG_LINE = re.compile(r"^\s*(?:#[\w-]+\s*)+$")
HASHTAG = re.compile(r"(?<![\w#])#(\w[\w-]*)")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", re.I)


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": "'", "”": "'", "«": "'", "»": "'", '"': "'"})


def language_family(language: str | None) -> str:
    """ "fr" for any French locale, the two-letter code otherwise ("en" when unset)."""
    code = (language or "en").strip().lower()[:2]
    return code if code.isalpha() else "en"


def norm(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no trailing punctuation."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = " ".join(text.lower().split())
    return text.strip(" .!?…:;,'")


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower().replace("’", "'"))


def is_hashtag_line(line: str) -> bool:
    return bool(_HASHTAG_LINE.match(line))


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def is_bullet(line: str) -> bool:
    return bool(line.strip()) and bool(_BULLET.match(line)) and not is_hashtag_line(line)


def sentences(text: str) -> list[str]:
    """The sentences of a post, bullets included as items, hashtag lines left out."""
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip() or is_hashtag_line(line):
            continue
        line = HASHTAG.sub("", strip_bullet(line)).strip()
        found.extend(s.strip() for s in _SPLIT.split(line) if s and s.strip(" .!?…:"))
    return found


def hashtags(text: str) -> list[str]:
    return [f"#{tag}" for tag in HASHTAG.findall(text)]


def split_tag(tag: str) -> list[str]:
    """#SingleOriginBeans -> ["single", "origin", "beans"]."""
    body = tag.lstrip("#")
    parts = re.findall(r"[A-ZÀ-Ý]?[a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-zà-ÿ])|\d+", body)
    return [p.lower() for p in parts] or [body.lower()]


def fold(text: str) -> str:
    """Lower case without accents or punctuation: for comparing labels and tags."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def mentions(text: str, terms: Iterable[str]) -> bool:
    """Whether ``text`` names one of ``terms`` (a word, or a word sharing its first five letters)."""
    present = set(re.findall(r"\w+", text.lower()))
    for term in terms:
        term = term.lower()
        if term in present or (len(term) >= 5 and any(w.startswith(term[:5]) for w in present)):
            return True
    return False
