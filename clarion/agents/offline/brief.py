"""Reading a brief: what it is about (determiner and subject), and what it asks for.

``_brief`` strips the instructions around a brief ("Write a LinkedIn post about", "Announce",
"Why") and tells an announcement or an explainer from a plain subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from clarion.agents.offline.phrases import _NEW, _QUOTES, _STOP, _wordset
from clarion.agents.offline.text import _lower_first

# Brief wrappers: "Write a LinkedIn post about", "A slogan for", "Un slogan pour"...
_WRAP = re.compile(
    r"^(?:(?:please|can you|could you|help me)\s+)*(?:(?:write|create|draft|craft|make|generate|"
    r"give me|come up with|rédige[rz]?|écri(?:s|vez|re)|crée[rz]?|propose[rz]?|trouve[rz]?)\s+)?"
    r"(?:(?:a|an|one|some|\d+|un|une|des)\s+)?(?:[\w-]+\s+){0,2}?(?:posts?|slogans?|taglines?|"
    r"tweets?|captions?|headlines?|threads?|publications?|messages?|accroches?)(?:\s+(?:(?:about|on|"
    r"for|to|announcing|introducing|promoting|sur|pour|annonçant)\s+|à propos\s+(?=d))|\s*$)",
    re.IGNORECASE,
)
# ... and leading verbs: <new> marks an announcement, <wh> an explainer.
_LEAD = re.compile(
    r"^(?:(?P<new>announce|introduce|unveil|reveal|launch(?:ing)?(?: of)?|the launch of|"
    r"tell (?:people|everyone|customers|the world) about|let (?:people|everyone) know about|"
    r"annonce[rz]?|présente[rz]?|dévoile[rz]?|lance[rz]?|(?:le )?lancement)|(?P<wh>why|how|"
    r"pourquoi|comment)|promote|celebrate|showcase|highlight|share|explain|(?:write|talk|post) "
    r"about|promouvoir|promouvez|faites connaître|mettez en avant|célébre[rz]?|parlez de)\s+",
    re.IGNORECASE,
)
# Leading determiner of a subject -> the one the templates use ("" drops it).
_DETS = {
    "a": "our", "an": "our", "our": "our", "my": "our", "this": "our", "these": "our", "the": "the",
    "your": "your", "their": "their", "un": "notre", "une": "notre", "notre": "notre",
    "mon": "notre", "ma": "notre", "ce": "notre", "cet": "notre", "cette": "notre", "nos": "nos",
    "mes": "nos", "ces": "nos", "votre": "votre", "vos": "vos", "son": "votre", "sa": "votre",
    "ses": "vos", "le": "le", "la": "la", "les": "les", "du": "le", "des": "les", "de": "", "d'": "",
    "l'": "l'",
}  # fmt: skip
_VERBS = _wordset(
    "is are was were has have does do can could will would should prefer prefers choose chooses "
    "use uses want wants like likes drink drinks buy buys makes make changes change "
    "matters matter works work helps help needs need tastes taste saves save beats beat keeps keep "
    "gets get brings bring turns turn means mean feels feel goes go lasts last wins win love loves "
    "takes take gives give stays stay est sont ont fait font rend rendent peut peuvent va vont "
    "change changent compte comptent transforme transforment simplifie simplifient aide aident"
)
_CLAUSE_BREAK = _wordset(
    "which that who where because so while is are was were will can qui que dont où afin parce car "
    "est sont"
)


@dataclass(frozen=True)
class _Brief:
    """What a brief is about: ``det`` + ``subject`` ("our" + "new roast"), and its intent."""

    det: str
    subject: str
    intent: str = ""  # "announce", "explain" or ""
    wh: str = ""  # an explainer's "why" or "how"...
    clause: str = ""  # ... and the clause it introduces, kept whole
    detail: str = ""  # a short second clause: "roasted this week"


def _until(words: list[str], stops: frozenset[str], start: int = 1) -> list[str]:
    """``words`` up to the first one in ``stops`` from index ``start`` on."""
    return words[
        : next((i for i, w in enumerate(words) if i >= start and w.lower() in stops), None)
    ]


def _noun_phrase(words: list[str]) -> tuple[str, list[str]]:
    """The determiner templates should use, and the subject's words up to a clause break."""
    det, words = "", list(words)
    while len(words) > 1:
        head = words[0].lower().replace("’", "'")
        if head[:2] in ("l'", "d'") and len(head) > 2:
            det, words[0] = _DETS[head[:2]] or det, words[0][2:]
        elif head in _DETS:
            det = _DETS[words.pop(0).lower()] or det
        else:
            break
    words = _until(words, _CLAUSE_BREAK)
    words = _until(words, _STOP, 2)[:8] if len(words) > 8 else words  # cut before a complement
    while len(words) > 1 and words[-1].lower() in _STOP:
        words.pop()
    return det, words


def _brief(text: str, keep: Iterable[str] = ()) -> _Brief:
    """Strip the instructions ("A slogan for", "Announce", "Why") around a brief's subject."""
    first = re.split(r"(?<=[.!?])\s+|\n+", _QUOTES.sub("", text).strip(), maxsplit=1)[0]
    rest = first = first.rstrip(" .!?…")
    intent = wh = ""
    for _ in range(4):
        match = _WRAP.match(rest) or _LEAD.match(rest)
        if match is None:
            break
        rest, groups = rest[match.end() :], match.groupdict()
        if groups.get("new") or re.search(r"announc|introduc|annon", match.group(0), re.I):
            intent = "announce"
        if groups.get("wh"):
            intent, wh = "explain", groups["wh"].lower()
            break
    head, *tail = re.split(r"\s*[,;:()—–]\s*|\s+-\s+", rest)
    words = (rest if wh else head).split()
    verb = 1 if words[:1] == ["to"] else None
    if wh == "comment":  # "comment (bien) choisir son café"
        verb = next((i for i, w in enumerate(words[:2]) if re.fullmatch(r"\w+(er|ir|re)", w)), None)
    if wh and verb is not None:  # "how to brew better coffee": the object
        det, subject = _noun_phrase(words[verb + 1 :])
    elif wh:  # "why roasting to order changes ...": what comes before the verb
        det, subject = _noun_phrase(_until(words, _VERBS))
    else:
        det, subject = _noun_phrase(words)
    phrase = " ".join(subject)
    if rest == first and not det:
        phrase = _lower_first(phrase, keep)
    if not intent and _NEW.match(phrase):
        intent = "announce"
    detail = tail[0] if tail and not wh and 0 < len(tail[0].split()) <= 8 else ""
    if detail.split(" ", 1)[0].lower() in ("and", "or", "but", "et", "ou", "mais"):
        detail = ""
    return _Brief(det, phrase, intent, wh, rest if wh else "", detail)
