"""A language's sentence frames, and how a frame becomes a sentence.

``render`` fills a frame when every slot it names has a value (otherwise it returns ""),
capitalises ``{Slot}`` values, and conjugates the agreement slots (``{is}``, ``{it}``,
``{it_is}``, ``{v:verb}`` for the subject, ``{p_is}`` for a value proposition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SLOT = re.compile(r"\{(\w+(?::[\wéèêàâîôûç]+)?)\}")
_FR_PLURALS = {"est": "sont", "a": "ont", "doit": "doivent", "peut": "peuvent", "fait": "font",
               "va": "vont", "vaut": "valent", "devrait": "devraient", "mérite": "méritent", "compte": "comptent"}  # fmt: skip


@dataclass(frozen=True)
class Copybook:
    hooks: dict[str, tuple[str, ...]]
    bodies: dict[str, tuple[str, ...]]
    benefits: dict[str, tuple[str, ...]]
    items: dict[str, tuple[str, ...]]
    audience: tuple[str, ...]
    ctas: dict[str, tuple[str, ...]]
    rules: dict[str, tuple[str, ...]]
    poll_intros: tuple[str, ...]
    poll_votes: tuple[str, ...]
    poll_questions: dict[str, tuple[str, ...]]
    poll_options: dict[str, tuple[str, ...]]
    leads: tuple[str, ...] = ("",)  # openers a first benefit may take ("Good news: ")
    more_leads: tuple[str, ...] = ("",)  # openers of a second one ("Better still: ")
    words: dict[str, str] = field(default_factory=dict)


def kinds_of(frame: str) -> tuple[str, str]:
    """The subject kinds a frame suits, and the frame without its marker."""
    if frame.startswith("T|"):
        return "thing", frame[2:]
    if frame.startswith("A|"):
        return "action", frame[2:]
    return "", frame


def _conjugate(verb: str, plural: bool, lang: str) -> str:
    if lang == "fr":
        if not plural:
            return verb
        if verb in _FR_PLURALS:
            return _FR_PLURALS[verb]
        return verb[:-3] + "aient" if verb.endswith("ait") else verb + "nt"
    if plural:
        return verb
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _agreement(name: str, plural: bool, lang: str) -> str | None:
    table = {
        "en": {"is": ("is", "are"), "it": ("it", "them"), "it_is": ("it is", "they are"),
               "It_is": ("It is", "They are"),
               "has": ("has", "have")},
        "fr": {"est": ("est", "sont"), "il": ("il", "ils")},
    }  # fmt: skip
    pair = table.get(lang, {}).get(name)
    return pair[int(plural)] if pair else None


def render(
    frame: str,
    slots: dict[str, str],
    *,
    lang: str,
    plural: bool = False,
    prop_plural: bool = False,
    kind: str = "thing",
) -> str:
    """``frame`` filled from ``slots``; "" when a slot it needs is missing or empty."""
    suits, body = kinds_of(frame)
    if suits and suits != kind:
        return ""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1)
        if name.startswith("v:"):
            return _conjugate(name[2:], plural, lang)
        lowered = name[:1].lower() + name[1:]
        if lowered in ("p_is", "p_est"):
            return (
                ("are" if prop_plural else "is")
                if lang == "en"
                else ("sont" if prop_plural else "est")
            )
        if lowered == "p_cest":
            return "ce sont" if prop_plural else "c'est"
        agreed = _agreement(lowered, plural, lang)
        value = agreed if agreed is not None else slots.get(name, slots.get(lowered, ""))
        if not value:
            missing = True
            return ""
        return value[:1].upper() + value[1:] if name[:1].isupper() and name != "N" else value

    text = _SLOT.sub(fill, body)
    if missing:
        return ""
    return text[:1].upper() + text[1:]
