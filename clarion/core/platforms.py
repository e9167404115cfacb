"""The social networks Clarion writes for, and how each one counts text.

Each network measures a post its own way (see the networks' API references):
X weighs code points and counts every URL as 23; Bluesky counts grapheme
clusters and UTF-8 bytes; Mastodon counts graphemes with URLs as 23.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex
from django.db import models

from clarion.core.errors import InvalidInput


class Platform(models.TextChoices):
    X = "X", "X"
    LINKEDIN = "LinkedIn", "LinkedIn"
    FACEBOOK = "Facebook", "Facebook"
    MASTODON = "Mastodon", "Mastodon"
    BLUESKY = "Bluesky", "Bluesky"


# A slogan (no network) is held to the length of seed 004's Turn.slogan.
SLOGAN_MAX_CHARS = 500

_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)
_URL_WEIGHT = 23

# twitter-text v3: these ranges weigh 1, everything else weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


@dataclass(frozen=True)
class Limit:
    max_length: int
    max_bytes: int | None = None
    unit: str = "characters"


LIMITS: dict[str, Limit] = {
    Platform.X: Limit(280, unit="weighted characters"),
    Platform.LINKEDIN: Limit(3000),
    Platform.FACEBOOK: Limit(63206),
    Platform.MASTODON: Limit(500),
    Platform.BLUESKY: Limit(300, max_bytes=3000, unit="graphemes"),
}


def parse_platform(value: str) -> Platform:
    """Return the Platform named by ``value`` (case-insensitive; "Twitter" means X)."""
    lowered = value.strip().lower()
    if lowered == "twitter":
        return Platform.X
    for platform in Platform:
        if platform.value.lower() == lowered:
            return platform
    names = ", ".join(p.value for p in Platform)
    raise ValueError(f"unknown platform {value!r}; choose one of {names}")


def parse_platforms(values: Iterable[str] | None, *, field: str = "platforms") -> list[str]:
    """Platform values for ``values``, in order, without repeats (``None``: none).

    An unknown name is an ``InvalidInput`` on ``field`` that names it.
    """
    parsed: list[str] = []
    for value in values or ():
        try:
            name = parse_platform(value).value
        except ValueError as exc:
            raise InvalidInput(field, str(exc)) from exc
        if name not in parsed:
            parsed.append(name)
    return parsed


def _x_weight(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _x_weight_plain(text[position : match.start()]) + _URL_WEIGHT
        position = match.end()
    return total + _x_weight_plain(text[position:])


def _x_weight_plain(text: str) -> int:
    if _plain_latin(text):  # every character weighs 1 and no cluster is an emoji
        return len(text)
    total = 0
    for cluster in regex.findall(r"\X", text):
        if len(cluster) > 1 and any(unicodedata.category(ch) == "So" for ch in cluster):
            total += 2  # an emoji sequence weighs 2 as a whole
            continue
        for ch in cluster:
            code = ord(ch)
            total += 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT_RANGES) else 2
    return total


def graphemes(text: str) -> int:
    if _plain_latin(text):  # one cluster per character, except CR LF
        return len(text) - text.count("\r\n")
    return len(regex.findall(r"\X", text))


def _plain_latin(text: str) -> bool:
    """Whether ``text`` has only characters before the combining marks (U+0300).

    There a grapheme cluster longer than one character can only be CR LF, and X
    weighs every such character 1.
    """
    return text.isascii() or max(map(ord, text)) < 0x300


def text_length(platform: str | None, text: str) -> int:
    """The length of ``text`` as ``platform`` counts it (plain characters for a slogan)."""
    if platform is None or platform == "":
        return len(text)
    if platform == Platform.X:
        return _x_weight(text)
    if platform == Platform.MASTODON:
        position, total = 0, 0
        for match in _URL.finditer(text):
            total += graphemes(text[position : match.start()]) + _URL_WEIGHT
            position = match.end()
        return total + graphemes(text[position:])
    if platform == Platform.BLUESKY:
        return graphemes(text)
    return len(text)


def max_length(platform: str | None) -> int:
    if platform is None or platform == "":
        return SLOGAN_MAX_CHARS
    return LIMITS[platform].max_length


def fits(platform: str | None, text: str) -> bool:
    if text_length(platform, text) > max_length(platform):
        return False
    if platform:
        limit = LIMITS[platform]
        if limit.max_bytes is not None and len(text.encode("utf-8")) > limit.max_bytes:
            return False
    return True
