"""What one post is about: its subject, read from the brief, the planner's topic or the brand.

The subject line of a brief ("A LinkedIn post about …", "Write a post about …") loses its
wrapper; a heading that is a label of the plan ("Poll: …", "Practical tips: …") is dropped in
favour of what follows it; a subject that is itself a label, or empty, falls back to the brand's
own material. A value proposition used as a subject is turned into a noun phrase ("roasted
to order" -> "small-batch coffee roasted to order", "pause or skip …" -> "pausing or skipping …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clarion.agents.offline.brief import _brief
from clarion.agents.offline.grammar import (
    EN_VERBS,
    classify,
    en_gerund,
    en_plural,
    fr_to_reader,
)
from clarion.agents.offline.intent import Intent, read_intent
from clarion.agents.offline.material import Material, safe
from clarion.agents.offline.text import _digest, _scrub
from clarion.writing.quality.brief import BriefFields
from clarion.writing.quality.labels import KNOWN_LABELS, label_variants
from clarion.writing.quality.lexicon import wordset
from clarion.writing.quality.text import fold

_GENERIC_HEADS = wordset(
    "poll sondage question tip tips news update story idea astuce conseil nouveauté"
)


@dataclass(frozen=True)
class Topic:
    subject: str  # "single-origin beans", "our new roast", "réparer votre vélo vous-même"
    kind: str = "thing"  # "thing" or "action"
    plural: bool = False
    intent: str = ""  # "announce", "explain" or ""
    wh: str = ""
    clause: str = ""
    question: str = ""  # the topic, when it is a question
    det: str = ""  # the determiner the brief gave ("our", "the", "notre"…)
    audience: str = ""  # an audience the campaign aims at, overriding the brand's
    product: str = ""
    focus: str = ""  # what the planner's topic says after its subject ("how it works")


def _is_label(text: str, labels: list[str]) -> bool:
    key = fold(text)
    if not key:
        return True
    known = {fold(v) for v in label_variants([*labels, *KNOWN_LABELS])}
    return key in known or key in _GENERIC_HEADS


def _strip_wrapper(line: str) -> str:
    """The subject line without "A LinkedIn post about" / "Write a post about"."""
    return re.sub(
        r"^(?:write\s+)?(?:a|an|un|une)?\s*(?:[\w-]+\s+){0,2}?(?:post|publication|message)\s+"
        r"(?:about|on|sur|à propos de)\s+",
        "",
        line.strip(),
        flags=re.IGNORECASE,
    ).strip()


def _choose_part(line: str, labels: list[str]) -> tuple[str, str]:
    """The part of ``line`` that names the subject, and the rest (the focus)."""
    text = _strip_wrapper(line).rstrip(".")
    if text.endswith("?"):
        return text, ""
    parts = [p.strip() for p in re.split(r"\s*:\s+|\s+[—–]\s+", text, maxsplit=1)]
    if len(parts) == 2:
        head, tail = parts
        if _is_label(head, labels) or re.match(r"^(?:why|how|what|pourquoi|comment)\b", head, re.I):
            return tail, head
        return head, tail
    return text, ""


def read_topic(fields: BriefFields, mat: Material, *, labels: list[str], seed: object) -> Topic:
    """The subject of a post, from its brief and the brand."""
    lang = mat.lang
    part, focus = _choose_part(fields.subject, labels)
    focus = focus if focus and safe(focus) and not _is_label(focus, labels) else ""
    focus = _scrub(focus[:1].lower() + focus[1:], mat.avoid).rstrip(".") if focus else ""
    intent = read_intent(fields.phase.split(":", 1)[-1]) if ":" in fields.phase else Intent()
    goal = read_intent(fields.goal) if fields.goal else Intent()
    audience = intent.audience or goal.audience
    question = part if part.endswith("?") else ""
    if question:  # "Have you tried small-batch coffee?" is about small-batch coffee
        about = re.search(
            r"\b(?:tried|about|on|in|with|for|essayé|sur|avec|dans|pour)\s+(?P<np>[^?]+?)\s*\?$",
            question,
            re.IGNORECASE,
        )
        part = about.group("np") if about else ""
        part = re.sub(r"\s+(?:is|are|est|sont|c'est)\s+.*$", "", part).strip(" ,")
    read = _brief(part, [w.lower() for w in mat.brand.split()]) if part and safe(part) else None
    subject = _scrub(read.subject, mat.avoid) if read else ""
    if read and read.intent == "explain" and read.clause:
        return Topic(subject or read.clause, intent="explain", wh=read.wh,
                     clause=_scrub(read.clause, mat.avoid), audience=audience)  # fmt: skip
    if not subject or _is_label(subject, labels):
        subject = _fallback(mat, seed)
        det = ""
    else:
        det = read.det if read else ""
        first = subject.split(" ", 1)[0]
        if first[1:].islower() and first not in mat.brand.split():
            subject = subject[:1].lower() + subject[1:]
    phrase = classify(subject, lang)
    kind = "thing"
    first_word = subject.split(" ", 1)[0].lower()
    if lang == "en" and first_word.endswith("ing") and _gerund(first_word):
        kind = "action"
    if phrase.form == "action":
        kind = "action"
        subject = fr_to_reader(subject) if lang == "fr" else en_gerund(subject)
    elif phrase.form == "quality" and mat.category:
        subject = f"{mat.category} {subject}"
    plural = en_plural(subject) if lang == "en" else subject.split()[0].endswith(("s", "x"))
    if det in ("our", "your", "the", "their") and lang == "en":
        subject = f"{det} {subject}"
    return Topic(
        subject=subject,
        kind=kind,
        plural=plural and kind == "thing",
        intent=read.intent if read else "",
        question=question,
        det=det if lang == "fr" else "",
        audience=audience,
        product=goal.product,
        focus=focus if not question else "",
    )


def _gerund(word: str) -> bool:
    stem = word[:-3]
    return any(
        v in EN_VERBS for v in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else "")
    )


def _fallback(mat: Material, seed: object) -> str:
    """A subject from the brand when the brief has none: its category or a value proposition."""
    options = [mat.category] if mat.category else []
    for prop in mat.props:
        if prop.form == "thing" or prop.form == "action":
            options.append(prop.text)
        elif prop.form == "quality" and mat.category:
            options.append(f"{mat.category} {prop.text}")
    options = [o for o in options if o]
    if not options:
        return ""
    return options[_digest(seed, "fallback") % len(options)]
