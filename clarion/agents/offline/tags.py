"""Hashtags from the brand and the subject: never a stray word, never a label of the plan.

Candidates, in order: the brand's name; the subject's head (its last two or three words when
the subject is a plain noun phrase, or its first noun and complement in French); the brand's
category; short value propositions that are things. A candidate is kept when each of its
words is a real content word and the tag stays short enough to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clarion.agents.offline.grammar import EN_VERBS
from clarion.agents.offline.material import Material
from clarion.writing.quality.hashtags import _JUNK
from clarion.writing.quality.labels import KNOWN_LABELS, label_variants
from clarion.writing.quality.lexicon import wordset
from clarion.writing.quality.text import fold

MAX_TAG = 22
PER_NETWORK = {"X": 2, "Bluesky": 1, "Mastodon": 3, "LinkedIn": 3}
_STOP = wordset(
    "a an and or the of to in for with our your at by from on into de du des la le les l d et "
    "ou en au aux pour par sur avec dans votre vos notre nos un une à"
)
_LEADING = wordset("le la les l un une des nouveau nouvelle nouvel nos notre vos votre")
_CUT = re.compile(
    r"\s+(?:who|that|which|with|within|for|in|at|to|from|on|by|before|after|without|under|over|"
    r"about|qui|que|pour|avec|en|à|au|aux|"
    r"sur|dans|depuis)\s+.*$",
    re.IGNORECASE,
)


def _gerund(word: str) -> bool:
    """ "pausing", "skipping": verbs, never tags."""
    if not word.endswith("ing") or len(word) < 6:
        return False
    stem = word[:-3]
    return any(v in EN_VERBS for v in (stem, stem + "e", stem[:-1]))


def _camel(words: Iterable[str]) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def _words(phrase: str) -> list[str]:
    """Words of a phrase; a hyphenated word stays one ("single-origin" -> "SingleOrigin")."""
    found = []
    for word in re.split(r"\s+", phrase.replace("’", "'")):
        word = re.sub(r"^[lLdD]'", "", word)
        parts = [p for p in re.split(r"[-']", word) if p]
        if parts:
            found.append(
                "".join(p[:1].upper() + p[1:] for p in parts) if len(parts) > 1 else parts[0]
            )
    return found


def _core(phrase: str, lang: str) -> list[str]:
    """The words a tag can carry: the phrase before its first complement, content words only."""
    head = _CUT.sub("", phrase.strip())
    raw = _words(re.sub(r"[^\w\s'’-]", "", head))
    if lang != "fr" and len(raw) > 1 and raw[-1].lower().endswith("ed"):
        raw = raw[:-1]  # "small-batch coffee roasted" -> "small-batch coffee"
    if lang == "fr":
        while raw and fold(raw[0]) in _LEADING:  # "le nouveau tableau de bord" -> "tableau …"
            raw = raw[1:]
        if len(raw) >= 3 and raw[1].lower() == "de":  # "tableau de bord", "planning de la semaine"
            article = raw[2].lower() in ("la", "l") and len(raw) >= 4
            compound = [raw[0], "de", *(["la", raw[3]] if article else [raw[2]])]
            if len(_camel(compound)) <= MAX_TAG:
                return compound
        return [w for w in raw if w.lower() not in _STOP][:2]
    words = [w for w in raw if w.lower() not in _STOP and not _gerund(w.lower())][-3:]
    if len(words) == 2 and all(w.lower().endswith("s") for w in words):
        return []  # "alerts days": two plurals side by side are not one thing
    while len(words) > 1 and len(_camel(words)) > MAX_TAG:  # "…SingleOriginRoast"
        words = words[1:]
    return words


def _good(words: list[str], labels: set[str], junk: set[str]) -> bool:
    if not words or any(
        (len(w) < 3 and w.lower() not in ("de", "la")) or w.isdigit() for w in words
    ):
        return False
    if len(words) == 1 and fold(words[0]) in junk:
        return False
    if fold(" ".join(words)) in labels or fold("".join(words)) in labels:
        return False
    return len(_camel(words)) <= MAX_TAG


def hashtags(
    mat: Material, subject: str, *, labels: Iterable[str] = (), avoid: Iterable[str] = ()
) -> list[str]:
    """Tags for a post about ``subject``, best first (the caller keeps as many as the network wants)."""
    label_keys = {fold(v) for v in label_variants([*labels, *KNOWN_LABELS])}
    label_keys |= {k.replace(" ", "") for k in label_keys}
    junk = {fold(j) for j in _JUNK}
    banned = {a.lower().lstrip("#") for a in avoid}
    candidates: list[list[str]] = []
    if mat.brand:
        candidates.append(_words(re.sub(r"[^\w\s'’-]", " ", mat.brand)))
    candidates.append(_core(subject, mat.lang))
    if mat.category:
        candidates.append(_core(mat.category, mat.lang))
    candidates += [
        _core(p.text, mat.lang) for p in mat.props if p.form == "thing" and len(p.text.split()) <= 3
    ]
    tags: list[str] = []
    seen: set[str] = set()
    for words in candidates:
        words = [w for w in words if w]
        if len(words) > 1 and words is not candidates[0]:
            words = [w for w in words if w in ("de", "la") or fold(w) not in junk] or words
        if not _good(words, label_keys, junk) and words is not candidates[0]:
            continue
        tag = "#" + _camel(words)
        keys = {fold(w)[:5] for w in words if w.lower() not in ("de", "la")}
        if tag.lower().lstrip("#") in banned or (keys <= seen and words is not candidates[0]):
            continue
        if len(tag) > MAX_TAG + 1 and words is candidates[0]:
            continue
        seen |= keys
        tags.append(tag)
    return list(dict.fromkeys(tags))
