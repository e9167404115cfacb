"""The offline planner: one topic per calendar slot, built from the brief, no model.

Each pillar has its own topic templates in English and French; the slot's key,
angle and hook pick one, and the brand's value propositions, audience and
positioning fill it in. A topic never carries a banned term and, where another
template allows, never repeats a topic already planned.
"""

from __future__ import annotations

from typing import Any

from clarion.agents.offline.text import _digest, _lang, _phrase, _scrub
from clarion.agents.schemas import SlotTopic, TopicBatch, TopicSlot, TopicsRequest

_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "education": (
            "{Angle}: what {audience} should know about {prop}",
            "A short guide to {prop} for {audience}",
            "{Angle}: how {prop} works, explained simply",
            "Three questions {audience} ask about {prop}",
        ),
        "product": (
            "{Angle}: how {brand} delivers {prop}",
            "Inside {brand}: the details behind {prop}",
            "{Angle}: getting the most from {prop}",
            "Why {brand} chose {prop}",
        ),
        "social_proof": (
            "{Angle}: what customers say about {prop}",
            "One customer, one result: {prop} in practice",
            "{Angle}: the proof behind {prop}",
            "How {audience} use {brand} every day",
        ),
        "behind_the_scenes": (
            "{Angle}: a day at {brand}",
            "Behind the scenes of {prop}",
            "{Angle}: the people who make {prop} happen",
            "How {brand} decides what comes next",
        ),
        "community": (
            "{Angle}: what {audience} want from {prop}",
            "Your turn: how do you approach {prop}?",
            "{Angle}: a shout-out to our community",
            "Ask {brand} anything about {prop}",
        ),
        "thought_leadership": (
            "{Angle}: where {position} is heading",
            "Our take on the future of {prop}",
            "{Angle}: why {position} matters now",
            "What most get wrong about {prop}",
        ),
    },
    "fr": {
        "education": (
            "{Angle} : ce que {audience} doivent savoir sur {prop}",
            "Petit guide de {prop} pour {audience}",
            "{Angle} : {prop}, expliqué simplement",
            "Trois questions que {audience} se posent sur {prop}",
        ),
        "product": (
            "{Angle} : comment {brand} garantit {prop}",
            "Chez {brand} : les détails derrière {prop}",
            "{Angle} : tirer le meilleur de {prop}",
            "Pourquoi {brand} a choisi {prop}",
        ),
        "social_proof": (
            "{Angle} : ce que les clients disent de {prop}",
            "Un client, un résultat : {prop} en pratique",
            "{Angle} : la preuve par {prop}",
            "Comment {audience} utilisent {brand} au quotidien",
        ),
        "behind_the_scenes": (
            "{Angle} : une journée chez {brand}",
            "Les coulisses de {prop}",
            "{Angle} : l'équipe derrière {prop}",
            "Comment {brand} prépare la suite",
        ),
        "community": (
            "{Angle} : ce que {audience} attendent de {prop}",
            "À vous : comment abordez-vous {prop} ?",
            "{Angle} : merci à notre communauté",
            "Posez vos questions à {brand} sur {prop}",
        ),
        "thought_leadership": (
            "{Angle} : où va {position}",
            "Notre regard sur l'avenir de {prop}",
            "{Angle} : pourquoi {position} compte aujourd'hui",
            "Ce que beaucoup comprennent mal sur {prop}",
        ),
    },
}
_POLLS: dict[str, tuple[str, ...]] = {
    "en": (
        "Poll: what matters most to {audience}, {prop} or {other}?",
        "Poll: how do {audience} judge {prop}?",
        "Poll: {angle}, which answer would you pick about {prop}?",
    ),
    "fr": (
        "Sondage : qu'est-ce qui compte le plus pour {audience}, {prop} ou {other} ?",
        "Sondage : comment {audience} jugent-ils {prop} ?",
        "Sondage : {angle}, quelle réponse choisiriez-vous sur {prop} ?",
    ),
}
_DEFAULTS = {
    "en": ("your customers", "what we do"),
    "fr": ("vos clients", "notre métier"),
}


def _topic(request: TopicsRequest, slot: TopicSlot, attempt: int) -> str:
    brand = request.brand
    lang = _lang(brand)
    default_audience, default_prop = _DEFAULTS[lang]
    audience = _phrase(brand.target_audience, 5) or default_audience
    props = [p for p in brand.value_props if p.strip()] or [
        _phrase(brand.positioning, 6) or default_prop
    ]
    position = _phrase(brand.positioning, 6) or props[0]
    templates = _TEMPLATES[lang].get(slot.pillar) or _TEMPLATES[lang]["education"]
    pick = _digest(request.seed, slot.key, slot.angle, slot.hook) + attempt
    values = {
        "Angle": slot.angle[:1].upper() + slot.angle[1:],
        "angle": slot.angle,
        "audience": audience,
        "prop": props[pick % len(props)],
        "other": props[(pick + 1) % len(props)] if len(props) > 1 else position,
        "brand": brand.brand_name,
        "position": position,
    }
    if slot.format == "poll":
        templates = _POLLS[lang]
    topic = templates[pick % len(templates)].format(**values)
    cleaned = _scrub(topic, [*brand.banned_terms, *request.guidelines.banned_terms])
    return cleaned[:300] or brand.brand_name


def topics(request: TopicsRequest) -> TopicBatch:
    taken = {t.lower() for t in request.taken_topics}
    answers: list[SlotTopic] = []
    for slot in request.slots:
        topic = _topic(request, slot, 0)
        for attempt in range(1, 4):  # another template when this one is taken
            if topic.lower() not in taken:
                break
            topic = _topic(request, slot, attempt)
        taken.add(topic.lower())
        answers.append(SlotTopic(key=slot.key, topic=topic))
    return TopicBatch(topics=answers)


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The offline engine's handler for ``task: "topics"``."""
    return topics(TopicsRequest.model_validate(request)).model_dump()
