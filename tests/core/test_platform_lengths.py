"""Lengths as each network counts them: the quick path for Latin text agrees with the full count."""

from __future__ import annotations

import regex

from clarion.core import platforms
from clarion.core.platforms import Platform, text_length


def _clusters(text: str) -> int:
    return len(regex.findall(r"\X", text))


SAMPLES = [
    "Fresh beans, roasted to order.",
    "Café crème à 2 € — déjà livré ? Oui !",
    "Line one\r\nLine two\n",
    "© 2026 Northwind ® ° ¦",
    "Naïve façade, Ærø, Øresund, ß",
    "e\u0301 combining accent",  # past U+0300: the full count
    "Emoji 👩‍💻 and ☕️ and 🇫🇷",
    "日本語のテキスト",
    "“Quotes” — dashes – and … ellipsis",
]


def test_graphemes_match_the_unicode_clusters_for_every_kind_of_text() -> None:
    for text in SAMPLES:
        assert platforms.graphemes(text) == _clusters(text), text


def test_x_weights_latin_text_one_per_character_and_emoji_two() -> None:
    assert text_length(Platform.X, "Café crème, déjà © 2026") == len("Café crème, déjà © 2026")
    assert text_length(Platform.X, "a\r\nb") == 4
    assert text_length(Platform.X, "Coffee ☕️") == len("Coffee ") + 2
    assert text_length(Platform.X, "日本") == 4
    assert text_length(Platform.X, "e\u0301") == 1  # NFC makes it one é


def test_mastodon_and_bluesky_count_clusters_with_cr_lf_as_one() -> None:
    for platform in (Platform.MASTODON, Platform.BLUESKY):
        assert text_length(platform, "a\r\nb") == 3
        assert text_length(platform, "Naïve 👩‍💻") == len("Naïve ") + 1
