"""The offline planner: one topic per calendar slot, built from the brief, no model.

A topic is a subject from the brand's material (its category, or a value proposition turned
into a noun phrase: "small-batch coffee roasted to order", "pausing or skipping your
subscription") followed by a focus that suits the slot's pillar ("what to know before you
choose", "a look behind the scenes"). A poll slot gets a question. The slot's labels (pillar,
angle, hook style, format) choose the focus; they are never written into the topic. A topic
never carries a banned term and, where another choice allows, never repeats one already planned.
"""

from __future__ import annotations

import re
from typing import Any

from clarion.agents.offline.copybook import render
from clarion.agents.offline.grammar import (
    en_gerund,
    en_plural,
    fr_article,
    fr_feminine,
    fr_infinitive,
    shorten,
)
from clarion.agents.offline.material import Material, material
from clarion.agents.offline.text import _digest, _scrub
from clarion.agents.schemas import SlotTopic, TopicBatch, TopicSlot, TopicsRequest

_FOCUS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "education": ("what to know before you choose", "the questions people ask first",
                      "a beginner's guide", "what most people get wrong", "the basics, explained"),
        "product": ("how it works, step by step", "what's included",
                    "the details that make the difference", "what changes day to day"),
        "social_proof": ("what customers notice first", "why people stay",
                         "the difference in everyday life"),
        "behind_the_scenes": ("a look behind the scenes", "how we work",
                              "the care behind every detail", "the people who make it happen"),
        "community": ("your questions answered", "your favourite ways to use it",
                      "tips from our community", "what you'd like to see next"),
        "thought_leadership": ("where things are heading", "why this matters now",
                               "what we'd change", "our take"),
    },
    "fr": {
        "education": ("ce qu'il faut savoir avant de choisir", "les questions qu'on se pose d'abord",
                      "le guide pour bien commencer", "ce que l'on comprend mal"),
        "product": ("comment ça marche", "ce qui est inclus", "les détails qui font la différence",
                    "ce qui change au quotidien"),
        "social_proof": ("ce que les clients remarquent en premier", "pourquoi on y reste fidèle",
                         "la différence au quotidien"),
        "behind_the_scenes": ("dans les coulisses", "comment on s'y prend",
                              "le soin derrière chaque détail", "l'équipe derrière"),
        "community": ("vos questions, nos réponses", "vos façons de faire",
                      "les astuces de la communauté", "ce que vous aimeriez voir ensuite"),
        "thought_leadership": ("où va le secteur", "pourquoi c'est important maintenant",
                               "notre regard", "ce que nous changerions"),
    },
}  # fmt: skip
_POLLS: dict[str, tuple[str, ...]] = {
    "en": (
        "What matters most to you in {category}?",
        "Have you tried {subject}?",
        "Where do you stand on {subject}?",
        "True or false: {subject} {is} complicated?",
    ),
    "fr": (
        "Qu'est-ce qui compte le plus pour vous dans {un_category} ?",
        "Avez-vous déjà essayé {le_subject} ?",
        "Où en êtes-vous avec {le_subject} ?",
        "Vrai ou faux : {le_subject}, c'est compliqué ?",
    ),
}
_DEFAULT = {"en": "what we do", "fr": "notre métier"}


# Singular English nouns that need an article ("a yoga studio"), unlike "small-batch coffee".
_COUNTABLE = frozenset(
    [
        "studio",
        "app",
        "platform",
        "tool",
        "service",
        "shop",
        "café",
        "cafe",
        "workshop",
        "school",
        "gym",
        "agency",
        "bakery",
        "restaurant",
        "store",
        "brand",
        "marketplace",
        "network",
        "club",
        "clinic",
        "salon",
        "kitchen",
        "programme",
        "program",
        "course",
        "subscription",
        "sensor",
        "device",
        "product",
        "solution",
    ]
)
_ANYTIME = re.compile(r"\s+(?:anytime|any time|at any time|à tout moment|quand vous voulez)$", re.I)


