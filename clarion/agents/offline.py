"""The offline content engine: Clarion's built-in, deterministic model.

When no LLM server is available, the writer and the reviewer still work: this
module reads the same JSON request a real model gets (see
``clarion.agents.prompting``) and answers it with brand-aware, platform-aware
text built from template tables. Every choice comes from a SHA-256 digest of the
request, so the same request always gets the same answer, while another seed,
variant or angle gets another text. First drafts are sometimes imperfect (as a
human's would be); the reviewer's rubric names concrete fixes with stable codes
(``add_cta: ...``, ``shorten: ...``), and drafts that apply them pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from clarion.agents.prompting import extract_request
from clarion.agents.schemas import (
    BrandContext,
    Draft,
    ReviewRequest,
    RubricScores,
    Verdict,
    WriteRequest,
)
from clarion.core.platforms import fits, max_length, text_length


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STYLES = ("question", "statistic", "bold claim", "story", "how-to", "contrarian")
ANGLES = {
    "question": "curiosity",
    "statistic": "proof points",
    "bold claim": "benefit-led",
    "story": "a day in the life",
    "how-to": "practical tips",
    "contrarian": "myth-busting",
    "announcement": "launch news",
    "explainer": "the reasons why",
}
FIX_CODES = (
    "add_cta", "shorten", "mention_audience", "stronger_hook", "mention_brand",
    "remove_term", "rewrite", "clarify",
)  # fmt: skip
_FIX_NOTES = {
    "add_cta": "added a call to action",
    "shorten": "tightened the copy",
    "mention_audience": "spoke to the audience",
    "stronger_hook": "sharpened the hook",
    "mention_brand": "named the brand",
    "remove_term": "removed flagged terms",
    "rewrite": "rewrote it from a fresh angle",
    "clarify": "simplified the sentences",
}
_FIX_KEYWORDS = (
    ("hook", "stronger_hook"), ("audience", "mention_audience"), ("call to action", "add_cta"),
    ("cta", "add_cta"), ("banned", "remove_term"), ("remove", "remove_term"), ("short", "shorten"),
    ("long", "shorten"), ("length", "shorten"), ("brand", "mention_brand"), ("repeat", "rewrite"),
    ("sentence", "clarify"), ("clear", "clarify"),
)  # fmt: skip
_STYLE_KEYWORDS = (
    ("question", "question"), ("curio", "question"), ("stat", "statistic"), ("number", "statistic"),
    ("data", "statistic"), ("proof", "statistic"), ("list", "statistic"), ("story", "story"),
    ("scenario", "story"), ("behind", "story"), ("how", "how-to"), ("tip", "how-to"),
    ("guide", "how-to"), ("myth", "contrarian"), ("contra", "contrarian"), ("stop", "contrarian"),
    ("bold", "bold claim"), ("claim", "bold claim"), ("benefit", "bold claim"),
)  # fmt: skip
_TONE_KEYWORDS = {
    "playful": ("playful", "fun", "witty", "humor", "humour", "ludique", "drôle"),
    "bold": ("bold", "confident", "direct", "audacious", "audacieux", "assertive"),
    "friendly": ("friendly", "warm", "casual", "chaleureux", "amical", "approachable"),
}
# Per language: tone -> (adjectives, manners, closing lines).
_TONES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "en": {
        "professional": (("effortless", "seamless", "simple"), ("done right", "made simple"),
                         ("Clear, reliable, efficient.", "Built to work, every day.")),
        "playful": (("fun", "delightful", "painless"), ("minus the fuss", "made fun"),
                    ("Less fuss, more fun.", "Go on, treat yourself.")),
        "bold": (("count", "better", "bolder"), ("without compromise", "taken further"),
                 ("No compromises.", "Go big or go home.")),
        "friendly": (("easy", "simple", "a treat"), ("made easy", "made simple"),
                     ("We've got your back.", "We're here to help.")),
    },
    "fr": {
        "professional": (("efficace", "fiable", "simple"), ("en toute simplicité", "sans compromis"),
                         ("Clair, fiable, efficace.", "Pensé pour durer.")),
        "playful": (("ludique", "agréable", "facile"), ("sans prise de tête", "en toute légèreté"),
                    ("Moins de prise de tête, plus de plaisir.", "Allez, faites-vous plaisir.")),
        "bold": (("audacieux", "redoutable", "imbattable"), ("sans compromis", "en grand"),
                 ("Zéro compromis.", "Visez grand.")),
        "friendly": (("facile", "simple", "agréable"), ("en toute simplicité", "comme à la maison"),
                     ("On est là pour vous.", "On s'occupe de vous.")),
    },
}  # fmt: skip
# Slots: {topic} "our new roast" (with its determiner), {fresh} the same without "new", {short}
# the bare subject "bike repair café", {wh} {clause} an explainer's "why ..." clause, kept whole.
_T: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "question": ("Have you tried {topic} yet?", "Ready for {topic}?"),
        "statistic": ("{num} reasons {audience} love {brand}:", "{num} things to know about {topic}:"),
        "bold claim": ("Make way for {topic}.", "Meet the new standard: {topic}."),
        "story": ("Picture this: {topic}, just the way you like it.",
                  "Imagine your week with {topic} on your side."),
        "how-to": ("How {audience} get more from {topic}:", "How to make the most of {topic}:"),
        "contrarian": ("Think you know {topic}? Think again.", "Forget what you've heard about {topic}."),
        "announcement": ("Meet {topic}.", "New: {fresh}.", "It's here: {topic}.", "Say hello to {topic}."),
        "explainer": ("Here's {wh} {clause}.", "Ever wondered {wh} {clause}?",
                      "{wh} {clause}? Let's break it down."),
        "weak": ("We are excited to share news about {topic}.", "Our company has an update about {topic}."),
        "brand_pos": ("{brand}: {positioning}.", "At {brand}, it's all about {positioning}."),
        "brand": ("{brand} makes it {adj}.", "That's the {brand} difference."),
        "audience": ("Built for {audience}.", "Made with {audience} in mind.",
                     "Designed for {audience}, by people who get it."),
        "bullets": ("What you get:", "Why it matters:", "The short version:"),
        "angle": ("Today's focus: {angle}.", "This one is about {angle}."),
        "cta": ("{action} today.", "Ready? {action}.", "{action} and see for yourself."),
        "generic_cta": ("Learn more at the link.", "Get started today.", "Ready? Get started now."),
        "slogan": ("Think {short}. Think {brand}.", "{short}? Make it {brand}.",
                   "{short}, {manner}. Start with {brand}.", "{short}. {benefit}. Meet {brand}."),
        "slogan_nobrand": ("{short}, {manner}. Why settle for less?", "Discover {topic}. You'll be back.",
                           "Why wait? Try {topic} today."),
        "slogan_weak": ("{short} for everyone, from {brand}.",),
        "slogan_audience": ("Made for {audience}.",),
        "defaults": ("what we do", "teams like yours", "us", "Learn more"),
    },
    "fr": {
        "question": ("Vous connaissez {topic} ?", "Prêt à découvrir {topic} ?"),
        "statistic": ("{num} raisons d'adopter {brand} :", "{num} choses à savoir sur {topic} :"),
        "bold claim": ("Faites place à {topic}.", "La nouvelle référence : {topic}."),
        "story": ("Imaginez : {topic}, comme vous l'aimez.",
                  "Imaginez votre semaine avec {topic} à vos côtés."),
        "how-to": ("Comment {audience} tirent le meilleur de {topic} :",
                   "Comment profiter au maximum de {topic} :"),
        "contrarian": ("Vous croyez connaître {topic} ? Détrompez-vous.",
                       "Oubliez ce que vous pensiez savoir sur {topic}."),
        "announcement": ("Découvrez {topic}.", "C'est nouveau : {fresh}.", "Enfin là : {topic}.",
                         "Dites bonjour à {topic}."),
        "explainer": ("Voici {wh} {clause}.", "Vous êtes-vous déjà demandé {wh} {clause} ?",
                      "{wh} {clause} ? On vous explique."),
        "weak": ("Nous sommes heureux de partager des nouvelles sur {topic}.",
                 "Notre entreprise a une annonce concernant {topic}."),
        "brand_pos": ("{brand} : {positioning}.", "{brand}, c'est {positioning}."),
        "brand": ("{brand} vous simplifie la vie.", "C'est toute la différence {brand}."),
        "audience": ("Pensé pour {audience}.", "Conçu pour {audience}.", "Imaginé pour {audience}."),
        "bullets": ("Ce que vous y gagnez :", "Pourquoi c'est important :", "En bref :"),
        "angle": ("Au programme : {angle}.", "L'essentiel : {angle}."),
        "cta": ("{action} dès aujourd'hui.", "Prêt ? {action}.", "{action} et jugez par vous-même."),
        "generic_cta": ("En savoir plus via le lien.", "Commencez dès aujourd'hui.",
                        "Prêt ? Commencez maintenant."),
        "slogan": ("Pensez {short}. Pensez {brand}.", "{short} ? Passez à {brand}.",
                   "{short}, {manner}. Commencez avec {brand}.", "{short}. {benefit}. Découvrez {brand}."),
        "slogan_nobrand": ("{short}, {manner}. Pourquoi attendre ?", "Découvrez {topic}. Vous reviendrez.",
                           "Pourquoi attendre ? Essayez {topic} dès aujourd'hui."),
        "slogan_weak": ("{short} pour tout le monde, par {brand}.",),
        "slogan_audience": ("Pensé pour {audience}.",),
        "defaults": ("ce que nous faisons", "les équipes comme la vôtre", "notre solution",
                     "En savoir plus"),
    },
}  # fmt: skip
# CTA target keyword -> action template per language; {t} is the target, verbatim.
_CTA_ACTIONS: dict[str, dict[str, str]] = {
    "en": {"demo": "book a {t}", "newsletter": "join the {t}", "webinar": "save your seat at the {t}",
           "waitlist": "join the {t}", "shop": "visit the {t}", "store": "visit the {t}",
           "kit": "get your {t}", "trial": "start your {t}", "guide": "get your {t}",
           "offer": "claim the {t}", "://": "visit {t}", "": "check out the {t}"},
    "fr": {"demo": "réservez une {t}", "newsletter": "abonnez-vous à la {t}", "webinar": "inscrivez-vous au {t}",
           "webinaire": "inscrivez-vous au {t}", "boutique": "visitez la {t}", "kit": "demandez votre {t}",
           "essai": "lancez votre {t}", "guide": "téléchargez le {t}", "://": "rendez-vous sur {t}",
           "": "découvrez {t}"},
}  # fmt: skip
_VERB_TARGETS = _wordset(
    "subscribe join sign book try download register order shop visit contact call buy start get "
    "abonnez inscrivez réservez essayez téléchargez commandez rejoignez contactez"
)
_STRONG = _wordset(
    "stop start imagine picture meet discover save get try forget make grow boost unlock think "
    "ditch skip join book how why ready here new say arrêtez imaginez découvrez faites rendez "
    "essayez gagnez passez oubliez pensez réussissez comment pourquoi prêt prête rejoignez voici "
    "nouveau nouvelle enfin dites commencez"
)
_GENERIC = re.compile(
    r"^(we are|we're|our (company|team|product)|introducing|in today's|hello|hi everyone|"
    r"nous sommes|notre (entreprise|équipe|produit)|bonjour|voici notre)\b"
)
_CTA_GENERIC = re.compile(
    r"\b(learn more|get started|sign up|subscribe|book|join|try it|contact us|download|register|"
    r"en savoir plus|commencez|inscrivez|abonnez|essayez|réservez|rejoignez|contactez|"
    r"téléchargez)\b",
    re.IGNORECASE,
)
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
_NEW = re.compile(r"\b(brand-new|all-new|new|nouveaux|nouvelles|nouveau|nouvelle|nouvel)\s+", re.I)
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
_BLAND = _wordset(
    "new why how what when order make makes change changes more most best better every today "
    "just really thing things great good here there first next week people everyone now nouveau "
    "nouvelle nouvel tout tous plus très comment pourquoi demande bien"
)
_DONT = re.compile(
    r"^(don't|do not|never|avoid|no|ne pas|jamais|évite[rz]?|pas de)\s+((use|using|say|mention|be|"
    r"talk about|utiliser|dire|mentionner|parler de)\s+)?",
    re.IGNORECASE,
)
_STOP = _wordset(
    "a an and are as at be by for from in into is it its of on or our the this that to with your "
    "you we who le la les un une des de du et ou en au aux pour par sur avec dans votre vos notre "
    "nos est sont ce cette qui que son sa ses leur leurs"
)
_FR_POLISH = (
    (r"\bde le\b", "du"), (r"\bde les\b", "des"), (r"\bà le\b", "au"), (r"\bà les\b", "aux"),
    (r"\b([dlDL])[ea] ([aeiouéèêàâîôûAEIOUÉ])", r"\1'\2"), (r"\bque ([aeiouéèê])", r"qu'\1"),
)  # fmt: skip
_QUOTES = re.compile(r"(?<!\w)['\"“”«»‘’]+|['\"“”«»‘’]+(?!\w)")
_FR_DETERMINERS = _wordset("le la les l un une des vos nos tous toutes ceux celles chaque")
_HASHTAGS = {"X": 2, "Bluesky": 1, "Mastodon": 3, "LinkedIn": 3}
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True)
class _Plan:
    """Every choice behind one draft; fixes and retries change it with ``replace``."""

    lang: str
    tone: str
    style: str
    angle: str
    key: int  # the request's identity without the turn
    vkey: int  # the same without the variant, so variants can be offset from each other
    vidx: int
    tkey: int  # the identity with the turn
    flaw: str = ""
    salt: int = 0
    compact: bool = False
    hook_bump: int = 0
    force: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Seg:
    text: str
    block: int  # segments of a block share a paragraph
    drop: int  # dropped highest first when the text is too long; 0: required, -1: essential


# --- small text helpers -------------------------------------------------------------------------


def _digest(*parts: object) -> int:
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return int(hashlib.sha256(raw.encode("utf-8")).hexdigest()[:15], 16)


def _pick(options: Sequence[str], *parts: object) -> str:
    return options[_digest(*parts) % len(options)]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if len(w) >= 4 and w not in _STOP]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str, keep: Iterable[str] = ()) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and first.lower() not in set(keep):
        return text[:1].lower() + text[1:]
    return text


def _phrase(text: str, limit: int, keep: Iterable[str] = ()) -> str:
    """The first clause of ``text``, at most ``limit`` words, without dangling stopwords."""
    clause = re.split(r"[.;!?\n]", text.strip(), maxsplit=1)[0]
    head = clause.split(",", 1)[0]
    clause = head if len(head.split()) >= 2 else clause
    words = _QUOTES.sub("", clause).split()[:limit]
    while words and words[-1].lower().strip(",:") in _STOP:
        words.pop()
    while words and words[0].lower() in ("and", "or", "et", "ou", "&", ","):
        words.pop(0)
    return _lower_first(" ".join(words).strip(" ,:-—"), keep)


def _scrub(text: str, terms: Sequence[str]) -> str:
    """``text`` without any word containing one of ``terms`` (case-insensitive)."""
    for term in (t.strip() for t in terms):
        while term and term.lower() in text.lower():
            cleaned = re.sub(r"[#\w'’-]*" + re.escape(term) + r"[\w'’-]*", "", text, flags=re.I)
            if cleaned == text:
                break
            text = cleaned
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r" +([.,])", r"\1", text).strip()


def _dont_phrases(brand: BrandContext | None) -> list[str]:
    phrases = (
        _DONT.sub("", rule.strip().rstrip(".")) for rule in (brand.guidelines_dont if brand else [])
    )
    return [p for p in phrases if len(p) >= 3 and len(p.split()) <= 4]


def _within(platform: str | None, limit: int, text: str) -> bool:
    return fits(platform, text) and text_length(platform, text) <= limit


def _mentions(text: str, terms: Iterable[str]) -> bool:
    words = set(_words(text))
    return any(
        t in words or (len(t) >= 5 and any(w.startswith(t[:5]) for w in words)) for t in terms
    )


def _lang(brand: BrandContext | None) -> str:
    return "fr" if brand and brand.language.lower().startswith("fr") else "en"


def _tone(brand: BrandContext | None) -> str:
    raw = brand.tone.lower() if brand else ""
    return next(
        (name for name, keys in _TONE_KEYWORDS.items() if any(k in raw for k in keys)),
        "professional",
    )


def _audience_terms(brand: BrandContext | None) -> list[str]:
    banned = [t.lower() for t in (brand.banned_terms if brand else []) if t.strip()]
    terms = _content(brand.target_audience) if brand else []
    return [t for t in terms if not any(b in t for b in banned)]


def _targets(brand: BrandContext | None, avoid: Sequence[str]) -> list[str]:
    targets = [t.strip() for t in (brand.cta_targets if brand else []) if t.strip()]
    return [t for t in targets if not any(a.strip() and a.lower() in t.lower() for a in avoid)]


def _has_cta(text: str, brand: BrandContext | None) -> bool:
    targets = _targets(brand, brand.banned_terms if brand else [])
    if targets:
        return any(t.lower() in text.lower() for t in targets)
    return bool(_CTA_GENERIC.search(text))


def _cta_action(target: str, lang: str) -> str:
    if target.split()[0].lower() in _VERB_TARGETS:
        return target
    plain = target.lower().replace("é", "e")
    table = _CTA_ACTIONS[lang]
    key = next((k for k in table if k and k in plain), "")
    return table[key].format(t=target)


# --- the writer ---------------------------------------------------------------------------------


def _style_from(text: str | None) -> str | None:
    lowered = (text or "").lower()
    return next(
        (style for word, style in _STYLE_KEYWORDS if re.search(rf"\b{word}", lowered)), None
    )


def _plan(req: WriteRequest) -> _Plan:
    ident = [req.kind, req.seed, req.angle, req.hook_style, req.platform, req.brief]
    vkey = _digest(*ident)
    variant = (req.variant or "A").strip().upper()
    vidx = (
        ord(variant) - ord("A") if len(variant) == 1 and variant.isalpha() else _digest(variant) % 7
    )
    key = _digest(vkey, req.variant)
    intent = _brief(req.brief).intent
    style = (
        _style_from(req.hook_style)
        or {"announce": "announcement", "explain": "explainer"}.get(intent)
        or _style_from(req.angle)
        or STYLES[(vkey + vidx) % len(STYLES)]
    )
    angle = (req.angle or ANGLES[style]).strip()[:200]
    avoid = tuple(
        t
        for t in [*(req.brand.banned_terms if req.brand else []), *_dont_phrases(req.brand)]
        if t.strip()
    )
    return _Plan(
        _lang(req.brand),
        _tone(req.brand),
        style,
        angle,
        key,
        vkey,
        vidx,
        _digest(key, req.turn),
        avoid=avoid,
    )


def _fix_code(fix: str) -> str:
    head = fix.split(":", 1)[0].strip().lower()
    if head in FIX_CODES:
        return head
    lowered = fix.lower()
    return next((code for word, code in _FIX_KEYWORDS if word in lowered), "")


def _apply_fixes(plan: _Plan, fixes: Sequence[str]) -> tuple[_Plan, list[str]]:
    codes = [_fix_code(f) for f in fixes]
    quoted = [
        t
        for f, c in zip(fixes, codes, strict=True)
        if c == "remove_term"
        for t in re.findall(r"[\"“«]\s*([^\"”»]+?)\s*[\"”»]", f)
    ]
    force = {
        name
        for code, name in (
            ("mention_audience", "audience"),
            ("mention_brand", "brand"),
            ("add_cta", "cta"),
        )
        if code in codes
    }
    plan = replace(
        plan,
        compact=plan.compact or "shorten" in codes or "clarify" in codes,
        hook_bump=1 if "stronger_hook" in codes else 0,
        salt=plan.salt + (3 if "rewrite" in codes else 0),
        force=plan.force | force,
        avoid=(*plan.avoid, *quoted),
    )
    return plan, [_FIX_NOTES[c] for c in dict.fromkeys(codes) if c]


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


def _tags(brand: str, subject: str, extras: Iterable[str]) -> list[str]:
    """Hashtags: the brand, the subject (as one tag when short, then its nouns), compounds."""
    words = re.findall(r"\w+(?:-\w+)*", subject)
    skip = _BLAND | _STOP
    good = [len(w) > 2 and w.lower() not in skip and not w.isdigit() for w in words]
    compound = next(  # the last two or three words, with at most a stop word inside
        (
            words[-n:]
            for n in (3, 2)
            if len(words) >= n
            and good[-n]
            and good[-1]
            and len("".join(words[-n:])) <= 20
            and (n == 2 or good[-2] or words[-2].lower() in _STOP)
        ),
        [],
    )
    candidates = [brand, " ".join(compound)]
    candidates += [w for w, g in zip(words, good, strict=True) if g and len(w) > 3]
    candidates += [w for e in extras for w in re.findall(r"\w+(?:-\w+)+", e)]
    tags: list[str] = []
    seen: set[str] = set()
    for candidate in filter(None, candidates):
        parts = [re.sub(r"\W", "", p) for p in re.split(r"[\s-]+", candidate)]
        keys = {p.lower()[:5] for p in parts if p}
        if keys and not keys <= seen:
            seen |= keys
            tags.append("#" + "".join(_cap(p) for p in parts))
    return tags


def _context(req: WriteRequest, plan: _Plan) -> dict[str, Any]:
    brand, lang = req.brand, plan.lang
    topic_default, audience_default, brand_default, _ = _T[lang]["defaults"]
    name = _scrub(brand.brand_name, plan.avoid) if brand else ""
    keep = [w.lower() for w in name.split()]
    brief = _brief(req.brief, keep)
    subject = _scrub(brief.subject, plan.avoid)
    det = brief.det if subject else ""
    subject = subject or topic_default
    topic = f"{det}{subject}" if det == "l'" else f"{det} {subject}".strip()
    short = _NEW.sub("", subject, count=1).split()
    short = _until(short, _STOP)[:4] if len(short) > 4 else short
    vps = [_phrase(_scrub(v, plan.avoid), 12, keep) for v in (brand.value_props if brand else [])]
    vps = [v for v in vps if v]
    positioning = brand.positioning if brand and len(brand.positioning.split()) <= 14 else ""
    audience = _phrase(_scrub(brand.target_audience, plan.avoid), 6, keep) if brand else ""
    if lang == "fr" and audience and _words(audience)[0] not in _FR_DETERMINERS:
        audience = f"les {audience}"
    adjectives, manners, _ = _TONES[lang][plan.tone]
    short_vps = [v for v in vps if len(v.split()) <= 6]
    extras = [*vps, _scrub(brand.positioning, plan.avoid) if brand else ""]
    return {
        "brand": name or brand_default,
        "has_brand": bool(name),
        "topic": topic,
        "fresh": _NEW.sub("", topic, count=1),
        "short": " ".join(short).rstrip(" ,:-") or subject,
        "wh": brief.wh,
        "clause": _scrub(brief.clause, plan.avoid) or subject,
        "detail": brief.detail if _scrub(brief.detail, plan.avoid) == brief.detail else "",
        "audience": audience if audience and plan.flaw != "audience" else audience_default,
        "has_audience": bool(audience) and plan.flaw != "audience",
        "positioning": _phrase(_scrub(positioning, plan.avoid), 14, keep),
        "vps": vps,
        "benefit": _pick(short_vps, plan.key, "benefit", plan.salt) if short_vps else "",
        "adj": _pick(adjectives, plan.key, "adj", plan.salt),
        "manner": _pick(manners, plan.key, "manner", plan.salt),
        "num": str(len(vps)) if 2 <= len(vps) <= 5 else "3",
        "angle": _phrase(_scrub(req.angle or "", plan.avoid), 6, keep),
        "tags": _tags(name, _NEW.sub("", subject, count=1), extras),
    }


def _cta(req: WriteRequest, plan: _Plan, *, slogan: bool) -> str:
    targets = _targets(req.brand, plan.avoid)
    if not targets:
        return _pick(_T[plan.lang]["generic_cta"], plan.tkey, "cta", plan.salt)
    action = _cta_action(_pick(targets, plan.key, "target", plan.salt), plan.lang)
    if slogan:
        return _cap(action) + "."
    return _pick(_T[plan.lang]["cta"], plan.tkey, "cta", plan.salt).format(action=_cap(action))


def _finish(text: str, plan: _Plan) -> str:
    if plan.lang == "fr":
        for pattern, repl in _FR_POLISH:
            text = re.sub(pattern, repl, text)
    return _cap(_scrub(text, plan.avoid))


def _hashtags(req: WriteRequest, ctx: dict[str, Any]) -> str:
    return " ".join(ctx["tags"][: _HASHTAGS.get(req.platform or "", 0)])


def _hook(plan: _Plan, ctx: dict[str, Any]) -> str:
    options = _T[plan.lang]["weak" if plan.flaw == "hook" else plan.style]
    return _cap(
        options[(plan.vkey + plan.vidx + plan.salt + plan.hook_bump) % len(options)].format(**ctx)
    )


def _post_segments(req: WriteRequest, plan: _Plan, ctx: dict[str, Any]) -> list[_Seg]:
    t, salt, key = _T[plan.lang], plan.salt, plan.key
    segs = [_Seg(_hook(plan, ctx), 0, -1)]
    if ctx["detail"] and not segs[0].text.endswith(":"):
        segs.append(_Seg(_cap(ctx["detail"]) + ".", 0, 3))
    vps = ctx["vps"]
    if ctx["has_brand"] and plan.flaw != "brand":
        table = "brand_pos" if ctx["positioning"] and not plan.compact else "brand"
        line = _pick(t[table], key, "brand", salt).format(**ctx)
        segs.append(_Seg(line, 1, 0))
        vps = [v for v in vps if _norm(v) not in _norm(line)]  # not what the positioning says
    if ctx["has_audience"]:
        segs.append(_Seg(_pick(t["audience"], key, "aud", salt).format(**ctx), 1, 0))
    terse = req.platform in ("X", "Bluesky") and plan.style != "statistic"
    vps = vps[: 1 if terse or plan.compact else 3]
    order = _digest(key, "order", salt) % max(1, len(vps))
    vps = vps[order:] + vps[:order]
    if req.platform == "LinkedIn" and len(vps) > 1:
        bullets = "\n".join(f"• {_cap(v)}" for v in vps)
        segs.append(_Seg(f"{_pick(t['bullets'], key, 'bul', salt)}\n{bullets}", 2, 2))
    else:
        segs.extend(_Seg(_cap(v) + ".", 1, 2 if i == 0 else 3) for i, v in enumerate(vps))
    if ctx["angle"] and not plan.compact:
        segs.append(_Seg(_pick(t["angle"], key, "angle", salt).format(**ctx), 3, 3))
    if not plan.compact:
        segs.append(_Seg(_pick(_TONES[plan.lang][plan.tone][2], plan.tkey, "close", salt), 3, 4))
    needs_cta = req.require_cta or "cta" in plan.force
    segs.append(_Seg(_cta(req, plan, slogan=False), 4, -1 if needs_cta else 1))
    segs.append(_Seg(_hashtags(req, ctx), 5, 5))
    unique: dict[str, _Seg] = {}  # never the same sentence twice
    for seg in (replace(s, text=_finish(s.text, plan)) for s in segs if s.text.strip()):
        unique.setdefault(_norm(seg.text), seg)
    return list(unique.values())


def _slogan_segments(req: WriteRequest, plan: _Plan, ctx: dict[str, Any]) -> list[_Seg]:
    t = _T[plan.lang]
    slots = {**ctx, "benefit": _cap(ctx["benefit"] or ctx["manner"])}
    if plan.flaw == "hook" and ctx["has_brand"]:
        options = t["slogan_weak"]
    elif plan.flaw == "brand" or not ctx["has_brand"]:
        options = t["slogan_nobrand"]
    else:
        options = t["slogan"]
    main = options[(plan.vkey + plan.vidx + plan.salt + plan.hook_bump) % len(options)].format(
        **slots
    )
    segs = [_Seg(main, 0, -1)]
    if "audience" in plan.force and ctx["has_audience"]:
        segs.append(_Seg(t["slogan_audience"][0].format(**ctx), 0, 0))
    if req.require_cta or "cta" in plan.force:
        segs.append(_Seg(_cta(req, plan, slogan=True), 0, -1))
    return [replace(s, text=_finish(s.text, plan)) for s in segs]


def _assemble(segs: Sequence[_Seg], platform: str | None, kind: str) -> str:
    blocks: dict[int, list[str]] = {}
    for seg in segs:
        blocks.setdefault(seg.block, []).append(seg.text)
    sep = " " if kind == "slogan" else "\n" if platform in ("X", "Bluesky") else "\n\n"
    return sep.join(" ".join(parts) for _, parts in sorted(blocks.items())).strip()


def _fit(segs: list[_Seg], req: WriteRequest) -> str:
    """Drop optional segments, then required ones, then the hook's last words, until it fits."""
    while True:
        text = _assemble(segs, req.platform, req.kind)
        droppable = [i for i, s in enumerate(segs) if s.drop >= 0]
        if _within(req.platform, req.max_length, text) or not droppable:
            break
        del segs[max(droppable, key=lambda i: (segs[i].drop, i))]
    while not _within(req.platform, req.max_length, text) and " " in segs[0].text.strip():
        segs[0] = replace(segs[0], text=segs[0].text.rsplit(None, 1)[0].rstrip(" ,:;—-"))
        text = _assemble(segs, req.platform, req.kind)
    while not _within(req.platform, req.max_length, text) and " " in text.strip():
        text = text.rstrip().rsplit(None, 1)[0].rstrip(" ,:;—-")
    return text


