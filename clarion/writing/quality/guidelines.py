"""The brand's do and don't lists, checked where a rule says something a program can see.

Don't rules: health claims, competitors or other brands, jargon, exclamation marks, emojis,
hashtags, capitals, prices, urgency, quoted words, and short rules whose words appear as
written. Do rules: "mention X or Y in every post" (X or Y must be there; "a concrete benefit"
means one of the value propositions), "vouvoyer" (no "tu"). Rules a program cannot judge
("speak like a barista friend") are left to the reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.lexicon import STOPWORDS, wordset
from clarion.writing.quality.text import HASHTAG, URL, mentions, sentences, words

_LEAD = re.compile(
    r"^(?:don['’]t|do not|never|avoid|no|ne pas|ne jamais|jamais|évite[rz]?(?: de)?|pas de|"
    r"sans)\s+",
    re.IGNORECASE,
)
_HEALTH = re.compile(
    r"\b(?:health(?:y|ier)?|health benefits?|immun\w*|cures?|heal(?:s|ing)?|detox\w*|"
    r"weight loss|lose weight|burns? fat|medical|santé|guéri\w*|minceur|perdre du poids|"
    r"maigrir|immunité|miracle\w*)\b",
    re.IGNORECASE,
)
_RIVALS = re.compile(
    r"\b(?:competitors?|competition|rivals?|other brands?|unlike (?:the )?others|"
    r"the other guys|big chains?|concurren(?:ts?|ce)|autres marques|contrairement aux autres)\b",
    re.IGNORECASE,
)
_JARGON = re.compile(
    r"\b(?:leverag\w*|synerg\w*|paradigm\w*|disrupt\w*|best[- ]in[- ]class|cutting[- ]edge|"
    r"game[- ]changer|seamless\w*|scalab\w*|holistic|end[- ]to[- ]end|ecosystem|bandwidth|"
    r"low[- ]hanging fruit|move the needle|circle back|deep dive|value[- ]add|empower\w*|"
    r"streamlin\w*|optimi[sz]\w*|robust|levier|disruptif|écosystème|paradigme|best practices|"
    r"process(?:us)?|onboarding|kpis?|roi)\b",
    re.IGNORECASE,
)
_URGENCY = re.compile(
    r"\b(?:hurry|last chance|don['’]t miss|act now|limited time|now or never|before it['’]s "
    r"gone|dernière chance|ne manquez pas|dépêchez-vous|plus que \d+|vite)\b",
    re.IGNORECASE,
)
_PRICE = re.compile(
    r"[€$£]\s?\d|\d\s?[€$£%]|\b(?:discount|promo\w*|sale|remise|réduction|soldes)\b", re.I
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
_CAPS = re.compile(r"\b[A-ZÀ-Ý]{5,}\b")
_TU = re.compile(r"\b(?:tu|toi|ton|ta|tes|t['’])\b", re.IGNORECASE)
# Rule keyword -> (detector, what to remove).
_DETECTORS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("health", "santé", "cure", "weight", "poids", "medical", "médical", "miracle"), _HEALTH),
    (("competitor", "concurren", "other brand", "autres marques", "rival"), _RIVALS),
    (("jargon", "buzzword"), _JARGON),
    (("exclamation",), re.compile("!")),
    (("emoji",), _EMOJI),
    (("hashtag",), re.compile(r"#\w")),
    (("caps", "capital", "majuscule", "shout"), _CAPS),
    (("price", "prix", "discount", "promo", "réduction", "tarif"), _PRICE),
    (("urgen", "pressure", "pression", "fomo"), _URGENCY),
)
_NEGATIVE_VERBS = re.compile(
    r"^(?:mock|critici[sz]e|bash|attack|blame|shame|name|mention|compare(?: us)? (?:to|with)|"
    r"critiquer|dénigrer|culpabiliser|moquer|se moquer des?|nommer|citer|comparer)\s+",
    re.IGNORECASE,
)
_PROMISE = re.compile(r"^(?:promise|guarantee|claim|promettre|garantir)\s+", re.IGNORECASE)
_REQUIRE = re.compile(
    r"^(?:always\s+)?(?:mention|include|name|cite|reference|highlight|talk about|welcome|"
    r"show|mentionner|citer|parler d[e'’]|évoquer|accueillir|montrer)\s+(?P<object>.+?)"
    r"(?:\s+(?:in|dans)\s+(?:every|each|all|chaque|tous les)\s+\w+)?$",
    re.IGNORECASE,
)
_EVERY = re.compile(
    r"\b(?:every|each|always|all posts|chaque|tous les|toujours|systématiquement)\b", re.I
)
_ABSTRACT = ("benefit", "bénéfice", "avantage", "value", "valeur")
_OTHERS = re.compile(r"\b(?:other|others|unlike|autres?|contrairement)\b", re.IGNORECASE)
_STOP = frozenset().union(*STOPWORDS.values()) | wordset(
    "one les des une a an the un concrete concret clear real vrai other autres"
)


def _content(text: str) -> list[str]:
    return [w for w in words(text) if len(w) >= 4 and w not in _STOP]


def _scan(text: str) -> str:
    return URL.sub(" ", text)


def _dont(rule: str, text: str) -> str:
    """What in ``text`` breaks the don't rule ``rule`` ("" when nothing does)."""
    body = _LEAD.sub("", rule.strip().rstrip("."))
    lowered = rule.lower()
    plain = _scan(text)
    for keys, detector in _DETECTORS:
        if any(k in lowered for k in keys):
            source = plain if detector.pattern != r"#\w" else text
            found = detector.search(
                HASHTAG.sub(" ", source) if "#" not in detector.pattern else source
            )
            if found:
                return found.group(0)
    for term in re.findall(r"[\"“«]\s*([^\"”»]{2,40}?)\s*[\"”»]", body):
        if term.lower() in plain.lower() or mentions(plain, [term]):
            return term
    verb = _NEGATIVE_VERBS.match(body)
    if verb:
        for choice in re.split(r"\s+(?:or|ou|and|et)\s+|\s*,\s*", body[verb.end() :]):
            nouns = _content(choice)
            others = bool(re.search(r"\b(?:other|others|autres?)\b", choice, re.I))
            for sentence in sentences(plain):
                named = bool(nouns) and all(mentions(sentence, [n]) for n in nouns[-2:])
                if named and (not others or _OTHERS.search(sentence)):
                    return sentence
    promise = _PROMISE.match(body)
    if promise:
        nouns = _content(body[promise.end() :])
        for sentence in sentences(plain):
            if nouns and all(mentions(sentence, [n]) for n in nouns):
                return " ".join(nouns)
    if len(body.split()) <= 4 and len(body) >= 3 and body.lower() in plain.lower():
        return body
    return ""


