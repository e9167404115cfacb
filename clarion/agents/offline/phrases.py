"""The offline engine's tables: what it says, and the words it looks for.

English and French templates (hooks, brand and audience lines, calls to action, slogans), tone
vocabularies, fix codes, and the word lists and patterns the writer and the reviewer share.
"""

from __future__ import annotations

import re


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
_NEW = re.compile(r"\b(brand-new|all-new|new|nouveaux|nouvelles|nouveau|nouvelle|nouvel)\s+", re.I)
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
