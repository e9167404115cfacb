"""The offline engine's shared word lists and small tables.

Hook styles and the words that name them, fix notes, tone vocabularies (slogan manners and
the reviewer's sense of tone), slogan frames, the reviewer's strong and generic openers,
and the patterns the brief reader and the writer share.
"""

from __future__ import annotations

import re


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STYLES = ("question", "statistic", "bold claim", "story", "how-to", "contrarian")
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
        "professional": (("effortless", "smooth", "simple"), ("done right", "made simple"),
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
# Slogans. Slots: {short} the bare subject ("bike repair café"), {topic} the same with its
# determiner, {brand}, {benefit} a short value proposition, {manner} a phrase of the tone.
SLOGANS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "brand": ("Think {short}. Think {brand}.", "{short}? Make it {brand}.",
                  "{short}, {manner}. Start with {brand}.", "{short}, {benefit}. Meet {brand}."),
        "nobrand": ("{short}, {manner}. Why settle for less?", "Discover {topic}. You'll be back.",
                    "Why wait? Try {topic} today."),
        "audience": ("Made for {audience}.",),
    },
    "fr": {
        "brand": ("Pensez {short}. Pensez {brand}.", "{short} ? Passez à {brand}.",
                  "{short}, {manner}. Commencez avec {brand}.", "{short}, {benefit}. Découvrez {brand}."),
        "nobrand": ("{short}, {manner}. Pourquoi attendre ?", "Découvrez {topic}. Vous reviendrez.",
                    "Pourquoi attendre ? Essayez {topic} dès aujourd'hui."),
        "audience": ("Pensé pour {audience}.",),
    },
}  # fmt: skip
_STRONG = _wordset(
    "stop start imagine picture meet discover save get try forget make grow boost unlock think "
    "ditch skip join book how why ready here new say arrêtez imaginez découvrez faites rendez "
    "essayez gagnez passez oubliez pensez réussissez comment pourquoi prêt prête rejoignez voici "
    "nouveau nouvelle enfin dites commencez unpopular small most think quick"
)
# Words that give a statement hook its tension ("… deserve better", "… is underrated").
_TENSION = _wordset(
    "deserve deserves underrated misunderstood overthinking worth better easier simple simpler "
    "difference rethink forget stop never always finally matter matters truth properly mérite "
    "méritent compromis différence détrompez oubliez sous-estime compte comptent avis facile"
)
_GENERIC = re.compile(
    r"^(we are|we're|our (company|team|product)|introducing|in today's|hello|hi everyone|"
    r"nous sommes|notre (entreprise|équipe|produit)|bonjour|voici notre)\b"
)
_NEW = re.compile(r"\b(brand-new|all-new|new|nouveaux|nouvelles|nouveau|nouvelle|nouvel)\s+", re.I)
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
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