def _compose(req: WriteRequest, plan: _Plan) -> str:
    ctx = _context(req, plan)
    build = _slogan_segments if req.kind == "slogan" else _post_segments
    return _fit(build(req, plan, ctx), req)


def _flaw(req: WriteRequest, plan: _Plan) -> str:
    roll = _digest(plan.key, "flaw") % 10
    if roll < 3:
        return "hook"
    if roll < 5 and req.kind == "post" and _audience_terms(req.brand):
        return "audience"
    if roll < 5 and req.kind == "slogan" and req.brand and req.brand.brand_name.strip():
        return "brand"
    return ""


def _best(req: WriteRequest, plan: _Plan) -> str:
    """The first candidate the reviewer approves; failing that, the best-scored new one."""
    previous = {_norm(d) for d in req.previous_drafts}
    best, best_score = "", -1.0
    for salt in range(plan.salt, plan.salt + 12):
        for compact in dict.fromkeys((plan.compact, True)):
            text = _compose(req, replace(plan, salt=salt, compact=compact))
            if _norm(text) in previous:
                continue
            verdict = _review(_review_request(req, text))
            if verdict.decision == "approve":
                return text
            if verdict.scores.average > best_score:
                best, best_score = text, verdict.scores.average
    return best or _compose(req, plan)


