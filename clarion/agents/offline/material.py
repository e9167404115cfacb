"""The brand as material: typed phrases to rewrite, never lines to paste.

``material`` reads a brand (and the brief's own do/don't lines) into what the writer builds
with: the brand's category ("small-batch coffee", from the positioning), its audience as a
noun phrase, its value propositions classified by form, its calls to action with the verb
each one needs, and the rules every post must follow. A field that carries a link, an email
address, a request for secrets or an instruction is not material at all and is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clarion.agents.offline.grammar import (
    EN_IRREGULAR_PARTICIPLES,
    Phrase,
    classify,
    en_plural,
    fr_article,
    fr_feminine,
)
from clarion.agents.offline.text import _dont_phrases, _lang, _scrub, _tone
from clarion.agents.schemas import BrandContext
from clarion.writing.quality.grammar import cta_form
from clarion.writing.quality.guidelines import per_post_mentions
from clarion.writing.quality.lexicon import wordset
from clarion.writing.quality.text import URL

_UNSAFE = re.compile(
    r"\b(?:passwords?|mots? de passe|credit card|carte bancaire|bank details|coordonnées "
    r"bancaires|login|identifiants|ignore (?:all |the )?(?:previous|above)|instructions?|"
    r"system prompt|disregard|oubliez (?:les|toutes les) instructions)\b",
    re.IGNORECASE,
)
_EN_CUT = re.compile(
    r"\s+(?:that|which|who|with|for|so|where|to|in|from|and delivered|delivered)\b|[,;:—–(]"
)
_FR_CUT = re.compile(r"\s+(?:qui|que|où|dont|pour|avec|afin|grâce)\b|[,;:—–(]")
_LEADING_DET = re.compile(
    r"^(?:a|an|the|our|your|un|une|le|la|les|des|notre|nos|votre|vos)\s+|^l['’]", re.I
)
_DANGLING = wordset(
    "a an the and or of to in for with at by from on à la le les l' de du des et ou en au aux "
    "pour par sur avec dans"
)
TRANSACTIONAL = wordset(
    "subscribe join book order sign register start try get claim request reserve download shop "
    "visit schedule apply enroll buy grab"
)
# Keyword in a "thing" target -> the action that gets it ({t} is the target, verbatim).
_EN_THINGS = (
    ("demo", "book {a} {t}"), ("call", "book {a} {t}"), ("consult", "book {a} {t}"),
    ("survey", "book {a} {t}"), ("audit", "book {a} {t}"), ("appointment", "book {a} {t}"),
    ("newsletter", "join the {t}"), ("waitlist", "join the {t}"), ("community", "join the {t}"),
    ("webinar", "save your seat at the {t}"), ("workshop", "save your spot at the {t}"),
    ("event", "save your spot at the {t}"), ("trial", "start your {t}"),
    ("class", "book your {t}"), ("session", "book your {t}"), ("lesson", "book your {t}"),
    ("kit", "get your {t}"), ("sample", "request your {t}"), ("guide", "download the {t}"),
    ("ebook", "download the {t}"), ("checklist", "download the {t}"),
    ("report", "download the {t}"), ("quote", "request {a} {t}"), ("estimate", "request {a} {t}"),
    ("shop", "visit the {t}"), ("store", "visit the {t}"), ("offer", "claim the {t}"),
    ("discount", "claim your {t}"), ("coupon", "claim your {t}"), ("app", "download the {t}"),
    ("membership", "start your {t}"), ("", "get your {t}"),
)  # fmt: skip
_FR_THINGS = (
    ("démo", "réservez {v} {t}"), ("demo", "réservez {v} {t}"), ("rendez-vous", "prenez {t}"),
    ("newsletter", "abonnez-vous à {n} {t}"), ("lettre", "abonnez-vous à {n} {t}"),
    ("essai", "lancez {v} {t}"), ("kit", "demandez {v} {t}"), ("échantillon", "demandez {v} {t}"),
    ("coffret", "commandez {v} {t}"), ("atelier", "réservez votre place à {n} {t}"),
    ("cours", "réservez {v} {t}"), ("séance", "réservez {v} {t}"),
    ("webinaire", "inscrivez-vous à {n} {t}"), ("guide", "téléchargez {n} {t}"),
    ("livre", "téléchargez {n} {t}"), ("devis", "demandez {v} {t}"),
    ("boutique", "visitez {n} {t}"), ("offre", "profitez de {n} {t}"),
    ("adhésion", "demandez {v} {t}"), ("", "découvrez {n} {t}"),
)  # fmt: skip
_DEFAULT_CTAS = {"en": ("learn more",), "fr": ("en savoir plus",)}


@dataclass(frozen=True)
class Cta:
    """A call to action: the target (it must appear as written) and the words around it."""

    target: str
    form: str  # "link", "verb", "infinitive" or "thing"
    action: str  # "get your free tasting kit", "subscribe", "adhérer", the link
    transactional: bool = True


@dataclass(frozen=True)
class Rule:
    """A do rule every post follows: "mention freshness or origin", "welcome beginners"."""

    verb: str
    choices: tuple[str, ...]
    abstract: bool  # "a concrete benefit": any value proposition satisfies it


@dataclass(frozen=True)
class Material:
    lang: str
    tone: str
    brand: str
    category: str
    category_plural: bool
    audience: str
    audience_short: str
    props: tuple[Phrase, ...]
    ctas: tuple[Cta, ...]
    rules: tuple[Rule, ...]
    avoid: tuple[str, ...]


def safe(text: str) -> bool:
    """Whether a brand line may be used as material (no link, secret or instruction in it)."""
    return bool(text.strip()) and not URL.search(text) and not _UNSAFE.search(text)


def _clean(text: str, avoid: Sequence[str], keep: Sequence[str] = ()) -> str:
    """``text`` on one line, without banned words, its first letter lowered unless a name."""
    text = _scrub(" ".join(text.replace("’", "'").split()), avoid).strip(" .;:!-—")
    words = text.split()
    while words and words[-1].lower() in _DANGLING:  # "torréfié à la [banned]" -> "torréfié"
        words.pop()
    text = " ".join(words)
    first = text.split(" ", 1)[0]
    if first[1:].islower() and first.lower() not in {k.lower() for k in keep}:
        text = text[:1].lower() + text[1:]
    return text


def category(positioning: str, lang: str, avoid: Sequence[str] = ()) -> str:
    """The thing a brand sells, from its positioning: "small-batch coffee", "logiciel de planning"."""
    first = re.split(r"(?<=[.!?])\s+", positioning.strip(), maxsplit=1)[0]
    if not safe(first):
        return ""
    head = _LEADING_DET.sub("", first.strip())
    head = (_FR_CUT if lang == "fr" else _EN_CUT).split(head, maxsplit=1)[0]
    if lang == "fr":  # a French brand may still describe itself in English
        head = _EN_CUT.split(head, maxsplit=1)[0]
    words = head.split()
    if lang == "en" or any(w.lower().endswith("ed") for w in words[1:]):
        cut = next(
            (
                i
                for i, w in enumerate(words)
                if i and (w.lower().endswith("ed") or w.lower() in EN_IRREGULAR_PARTICIPLES)
            ),
            len(words),
        )
        words = words[:cut]
    words = words[:4]
    while words and words[-1].lower() in ("and", "et", "or", "ou", "de", "of", "the", "a"):
        words.pop()
    return _clean(" ".join(words), avoid) if len(words) >= 1 else ""


def audience(text: str, lang: str, avoid: Sequence[str] = ()) -> tuple[str, str]:
    """The audience as a noun phrase, and its first part: ("remote workers and home baristas",
    "remote workers"); French parts get their article ("les cyclistes du quotidien et les …")."""
    if not safe(text):
        return "", ""
    cut = _FR_CUT if lang == "fr" else re.compile(r"\s+(?:who|that|which|with)\b|[,;:—–(]")
    head = _clean(cut.split(text.strip(), maxsplit=1)[0], avoid)
    words = head.split()[:8]
    while words and words[-1].lower() in ("and", "et", "or", "ou", "de", "of", "the", "at", "in"):
        words.pop()
    head = " ".join(words)
    parts = re.split(r"\s+(?:and|et|&)\s+", head)
    if lang == "fr":
        parts = [fr_article(p, True) for p in parts]
        head = " et ".join(parts)
    return head, parts[0]


def _props(brand: BrandContext, lang: str, avoid: Sequence[str]) -> tuple[Phrase, ...]:
    found: list[Phrase] = []
    for raw in brand.value_props:
        if not safe(raw):
            continue
        text = _clean(raw, avoid)
        if len(text.split()) > 9:  # keep the first clause of a long line
            text = re.split(r",|\s+(?:so|which|that|because|donc|qui|car)\s+", text)[0].strip()
        if 1 <= len(text.split()) <= 9 and text:
            found.append(classify(text, lang))
    return tuple(found)


def _article_a(word: str) -> str:
    return "an" if re.match(r"[aeiou]", word, re.I) else "a"


def cta(target: str, lang: str) -> Cta:
    """How to ask for ``target``: the action phrase around it, by its form."""
    form = cta_form(target, lang)
    lowered = target.lower()
    if form in ("link", "verb", "infinitive"):
        verb = lowered.split()[0] if lowered.split() else ""
        return Cta(target, form, target, form != "verb" or verb in TRANSACTIONAL)
    head = lowered.split()[0] if lang == "fr" else lowered
    plural = head.endswith(("s", "x")) and not head.endswith(("ss", "cours", "prix", "fois"))
    if re.match(r"^(?:a|an|the|your|our|un|une|le|la|les|l'|votre|vos|notre|nos)\b", lowered):
        bare = "{verb} {t}"
        table = _FR_THINGS if lang == "fr" else _EN_THINGS
        template = next(tpl for key, tpl in table if key in lowered)
        verb = template.split(" {")[0].split(" ")[0]
        return Cta(target, form, bare.format(verb=verb, t=target))
    if lang == "fr":
        template = next(tpl for key, tpl in _FR_THINGS if key in lowered)
        action = template.format(
            t=target, v="vos" if plural else "votre", n="nos" if plural else "notre"
        )
        return Cta(target, form, action)
    template = next(tpl for key, tpl in _EN_THINGS if key in lowered)
    article = "" if plural else _article_a(target)
    action = " ".join(template.format(t=target, a=article).split())
    return Cta(target, form, action)


def rules(do: Sequence[str]) -> tuple[Rule, ...]:
    found: list[Rule] = []
    for rule in do:
        parsed = per_post_mentions(rule)
        if parsed:
            verb, choices = parsed
            abstract = any(
                w in c.lower()
                for c in choices
                for w in ("benefit", "bénéfice", "avantage", "value")
            )
            found.append(Rule(verb, tuple(choices), abstract))
    return tuple(found)


def material(
    brand: BrandContext | None,
    *,
    do: Sequence[str] = (),
    dont: Sequence[str] = (),
    slot_cta: str = "",
) -> Material:
    """Everything the writer builds a post from, for ``brand`` (or none)."""
    lang, tone = _lang(brand), _tone(brand)
    avoid = tuple(
        t.strip()
        for t in [
            *(brand.banned_terms if brand else []),
            *_dont_phrases(brand),
            *(p for p in dont if len(p.split()) <= 4),
        ]
        if t.strip()
    )
    targets = [t for t in (brand.cta_targets if brand else []) if t.strip() and safe_target(t)]
    if slot_cta.strip() and slot_cta.strip().lower() in {t.lower() for t in targets}:
        targets = [slot_cta.strip()] + [t for t in targets if t.lower() != slot_cta.strip().lower()]
    elif slot_cta.strip() and not targets and safe_target(slot_cta):
        targets = [slot_cta.strip()]
    targets = targets or list(_DEFAULT_CTAS[lang])
    name = _scrub(brand.brand_name, avoid) if brand else ""
    what = category(brand.positioning, lang, avoid) if brand else ""
    people, first = audience(brand.target_audience, lang, avoid) if brand else ("", "")
    plural = what.split()[0].endswith(("s", "x")) if lang == "fr" and what else en_plural(what)
    return Material(
        lang=lang,
        tone=tone,
        brand=name,
        category=what,
        category_plural=bool(what) and plural,
        audience=people,
        audience_short=first,
        props=_props(brand, lang, avoid) if brand else (),
        ctas=tuple(cta(t, lang) for t in targets),
        rules=rules([*(brand.guidelines_do if brand else []), *do]),
        avoid=avoid,
    )


def safe_target(target: str) -> bool:
    """CTA targets may be links (they are destinations), but never secrets or instructions."""
    return bool(target.strip()) and not _UNSAFE.search(target)


__all__ = ["Cta", "Material", "Rule", "audience", "category", "cta", "fr_feminine", "material"]
