"""Campaign goals and directions read as intentions, never as product names.

"Launch the winter blend to remote workers and grow subscriptions" launches a product (the
winter blend) for an audience (remote workers); "pivot to office teams" changes the audience;
"focus on sustainability" sets a theme; "grow trial sign-ups" names a metric, which is never a
subject for a post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PEOPLE = re.compile(
    r"\b(?:teams?|workers?|people|parents?|students?|owners?|founders?|freelancers?|managers?|"
    r"leads?|baristas?|customers?|clients?|families|family|companies|businesses|agenc(?:y|ies)|"
    r"offices?|users?|professionals?|developers?|designers?|beginners?|members?|chains?|"
    r"restaurants?|plants?|factories|manufacturers?|shops?|retailers?|schools?|cyclists?|"
    r"équipes?|indépendants?|étudiants?|entreprises?|familles?|agences?|gérants?|chaînes?|"
    r"cyclistes?|débutants?|usines?|commerçants?|restaurateurs?|salariés?|clients?|parents?|"
    r"particuliers?|artisans?|associations?|bureaux?)\b",
    re.IGNORECASE,
)
_LAUNCH = re.compile(
    r"^(?:launch(?:ing)?|introduce|announce|unveil|release|debut|roll out|lancer|lancement de|"
    r"présenter|annoncer|dévoiler|sortir)\s+",
    re.IGNORECASE,
)
_PROMOTE = re.compile(
    r"^(?:promote|sell|push|showcase|highlight|fill|sell out|make known|faire connaître|"
    r"promouvoir|mettre en avant|vendre|remplir|valoriser)\s+",
    re.IGNORECASE,
)
_GROW = re.compile(
    r"^(?:grow|increase|boost|drive|double|get more|win|book|augmenter|développer|doubler|"
    r"faire grandir|générer|obtenir)\s+",
    re.IGNORECASE,
)
_TOWARDS = re.compile(
    r"^(?:(?:pivot|shift|switch|move|turn)\s+(?:to|towards)|focus\s+on|target|reach|win over|"
    r"win back|go after|cibler|viser|toucher|conquérir|(?:se\s+)?(?:concentrer|recentrer)\s+sur|"
    r"s'adresser\s+(?:à|aux))\s+",
    re.IGNORECASE,
)
_FOR = re.compile(
    r"\s+(?:to|for|among|with|from|auprès\s+(?:de|des|du)|pour|chez|aux?)\s+(?P<who>.+)$",
    re.IGNORECASE,
)
_AND = re.compile(
    r"\s*(?:,|\band\b|\bet\b)\s+(?=(?:grow|increase|boost|get|win|drive|build|make|double|"
    r"turn|keep|bring|augmenter|développer|doubler|gagner|fidéliser|faire|générer)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Intent:
    action: str = ""  # "launch", "promote", "grow", "audience", "theme" or ""
    product: str = ""
    audience: str = ""
    theme: str = ""


def _trim(text: str) -> str:
    return " ".join(text.strip(" .;:!").split())


def read_intent(text: str) -> Intent:
    """The intention in a goal or a direction."""
    text = _trim(text)
    first = _AND.split(text, maxsplit=1)[0] if text else ""
    for pattern, action in ((_LAUNCH, "launch"), (_PROMOTE, "promote"), (_GROW, "grow")):
        match = pattern.match(first)
        if match:
            rest = first[match.end() :]
            who = _FOR.search(rest)
            obj = _trim(rest[: who.start()] if who else rest)
            audience = _trim(who.group("who")) if who and _PEOPLE.search(who.group("who")) else ""
            if action == "grow":
                return Intent("grow", "", audience)
            return Intent(action, obj, audience)
    towards = _TOWARDS.match(first)
    if towards:
        rest = _trim(first[towards.end() :])
        if _PEOPLE.search(rest):
            return Intent("audience", "", rest)
        return Intent("theme", "", "", rest)
    who = _FOR.search(first)
    if who and _PEOPLE.search(who.group("who")):
        return Intent("", "", _trim(who.group("who")))
    return Intent()
