"""Deterministic checks every draft must pass before it can be approved.

The reviewer's verdict is advice; these checks are rules: a draft that is too
long for its network, lacks a required call to action, uses a banned term,
repeats an earlier draft or links outside the brand's own domains is never
approved, whatever the model says.

A ``foreign_link`` failure (see ``clarion.core.links`` for what counts as a link)
is the one a person may override: it has its own code so an approval flow can
list it. Every caller passes the brand's domains explicitly; a draft without a
brand has none, so any link in it waits for a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from clarion.core import platforms
from clarion.core.inputs import required_text
from clarion.core.links import foreign_links

MAX_BRIEF_CHARS = 1000

FOREIGN_LINK = "foreign_link"
"""The code of the failure a person's approval may override."""

GENERIC_CTA_PHRASES = (
    "learn more",
    "get started",
    "sign up",
    "book",
    "try",
    "join",
    "subscribe",
    "download",
    "register",
    "discover",
    "shop",
    "visit",
    "contact",
    "start",
    "en savoir plus",
    "commencez",
    "inscrivez",
    "découvrez",
    "essayez",
    "rejoignez",
    "réservez",
)


@dataclass(frozen=True)
class CheckFailure:
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def has_cta(text: str, cta_targets: list[str]) -> bool:
    lowered = text.casefold()
    phrases = [t for t in cta_targets if t.strip()] or list(GENERIC_CTA_PHRASES)
    return any(phrase.casefold() in lowered for phrase in phrases)


def banned_terms_in(text: str, banned_terms: list[str]) -> list[str]:
    lowered = text.casefold()
    return [term for term in banned_terms if term.strip() and term.casefold() in lowered]


def check_draft(
    text: str,
    *,
    platform: str | None,
    require_cta: bool,
    cta_targets: list[str],
    banned_terms: list[str],
    previous_drafts: list[str],
    allowed_domains: Sequence[str],
) -> list[CheckFailure]:
    """Every rule ``text`` breaks; ``allowed_domains`` are the brand's own (none: no link passes)."""
    failures: list[CheckFailure] = []
    if not text.strip():
        return [CheckFailure("empty", "The draft is empty.")]
    length, limit = platforms.text_length(platform, text), platforms.max_length(platform)
    where = platform or "a slogan"
    if not platforms.fits(platform, text):
        failures.append(
            CheckFailure(
                "too_long", f"{length} characters is over the limit of {limit} for {where}."
            )
        )
    if require_cta and not has_cta(text, cta_targets):
        wanted = ", ".join(cta_targets) if cta_targets else "a clear next step"
        failures.append(CheckFailure("missing_cta", f"A call to action is required ({wanted})."))
    found = banned_terms_in(text, banned_terms)
    if found:
        failures.append(CheckFailure("banned_term", "Banned terms used: " + ", ".join(found) + "."))
    foreign = foreign_links(text, allowed_domains)
    if foreign:
        hosts = ", ".join(dict.fromkeys(link.host or link.text for link in foreign))
        own = ", ".join(allowed_domains) or "none: this draft has no brand domains"
        failures.append(
            CheckFailure(
                FOREIGN_LINK,
                f"Links outside the brand's own domains ({own}) need a person's approval: {hosts}.",
            )
        )
    if _normalise(text) in {_normalise(d) for d in previous_drafts}:
        failures.append(CheckFailure("repeat", "The draft repeats an earlier turn."))
    return failures


def validate_brief(brief: str) -> str:
    """The brief, stripped; empty or over MAX_BRIEF_CHARS is an InvalidInput naming ``brief``."""
    return required_text("brief", brief, MAX_BRIEF_CHARS)