def per_post_mentions(rule: str) -> tuple[str, list[str]] | None:
    """A rule asking every post to mention something: its verb and the choices ("freshness",
    "origin"); None for any other rule."""
    lowered = rule.lower().strip().rstrip(".")
    require = _REQUIRE.match(lowered)
    if not require or not _EVERY.search(lowered):
        return None
    verb = lowered[: require.start("object")].split()[-1]
    choices = re.split(r"\s+(?:or|ou)\s+|\s*,\s*|\s+(?:and|et)\s+", require.group("object"))
    return verb, [c.strip() for c in choices if c.strip()]


def _do(rule: str, text: str, value_props: Sequence[str]) -> str:
    """What the do rule ``rule`` asks for that ``text`` lacks ("" when nothing is missing)."""
    lowered = rule.lower().strip().rstrip(".")
    if "vouvoy" in lowered or re.search(r"\b(?:use|utiliser) (?:the )?[«\"“]?vous\b", lowered):
        found = _TU.search(text)
        return f"it says “{found.group(0)}” instead of “vous”" if found else ""
    require = _REQUIRE.match(lowered)
    if not require or not _EVERY.search(lowered):
        return ""
    choices = re.split(r"\s+(?:or|ou)\s+|\s*,\s*|\s+(?:and|et)\s+", require.group("object"))
    wanted: list[list[str]] = []
    for choice in choices:
        nouns = _content(choice)
        if any(n.startswith(_ABSTRACT) for n in nouns):
            props = [w for v in value_props for w in _content(v)]
            if props:
                wanted.append(props)
            continue
        if nouns:
            wanted.append(nouns)
    if not wanted or any(mentions(text, nouns) for nouns in wanted):
        return ""
    return f"it never mentions {require.group('object')}"


def guideline_issues(
    text: str,
    *,
    do: Sequence[str],
    dont: Sequence[str],
    value_props: Sequence[str] = (),
    kind: str = "post",
) -> list[Issue]:
    issues: list[Issue] = []
    for rule in dont:
        found = _dont(rule, text) if rule.strip() else ""
        if found:
            issues.append(
                Issue(
                    "guideline_dont",
                    f"The brand's rule {quoted(rule)} is broken by {quoted(found)}.",
                    f"follow_guideline: rewrite without {quoted(found, 200)}; "
                    f"the brand says {quoted(rule)}.",
                )
            )
    for rule in do:
        missing = _do(rule, text, value_props) if rule.strip() and kind == "post" else ""
        if missing:
            issues.append(
                Issue(
                    "guideline_do",
                    f"The brand's rule {quoted(rule)} is not followed: {missing}.",
                    f"follow_guideline: the brand says {quoted(rule)}, and {missing}.",
                )
            )
    return issues