def _review_request(req: WriteRequest, text: str) -> ReviewRequest:
    fields = req.model_dump(include={"kind", "brief", "brand", "platform", "max_length", "require_cta",
                                     "turn", "seed", "previous_drafts"})  # fmt: skip
    return ReviewRequest.model_validate({**fields, "draft": text})


def _write(req: WriteRequest) -> Draft:
    plan = _plan(req)
    plan, applied = _apply_fixes(plan, req.fixes)
    flaw = _flaw(req, plan) if req.turn <= 1 and not req.fixes else ""
    if flaw:
        previous = {_norm(d) for d in req.previous_drafts}
        salts = range(plan.salt, plan.salt + 12)
        texts = (_compose(req, replace(plan, flaw=flaw, salt=s)) for s in salts)
        text = next((t for t in texts if _norm(t) not in previous), "") or _best(req, plan)
    else:
        text = _best(req, plan)
    if req.turn <= 1 and not req.fixes:
        notes = f"First draft: {plan.style} hook, {plan.angle} angle."
    else:
        notes = "Revised: " + ("; ".join(applied) if applied else "fresh wording") + "."
    return Draft(text=text, angle=plan.angle, hook_style=plan.style, notes=notes)


# --- the reviewer -------------------------------------------------------------------------------


def _clarity(text: str, kind: str, platform: str | None) -> int:
    n = len(_words(text))
    low, high = (3, 14) if kind == "slogan" else (8, 60 if platform in ("X", "Bluesky") else 300)
    sentences = [s for s in _SENTENCE.split(text) if _words(s)]
    average = n / max(1, len(sentences))
    score = 10 - (3 if n < low or n > high else 0)
    return score - (4 if average > 30 else 2 if average > 22 else 0)


