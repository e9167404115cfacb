"""The little grammar the offline writer needs, English and French.

A brand's phrases come in every form ("roasted to order", "free tasting kit", "pause or skip
your subscription", "venir à l'atelier"). ``classify`` tells which form a phrase has, so each
one is put where its form fits: a thing after a determiner or a verb, a quality after "is", an
action after "you can", a French infinitive after "à" or "de". French nouns get an article from
their ending (a heuristic that is right for the usual suffixes), and "son vélo soi-même"
becomes "votre vélo vous-même" when the post speaks to the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clarion.writing.quality.lexicon import FR_INFINITIVES, wordset

Form = str  # "thing", "quality", "action", "predicate" or "clause"

EN_VERBS = wordset(
    "pause skip cancel get save send track sync invoice manage book order choose pick try switch "
    "change plan automate share keep stay start stop pay return swap customize customise build "
    "create join learn meet enjoy taste brew grind repair fix ride bring grow cut reduce avoid "
    "spot see find compare check install connect run close chase sign schedule export import "
    "print ship deliver collect earn win unlock access use explore discover visit come drop "
    "make give take tell ask follow download register subscribe claim request reserve shop call "
    "email contact apply enroll send invite host train practice practise move stretch breathe "
    "work help fit plug warn predict cover"
)
EN_IRREGULAR_PARTICIPLES = wordset(
    "made built sent grown sewn known done written brought bought kept held taught shown given "
    "taken chosen driven spun woven handmade hand-made hand-picked handpicked homemade"
)
EN_ADJECTIVES = wordset(
    "fast quick simple easy free local fresh friendly affordable secure open independent ethical "
    "organic small flexible reliable safe clear honest transparent quiet calm warm available "
    "accessible sustainable seasonal certified personal human"
)
_EN_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|will|can|we|you'll|it's|they're)\b", re.I)
_EN_PREPOSITIONS = wordset(
    "of with in for at to from on by within without before after during until who that which"
)
_FR_FINITE = re.compile(r"\b(?:est|sont|a|ont|fait|font|peut|peuvent|on|nous|il|elle)\b", re.I)
FR_QUALITIES = wordset(
    "ouvert ouverte ouverts ouvertes conçu conçue fait faite pensé pensée garanti inclus "
    "conforme disponible disponibles simple rapide facile local locale accessible accessibles "
    "certifié certifiée adapté adaptée livré livrée prêt prête"
)
_FR_FEMININE = re.compile(
    r"(?:tion|sion|té|ure|ance|ence|ette|ie|ise|ude|ade|ière|elle|esse|ine|onne|ée|ique|oire)$"
)
_FR_MASCULINE_EXCEPTIONS = wordset("lycée musée café thé pied génie incendie parapluie")
_FR_FEMININE_EXCEPTIONS = wordset("appli application clé fin main mer nuit part souris voiture")
FR_VOWEL = re.compile(r"^[aeiouyéèêëàâîïôûh]", re.I)


@dataclass(frozen=True)
class Phrase:
    """A brand phrase and its form; ``plural`` is about a thing's head noun."""

    text: str
    form: Form
    plural: bool = False


def _first(text: str) -> str:
    return text.split()[0].lower().strip(",.;:") if text.split() else ""


def _participle(words: list[str], index: int) -> bool:
    word = words[index]
    if not (word.endswith("ed") or word in EN_IRREGULAR_PARTICIPLES):
        return False
    following = words[index + 1] if index + 1 < len(words) else ""
    return not following or following in _EN_PREPOSITIONS or following[:1].isdigit()


def en_plural(noun_phrase: str) -> bool:
    words = noun_phrase.lower().replace(",", " ").split()
    head = next(
        (
            words[i - 1]
            for i, w in enumerate(words)
            if i and (w in _EN_PREPOSITIONS or _participle(words, i))
        ),
        words[-1] if words else "",
    )
    return head.endswith("s") and not head.endswith(("ss", "us", "is", "'s"))