def subjects(mat: Material) -> list[tuple[str, bool]]:
    """The subjects a month can be about: (phrase, plural), category first."""
    found: list[tuple[str, bool]] = []
    if mat.category:
        countable = (
            mat.lang == "en"
            and not mat.category_plural
            and (mat.category.split()[-1].lower() in _COUNTABLE)
        )
        found.append((f"a {mat.category}" if countable else mat.category, mat.category_plural))
    for prop in mat.props:
        text = _ANYTIME.sub("", prop.text).split(", ")[0]
        if prop.form == "thing":
            head = shorten(text, 26, mat.lang, "thing")
            text = head if len(head.split()) >= 2 else text
            found.append((text, prop.plural))
        elif prop.form == "action":
            found.append((en_gerund(text) if mat.lang == "en" else text, False))
        elif prop.form == "quality" and mat.category and _agrees(mat, text):
            found.append((f"{mat.category} {text}", mat.category_plural))
    return found or [(_DEFAULT[mat.lang], False)]


def _agrees(mat: Material, quality: str) -> bool:
    """Whether a quality can follow the category: always in English; in French only when the
    participle's ending agrees with the category's gender and number ("café torréfié")."""
    if mat.lang != "fr":
        return True
    ending = quality.split()[0].lower()
    feminine, plural = fr_feminine(mat.category), mat.category_plural
    if plural != ending.endswith(("s", "x")):
        return False
    return feminine == ending.rstrip("sx").endswith(("ée", "ue", "ie", "te", "se"))


def _topic(request: TopicsRequest, slot: TopicSlot, mat: Material, attempt: int) -> str:
    lang = mat.lang
    options = subjects(mat)
    pick = _digest(request.seed, slot.key, slot.angle, slot.hook) + attempt
    subject, plural = options[pick % len(options)]
    if lang == "fr":
        action = fr_infinitive(subject.split()[0]) or subject.split()[0] in ("se", "s'")
        said = subject if action else fr_article(subject, plural)
    else:
        said = subject
        plural = en_plural(subject)
    if slot.format == "poll":
        slots = {"subject": said, "le_subject": said, "category": mat.category}
        if mat.category:
            un = "des" if mat.category_plural else "un"
            slots["un_category"] = f"{un} {mat.category}"
        frames = _POLLS[lang]
        for offset in range(len(frames)):
            frame = frames[(pick + offset) % len(frames)]
            if lang == "fr" and said == subject and "{le_subject}" in frame:
                continue  # an infinitive takes no article: pick another question
            question = render(frame, slots, lang=lang, plural=plural)
            if question:
                return question
    focuses = _FOCUS[lang].get(slot.pillar) or _FOCUS[lang]["education"]
    focus = focuses[(pick // len(options)) % len(focuses)]
    head = said[:1].upper() + said[1:]
    return f"{head} : {focus}" if lang == "fr" else f"{head}: {focus}"


def topics(request: TopicsRequest) -> TopicBatch:
    guidelines = request.guidelines
    mat = material(request.brand, dont=guidelines.dont)
    banned = [*request.brand.banned_terms, *guidelines.banned_terms]
    taken = {t.lower() for t in request.taken_topics}
    answers: list[SlotTopic] = []
    for slot in request.slots:
        found: list[str] = []  # the topic, then up to three alternatives, none taken
        for attempt in range(12):  # another subject or focus when this one is taken
            topic = _scrub(_topic(request, slot, mat, attempt), banned)[:300]
            if topic and topic.lower() not in taken and topic not in found:
                found.append(topic)
                if len(found) == 4:
                    break
        topic = found[0] if found else (_scrub(_topic(request, slot, mat, 0), banned)[:300])
        taken.add(topic.lower())
        answers.append(
            SlotTopic(
                key=slot.key, topic=topic or request.brand.brand_name, alternatives=found[1:4]
            )
        )
    return TopicBatch(topics=answers)


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The offline engine's handler for ``task: "topics"``."""
    return topics(TopicsRequest.model_validate(request)).model_dump()
