"""Broken grammar the checks can see, and calls to action built in the wrong form.

Patterns, English and French, that no correct sentence contains: a word twice in a row, a
determiner followed by a function word or a verb ("notre que", "your subscribe"), an
imperative followed by an infinitive ("Découvrez adhérer"), "a" before a vowel, a sentence
ending on a determiner or a conjunction, missing French elisions and contractions, template
slots left empty. A call to action is checked against the form of its target: a verb is
said as a verb, a thing is given a determiner, a French infinitive follows "à" or "de".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.lexicon import (
    EN_CALL_VERBS,
    EN_DETERMINERS,
    FR_INFINITIVES,
    FR_MODAL_IMPERATIVES,
    FR_STRICT_DETERMINERS,
    wordset,
)
from clarion.writing.quality.text import HASHTAG, URL, sentences

_W = r"[\w'’-]+"
_EN_DETS = "a an the our your their my its"
_EN_FUNCTION = "a an the our your their to of and or for with is are was were be that which who"
_FR_POSSESSIVES = "notre votre nos vos mon ma mes son sa ses cette cet ces du"
_FR_FUNCTION = "que qui de du des à au aux et ou pour sur avec le la les un une est sont dont"
_FR_AFTER_UN = "que qui à au aux et ou pour sur avec le la les un une est sont dont"
_EN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b(?:{'|'.join(_EN_DETS.split())})\s+(?:{'|'.join(_EN_FUNCTION.split())})\b", re.I
        ),
        "a determiner followed by a function word",
    ),
    (
        re.compile(
            rf"\b(?:{'|'.join(EN_DETERMINERS)})\s+(?:{'|'.join(EN_CALL_VERBS)})\b(?![-\s]?up\b)",
            re.I,
        ),
        "a determiner followed by a verb",
    ),
    (re.compile(r"\ba\s+(?!one\b|once\b|eu)(?=[aeio])\w+", re.I), "“a” before a vowel"),
    (
        re.compile(r"\ban\s+(?![hH](?:our|onest|onor|eir|erb))(?=[bcdfgjklmnpqrstvwxz])[a-z]\w*"),
        "“an” before a consonant",
    ),
    (
        re.compile(r"\b(?:the|a|an|our|your|their|my|and|or)\s*[.!?]", re.I),
        "a sentence that ends on a determiner or a conjunction",
    ),
    (re.compile(r"\s[,.](?:\s|$)"), "a space before a comma or full stop"),
    (
        re.compile(
            r"^[^:]{2,30}:\s+(?:and|plus|better still|on top of that|also|\w+ also)\b", re.I
        ),
        "two connectives stacked (“Simply put: better still, …”)",
    ),
)
_FR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b(?:{'|'.join(_FR_POSSESSIVES.split())})\s+(?:{'|'.join(_FR_FUNCTION.split())})\b"
            rf"|\bune?\s+(?:{'|'.join(_FR_AFTER_UN.split())})\b",
            re.I,
        ),
        "un déterminant suivi d'un mot outil",
    ),
    (
        re.compile(
            rf"\b(?:{'|'.join(FR_STRICT_DETERMINERS)})\s+(?:{'|'.join(FR_INFINITIVES)})\b", re.I
        ),
        "un déterminant suivi d'un infinitif",
    ),
    (
        re.compile(
            rf"\b(?!(?:{'|'.join(FR_MODAL_IMPERATIVES)})\b)[\w-]+ez(?:-vous)?\s+"
            rf"(?:{'|'.join(FR_INFINITIVES)})\b",
            re.I,
        ),
        "un impératif suivi d'un infinitif",
    ),
    (
        re.compile(r"\b(?:de|à) les?\s+(?!\w+(?:er|ir|re|oir)\b)\w+", re.I),
        "« de le » ou « à les » au lieu de « du » ou « aux »",
    ),
    (
        re.compile(r"\b(?:le|la|de|que|ne|je|me|te|se|ce)\s+(?!à\b)[aeiouéèêàâîôû]\w*", re.I),
        "une élision manquante",
    ),
    (
        re.compile(
            r"\b(?:le|la|les|un|une|des|du|de|votre|notre|vos|nos|et|ou|pour|sur|à|au|aux|"
            r"(?<!faire )(?<!fait )(?<!fais )(?<!faisait )(?<!faites )avec)\s*[.!?](?!\w)",
            re.I,
        ),
        "une phrase qui finit sur un déterminant ou une préposition",
    ),
)
_FR_PATTERNS = (
    *_FR_PATTERNS,
    (
        re.compile(r"^[^:]{2,30}\s?:\s+(?:et|de plus|mieux encore|en plus)\b", re.I),
        "deux connecteurs à la suite (« En bref : mieux encore, … »)",
    ),
)
_COMMON: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\{[\w]*\}|\[[A-Za-zÀ-ÿ ]{2,}\]"), "an empty template slot"),
    (re.compile(r"[,;:]\s*[.!?]|\.\.(?!\.)|,,|::"), "doubled or dangling punctuation"),
)
_DOUBLE = re.compile(rf"\b({_W})\s+\1\b", re.I)
_DOUBLE_OK = wordset("that had nous vous")


def _scan(text: str) -> str:
    """The text the patterns read: without links and hashtags, one line per sentence."""
    return HASHTAG.sub(" ", URL.sub(" ", text))


def broken_patterns(text: str, lang: str) -> list[Issue]:
    """Every broken pattern in ``text`` (each sentence reported once)."""
    issues: list[Issue] = []
    patterns = (*_COMMON, *(_FR_PATTERNS if lang == "fr" else _EN_PATTERNS))
    for sentence in sentences(_scan(text)):
        problem = next((why for pattern, why in patterns if pattern.search(sentence)), "")
        if not problem:
            double = _DOUBLE.search(sentence)
            if double and double.group(1).lower() not in _DOUBLE_OK:
                problem = f"“{double.group(1)}” twice in a row"
        if problem:
            issues.append(
                Issue(
                    "broken_grammar",
                    f"{quoted(sentence)} is not correct: {problem}.",
                    f"fix_grammar: rewrite {quoted(sentence, 200)} as a correct sentence.",
                )
            )
    return issues


# --- calls to action ---

_EN_VERBS = wordset(
    "subscribe join sign book try download register order shop visit contact call buy start get "
    "claim grab request reserve discover explore learn see read watch come tell share follow "
    "apply enroll save meet taste send ask drop check find take give schedule pick choose "
    "unlock"
)
_EN_LEAD = re.compile(
    r"(?:^|[.!?:;,—–-]\s*|\b(?:and|or|then|to|please|just|simply|now|today|can|will|"
    r"could|why not|ready to|want to)\s+)$",
    re.I,
)
_EN_DET_BEFORE = re.compile(
    r"\b(?:a|an|the|your|our|their|my|this|that|one|free|first|'s|’s|his|her)\s+$|"
    r"\b(?:get|grab|claim|book|order|request|start|try|download|join|see|enjoy|reserve|"
    r"with|for|at|to|on|in|via|from)\s+$",
    re.I,
)
_FR_INF_BEFORE = re.compile(
    r"(?:\b(?:à|de|pour|sans|pouvez|voulez|souhaitez|devez|aimeriez|suffit de|faut|"
    r"venez|allez|osez|pensez à|envie de|besoin de|n'hésitez pas à|qu['’]à|plus qu['’]à|voir|"
    r"ne pas)|"
    r"\bd['’]|\bqu['’]|[:—–-])\s*$",
    re.I,
)
_FR_DET_BEFORE = re.compile(
    r"\b(?:le|la|les|l['’]|un|une|des|du|de la|de l['’]|votre|vos|notre|nos|ce|cet|cette|ces|"
    r"au|aux|à|sur|via|son|sa|ses|d['’]une?|d['’])\s*$",
    re.I,
)


def cta_form(target: str, lang: str) -> str:
    """How a call-to-action target reads: "link", "verb", "infinitive" or "thing"."""
    first = target.split()[0].lower() if target.split() else ""
    if URL.search(target):
        return "link"
    if lang == "fr":
        words = target.lower().replace("’", "'").split()
        verb = words[1] if words[0] in ("se", "en", "y") and len(words) > 1 else words[0]
        if verb in FR_INFINITIVES or verb.removeprefix("s'") in FR_INFINITIVES:
            return "infinitive"
        if re.fullmatch(r"(?:[\w]+ez|dites|faites)(?:-(?:vous|nous|le|la|les|y|en))*", first):
            return "verb"
        return "thing"
    if first in _EN_VERBS:
        return "verb"
    return "thing"


def cta_form_errors(text: str, targets: Iterable[str], lang: str) -> list[Issue]:
    """Calls to action whose target sits in the wrong grammatical slot ("Découvrez adhérer")."""
    issues: list[Issue] = []
    links = [m.span() for m in re.finditer(r"(?:https?://|www\.)\S+", text, re.I)]
    for target in dict.fromkeys(t.strip() for t in targets if t.strip()):
        form = cta_form(target, lang)
        if form == "link":
            continue
        for match in re.finditer(rf"(?<![\w'’-]){re.escape(target)}(?![\w'’-])", text, re.I):
            if any(start <= match.start() < end for start, end in links):
                continue  # a word inside a link's address is not a call to action
            before = text[max(0, match.start() - 40) : match.start()]
            if "\n" in before:
                before = before.rsplit("\n", 1)[1]
            wrong = ""
            if lang == "fr" and form == "infinitive" and not _FR_INF_BEFORE.search(before):
                if before.strip():  # an infinitive opening a line reads as a heading: allowed
                    wrong = "un infinitif doit suivre « à » ou « de » (« Envie de … ? »)"
            elif lang == "fr" and form == "thing" and not _FR_DET_BEFORE.search(before):
                wrong = "il manque un déterminant (« votre … »)"
            elif lang != "fr" and form == "verb" and not _EN_LEAD.search(before):
                wrong = "a verb needs to start the call to action (“Subscribe today.”)"
            elif (
                lang != "fr"
                and form == "thing"
                and not _EN_DET_BEFORE.search(before)
                and (not target.lower().endswith("s") or not before.strip())
            ):
                wrong = "a thing needs a verb and a determiner (“Get your …”)"
            if wrong:
                sentence = _sentence(text, match.start())
                issues.append(
                    Issue(
                        "cta_form",
                        f"The call to action {quoted(sentence)} misuses {quoted(target)}: {wrong}.",
                        f"fix_cta: rebuild the call to action around {quoted(target)}; {wrong}.",
                    )
                )
                break
    return issues


def _sentence(text: str, index: int) -> str:
    start = max(text.rfind(c, 0, index) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, index) for c in ".!?\n") if i >= 0]
    return text[start : (min(ends) + 1 if ends else len(text))].strip()