def classify_en(text: str) -> Phrase:
    words = text.split()
    first = _first(text)
    second = words[1].lower() if len(words) > 1 else ""
    if first in EN_VERBS and not second.endswith(("ing", "tion")):
        return Phrase(text, "action")
    if (
        first.endswith("s")
        and first[:-1] in EN_VERBS
        and second
        in (
            "with",
            "the",
            "your",
            "you",
            "in",
            "on",
            "every",
            "all",
            "for",
            "to",
            "up",
        )
    ):
        return Phrase(text, "predicate")
    lowered = [w.lower().strip(",") for w in words]
    if ((first.endswith("ed") and len(first) > 4) or first in EN_IRREGULAR_PARTICIPLES) and (
        _participle(lowered, 0) or second == ","
    ):  # "roasted to order", not "fresh-roasted coffee"
        return Phrase(text, "quality")
    if all(w.strip(",") in EN_ADJECTIVES | {"and", "or", "&"} for w in words):
        return Phrase(text, "quality")
    if _EN_FINITE.search(text) and not re.match(r"^\w+ (?:who|that)\b", text, re.I):
        return Phrase(text, "clause")
    return Phrase(text, "thing", en_plural(text))


def fr_infinitive(word: str) -> bool:
    word = word.lower().replace("’", "'")
    return word in FR_INFINITIVES or word.removeprefix("s'") in FR_INFINITIVES


def classify_fr(text: str) -> Phrase:
    words = text.lower().replace("’", "'").split()
    first = words[0] if words else ""
    verb = words[1] if first in ("se", "s'") and len(words) > 1 else first
    if fr_infinitive(verb) or (first.startswith("s'") and fr_infinitive(first[2:])):
        return Phrase(text, "action")
    if first in FR_QUALITIES or (
        re.search(r"(?:é|ée|és|ées)$", first)
        and not first.endswith(("té", "tés"))
        and first not in ("café", "thé", "lycée", "musée")
    ):
        return Phrase(text, "quality")
    if _FR_FINITE.search(" ".join(words[:3])):
        return Phrase(text, "clause")
    plural = first.endswith(("s", "x")) and first not in ("prix", "temps", "fois", "cours", "choix")
    return Phrase(text, "thing", plural)


def classify(text: str, lang: str) -> Phrase:
    return classify_fr(text) if lang == "fr" else classify_en(text)


def fr_feminine(noun: str) -> bool:
    word = noun.lower().split()[0] if noun.split() else ""
    if word in _FR_FEMININE_EXCEPTIONS:
        return True
    if word in _FR_MASCULINE_EXCEPTIONS:
        return False
    return bool(_FR_FEMININE.search(word.rstrip("sx")))


def fr_article(phrase: str, plural: bool, *, kind: str = "definite") -> str:
    """``phrase`` with a French article: "le planning", "la facturation", "l'atelier", "les outils"."""
    if re.match(r"^(?:le|la|les|l'|l’|un|une|des|du|votre|vos|notre|nos)\b", phrase, re.I):
        return phrase
    if kind == "possessive":
        return f"{'vos' if plural else 'votre'} {phrase}"
    if plural:
        return f"les {phrase}"
    if FR_VOWEL.match(phrase) and not phrase.lower().startswith(("h", "y")):
        return f"l'{phrase}"
    return f"{'la' if fr_feminine(phrase) else 'le'} {phrase}"


def fr_de(phrase_with_article: str) -> str:
    """ "de" + an article: "du planning", "de la facturation", "des outils", "de l'atelier"."""
    lowered = phrase_with_article.lower()
    if lowered.startswith("le "):
        return "du " + phrase_with_article[3:]
    if lowered.startswith("les "):
        return "des " + phrase_with_article[4:]
    if FR_VOWEL.match(phrase_with_article):
        return "d'" + phrase_with_article
    return "de " + phrase_with_article


def fr_to_reader(phrase: str) -> str:
    """A French infinitive phrase said to "vous": "réparer son vélo soi-même" -> "… votre vélo vous-même"."""
    swaps = (
        (r"\bsoi-même\b", "vous-même"), (r"\bson\b", "votre"), (r"\bsa\b", "votre"),
        (r"\bses\b", "vos"), (r"^se ", "vous "), (r"^s['’]", "vous "),
    )  # fmt: skip
    for pattern, replacement in swaps:
        phrase = re.sub(pattern, replacement, phrase)
    return phrase