def _brand_fit(text: str, brand: BrandContext | None, donts: Sequence[str]) -> int:
    if brand is None:
        return 8
    lang, name = _lang(brand), brand.brand_name.strip().lower()
    named = (
        not name
        or name in text.lower()
        or any(b.lower() in name for b in brand.banned_terms if b.strip())
    )
    vp_words = [w for v in brand.value_props for w in _content(v)]
    adjectives, manners, closers = _TONES[lang][_tone(brand)]
    toned = _mentions(text, [w for p in (*adjectives, *manners, *closers) for w in _content(p)])
    score = (
        3
        + (4 if named else 0)
        + (2 if not vp_words or _mentions(text, vp_words) else 0)
        + int(toned)
    )
    return score - 3 * len(donts)


def _audience_fit(text: str, brand: BrandContext | None, kind: str) -> int:
    terms = _audience_terms(brand)
    if not terms:
        return 8
    you = bool(re.search(r"\b(you|your|vous|votre|vos)\b", text, re.IGNORECASE))
    if _mentions(text, terms):
        return 10 if you else 9
    return 7 if kind == "slogan" else 6 if you else 5


def _hook_score(text: str, kind: str) -> int:
    first = text.strip().splitlines()[0] if text.strip() else ""
    opener = first if kind == "slogan" else re.split(r"(?<=[.!?])\s+", first)[0]
    words, lowered = _words(opener), opener.lower()
    scope = words if kind == "slogan" else words[:3]
    strong = any(c in opener for c in "?!0123456789") or any(w in _STRONG for w in scope)
    strong = strong or lowered.startswith(("what if", "et si"))
    n = len(words)
    score = 5 + (3 if strong else 0) + (1 if n <= 12 else -2 if n > 22 else 0)
    return score - (4 if _GENERIC.match(lowered) else 0)