def en_gerund(action: str) -> str:
    """ "pause or skip your subscription" -> "pausing or skipping your subscription"."""
    words = action.split()
    out: list[str] = []
    verb_next = True
    for word in words:
        lowered = word.lower()
        if verb_next and lowered in EN_VERBS:
            out.append(_ing(lowered))
            verb_next = False
        elif lowered in ("or", "and") and out and out[-1].endswith("ing"):
            out.append(word)
            verb_next = True
        else:
            out.append(word)
            verb_next = False
    return " ".join(out)


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprtv]", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ing"
    return verb + "ing"


_RELATIVES = wordset("who that which whose qui que dont où")
_SHORT_STOPS = wordset(
    "a an and or the of to in for with within at by from on your our anytime before after pour "
    "et ou de du des la le les en à au aux avec sur vos votre nos notre dans depuis under over "
    "about into than who that which"
)


# Words of a measure that its complement finishes ("days before a breakdown").
_UNITS = wordset("minutes hours days weeks months years minutes heures jours semaines mois ans")


def shorten(phrase: str, limit: int, lang: str, form: Form = "thing") -> str:
    """A label of at most ``limit`` characters for ``phrase`` ("" when none reads well).

    English things keep their head noun ("traceable single-origin beans" -> "single-origin
    beans"); other phrases are cut where a complement starts ("planning de la semaine en dix
    minutes" -> "planning de la semaine"), never after a function word.
    """
    words = phrase.replace(", ", " , ").split()
    if form in ("predicate", "clause"):
        return ""
    relative = next((i for i, w in enumerate(words) if i and w.lower() in _RELATIVES), None)
    words = words[:relative] if relative else words  # "teachers who know your name" -> "teachers"
    options: list[str] = []
    plain = not any(w.lower() in _SHORT_STOPS | {","} for w in words)
    if lang == "en" and form == "thing" and plain and not en_plural(" ".join(words[:-1]) or "x"):
        options += [" ".join(words[k:]) for k in range(len(words))]
    for end in range(len(words), 0, -1):
        following = words[end].lower() if end < len(words) else ""
        boundary = not following or following in _SHORT_STOPS or following == ","
        boundary = boundary or bool(re.search(r"(?:é|ée|és|ées|ed)$", following))
        last = words[end - 1].lower()
        participle = last.endswith("ed") or last in EN_IRREGULAR_PARTICIPLES
        unit = end < len(words) and last in _UNITS  # "alerts days | before a breakdown"
        if boundary and last not in _SHORT_STOPS and not (end > 1 and participle) and not unit:
            options.append(" ".join(words[:end]))
    fitting = [o.replace(" ,", ",").strip(" ,") for o in options if len(o) <= limit]
    fitting = [o for o in fitting if len(o) >= 3]
    return max(fitting, key=len) if fitting else ""


_EN_THIRD = (
    (r"\byourselves\b|\byourself\b", "themselves"),
    (r"\byours\b", "theirs"),
    (r"\byour\b", "their"),
    (r"\byou're\b", "they're"),
    (r"\byou(?=\s+(?:already|can|could|will|would|need|want|have|know|use|get|like|love|do|"
     r"don't|are|may|might|should|choose|pick)\b)", "they"),
    (r"\byou\b", "them"),
)  # fmt: skip
_FR_THIRD = (
    (r"\bvous-mêmes?\b", "eux-mêmes"),
    (r"\bvotre\b", "leur"),
    (r"\bvos\b", "leurs"),
    (r"\bvous (?=\w+(?:er|ir|re)\b)", "les "),  # "pour vous guider" -> "pour les guider"
)


def third_person(text: str, lang: str) -> str:
    """``text`` said of other people rather than to the reader, for a phrase that follows a
    third-person audience: "pausing your subscription" -> "pausing their subscription",
    "réparer votre vélo vous-même" -> "réparer leur vélo eux-mêmes"."""
    for pattern, repl in _FR_THIRD if lang == "fr" else _EN_THIRD:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text