def _clamp(value: int) -> int:
    return max(1, min(10, value))


def _fixes(req: ReviewRequest, scores: RubricScores, problems: dict[str, Any]) -> list[str]:
    brand, lang = req.brand, _lang(req.brand)
    fixes = [
        f'remove_term: remove "{t}", a banned term for this brand.' for t in problems["banned"]
    ]
    fixes += [
        f'remove_term: remove "{p}", the brand guidelines rule it out.' for p in problems["donts"]
    ]
    limit = min(req.max_length, max_length(req.platform))
    if not problems["within"]:
        length = text_length(req.platform, req.draft)
        fixes.append(f"shorten: cut the draft to at most {limit} characters (it has {length}).")
    if problems["repeat"]:
        fixes.append("rewrite: this repeats an earlier draft; write a fresh version.")
    if scores.call_to_action < 7:
        targets = _targets(brand, brand.banned_terms if brand else [])
        example = _cap(_cta_action(targets[0], lang)) if targets else _T[lang]["defaults"][3]
        fixes.append(f'add_cta: end with a clear call to action, such as "{example}".')
    if scores.hook < 7:
        fixes.append(
            "stronger_hook: open with a question, a number or a strong verb, not a generic opener."
        )
    if scores.audience_fit < 7 and brand:
        fixes.append(f"mention_audience: speak directly to {brand.target_audience.strip()}.")
    if scores.brand_fit < 7 and brand and not problems["donts"]:
        fixes.append(f"mention_brand: name {brand.brand_name} and one of its value props.")
    if scores.clarity < 7 and problems["within"]:
        fixes.append("clarify: one idea, short sentences, and a length that suits the format.")
    return fixes[:8]


def _review(req: ReviewRequest) -> Verdict:
    text, brand = req.draft.strip(), req.brand
    lowered = text.lower()
    problems: dict[str, Any] = {
        "banned": [
            t for t in (brand.banned_terms if brand else []) if t.strip() and t.lower() in lowered
        ],
        "donts": [p for p in _dont_phrases(brand) if p.lower() in lowered],
        "within": bool(text) and _within(req.platform, req.max_length, text),
        "repeat": _norm(text) in {_norm(d) for d in req.previous_drafts},
    }
    cta = 10 if not req.require_cta else (9 if _has_cta(text, brand) else 3)
    scores = RubricScores(
        clarity=_clamp(_clarity(text, req.kind, req.platform) - (0 if problems["within"] else 4)),
        brand_fit=_clamp(_brand_fit(text, brand, problems["donts"])),
        audience_fit=_clamp(_audience_fit(text, brand, req.kind)),
        hook=_clamp(_hook_score(text, req.kind)),
        call_to_action=cta,
    )
    fixes = _fixes(req, scores, problems)
    if not fixes:
        feedback = (
            f"Approved: clear, on-brand and ready to publish ({scores.average:.1f}/10 on average)."
        )
        return Verdict(decision="approve", scores=scores, feedback=feedback)
    details = " ".join(_cap(f.split(":", 1)[-1].strip()) for f in fixes[:2])
    return Verdict(
        decision="revise", scores=scores, feedback=f"Almost there. {details}"[:1000], fixes=fixes
    )


# --- the public entry points ----------------------------------------------------------------------


def respond(request: dict[str, Any]) -> dict[str, Any]:
    """Answer one Clarion request dict: a Draft for "write", a Verdict for "review"."""
    task = request.get("task", "write")
    if task == "write":
        return _write(WriteRequest.model_validate(request)).model_dump()
    if task == "review":
        return _review(ReviewRequest.model_validate(request)).model_dump()
    raise ValueError(
        f"the offline engine cannot handle task {task!r}; expected 'write' or 'review'"
    )


def _find_request(messages: Sequence[ModelMessage]) -> dict[str, Any] | None:
    for message in reversed(messages):
        if not isinstance(message, ModelRequest):
            continue
        for part in reversed(message.parts):
            if isinstance(part, UserPromptPart):
                contents = [part.content] if isinstance(part.content, str) else part.content
                for content in contents:
                    found = extract_request(content) if isinstance(content, str) else None
                    if found is not None:
                        return found
    return None


def _answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    request = _find_request(messages)
    if request is None:
        if info.output_tools:
            raise ValueError(
                "the offline engine needs a Clarion request (a <request> JSON block) in the prompt"
            )
        message = "The offline engine only answers Clarion requests: send a <request> JSON block."
        return ModelResponse(parts=[TextPart(content=message)])
    answer = respond(request)
    if info.output_tools:
        return ModelResponse(parts=[ToolCallPart(tool_name=info.output_tools[0].name, args=answer)])
    return ModelResponse(
        parts=[TextPart(content=answer.get("text") or answer.get("feedback") or "")]
    )


def offline_model() -> FunctionModel:
    """The built-in model: answers writer and reviewer prompts without any LLM server."""
    return FunctionModel(_answer, model_name="offline")
