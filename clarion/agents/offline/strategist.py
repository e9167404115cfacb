"""The offline strategist: a phased plan and chat answers built from the brief, no model.

Phase names follow the funnel (awareness → advocacy), posts per phase follow
3, 4, 4, 4, … (always within the requested bounds), and links both branch and
merge: every post leads to the post at its index in the next phase, and the
last post of each phase also merges into the next phase's first post.
"""

from __future__ import annotations

import re

from clarion.agents.offline.grammar import fr_article
from clarion.agents.offline.intent import read_intent
from clarion.agents.offline.material import material
from clarion.agents.offline.text import _digest, _lang, _phrase
from clarion.agents.schemas import (
    ChatReply,
    ChatRequest,
    PlannedPhase,
    PlannedPost,
    PlanRequest,
    StrategyPlan,
)

_PHASES = {
    "en": ("Awareness", "Consideration", "Launch", "Conversion", "Advocacy", "Retention"),
    "fr": ("Notoriété", "Considération", "Lancement", "Conversion", "Recommandation", "Fidélité"),
}
# Post ideas per funnel stage (the phase name's index): (title, objective) templates. A title
# names its subject first ({topic}: the campaign's product, or the brand's category; {prop}: a
# value proposition), then what the post does with it, so the writer reads the subject back.
_FORMATS: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "en": (
        (
            ("{Topic}: why it matters", "Show {audience} the problem {brand} solves."),
            ("{Topic}: a look behind the scenes", "Let people see how {brand} works."),
            ("{Topic}: what most people get wrong", "Correct a common belief, with proof."),
            ("{Topic}: a question for {audience}", "Start a conversation about {topic}."),
            ("{Prop}: the facts", "Back '{prop}' with one clear fact."),
        ),
        (
            ("{Prop}: how it works", "Explain '{prop}' in three simple steps."),
            ("{Topic}: a first week with {brand}", "Show the first week, step by step."),
            ("{Topic}: your questions answered", "Remove the doubts that stop a decision."),
            (
                "{Topic}: the {brand} way, side by side",
                "Compare the usual way with the {brand} way.",
            ),
            ("{Topic}: a day with {brand}", "Show where {brand} fits in a day of {audience}."),
        ),
        (
            ("{Topic}: it's here", "Announce the news and what it changes."),
            ("{Topic}: a first look", "Show it in action, up close."),
            ("{Topic}: a launch-week welcome", "Turn launch attention into action: {cta}."),
            ("{Topic}: made for {audience}", "Say who it is for, and why."),
            ("{Topic}: what's new at {brand}", "Recap the launch in one post."),
        ),
        (
            ("{Topic}: ready when you are", "Ask for the action: {cta}."),
            ("{Prop}: what you get", "List what {audience} get, plainly."),
            ("{Topic}: still deciding?", "Answer the last objection."),
            ("{Topic}: the last call", "Create a reason to act now: {cta}."),
            ("{Topic}: a two-minute start", "Show how fast the first step is."),
        ),
        (
            ("{Topic}: share your moment", "Invite {audience} to show their experience."),
            ("{Topic}: a community spotlight", "Feature one real customer."),
            ("{Prop}: tell a friend", "Turn happy customers into referrers."),
            ("{Topic}: thank you, {audience}", "Thank the community with a concrete result."),
            ("{Topic}: your tips, our favourites", "Collect and share customer tips."),
        ),
        (
            ("{Topic}: get more from it", "Teach one new way to use it."),
            ("{Topic}: what's next", "Keep customers curious about what comes next."),
            ("{Prop}: members first", "Reward loyal customers."),
            ("{Topic}: we listened", "Show a change made from feedback."),
            ("{Topic}: a year in", "Celebrate what customers built with {brand}."),
        ),
    ),
    "fr": (
        (
            ("{Topic} : pourquoi c'est important", "Montrer le problème que {brand} résout."),
            ("{Topic} : dans les coulisses", "Montrer comment {brand} travaille."),
            ("{Topic} : les idées fausses", "Corriger une idée répandue, preuves à l'appui."),
            ("{Topic} : une question pour vous", "Lancer la conversation."),
            ("{Prop} : les faits", "Appuyer « {prop} » sur un fait clair."),
        ),
        (
            ("{Prop} : comment ça marche", "Expliquer « {prop} » en trois étapes."),
            ("{Topic} : une première semaine", "Montrer la première semaine, pas à pas."),
            ("{Topic} : vos questions", "Lever les doutes qui bloquent la décision."),
            ("{Topic} : côte à côte", "Comparer l'habitude et la façon {brand}."),
            ("{Topic} : une journée avec {brand}", "Montrer la place de {brand} dans une journée."),
        ),
        (
            ("{Topic} : c'est arrivé", "Annoncer la nouveauté et ce qu'elle change."),
            ("{Topic} : en avant-première", "La montrer en action, de près."),
            ("{Topic} : les premiers jours", "Transformer l'attention en action : {cta}."),
            ("{Topic} : pensé pour vous", "Dire pour qui c'est fait, et pourquoi."),
            ("{Topic} : du nouveau chez {brand}", "Résumer le lancement en un post."),
        ),
        (
            ("{Topic} : quand vous voulez", "Demander l'action : {cta}."),
            ("{Prop} : ce que vous recevez", "Dire simplement ce que l'on reçoit."),
            ("{Topic} : encore une hésitation ?", "Répondre à la dernière objection."),
            ("{Topic} : dernier appel", "Donner une raison d'agir maintenant : {cta}."),
            ("{Topic} : commencer en deux minutes", "Montrer la rapidité du premier pas."),
        ),
        (
            ("{Topic} : partagez votre moment", "Inviter les clients à raconter."),
            ("{Topic} : notre communauté à l'honneur", "Mettre en avant un vrai client."),
            ("{Prop} : parlez-en autour de vous", "Faire des clients des ambassadeurs."),
            ("{Topic} : merci à vous", "Remercier la communauté avec un résultat concret."),
            ("{Topic} : vos astuces préférées", "Recueillir et partager les astuces clients."),
        ),
        (
            ("{Topic} : en tirer le meilleur", "Apprendre un nouvel usage."),
            ("{Topic} : la suite", "Entretenir la curiosité."),
            ("{Prop} : les fidèles d'abord", "Récompenser la fidélité."),
            (
                "{Topic} : vous avez parlé, nous avons agi",
                "Montrer un changement venu des retours.",
            ),
            ("{Topic} : un an déjà", "Célébrer ce que les clients ont fait avec {brand}."),
        ),
    ),
}
# The first line of each post, different for every post of a phase.
_HOOKS = {
    "en": (
        "What if {topic} took half the effort?",
        "{Topic} deserves a closer look.",
        "Here's what nobody tells you about {topic}.",
        "Most {audience} never ask this about {topic}.",
        "One small change, a big difference: {topic}.",
        "Stop scrolling if you care about {topic}.",
        "We changed one thing about {topic}. Here's what happened.",
    ),
    "fr": (
        "Et si {topic} demandait deux fois moins d'effort ?",
        "{Topic} mérite qu'on s'y arrête.",
        "Ce que personne ne vous dit sur {topic}.",
        "Une question que peu de gens se posent sur {topic}.",
        "Un petit changement, une vraie différence : {topic}.",
        "Arrêtez-vous une seconde si {topic} vous intéresse.",
        "Nous avons changé une chose sur {topic}. Voici la suite.",
    ),
}


def _sizes(count: int, low: int, high: int, seed: int) -> list[int]:
    base = [3, *([4] * (count - 1))]
    if seed % 3 == 0 and count > 2:
        base[-1] = 3
    return [min(max(size, low), high) for size in base]


def _subject(request: PlanRequest, lang: str) -> str:
    """What the campaign's posts are about: the product its goal launches or promotes, else the
    brand's category; a direction ("pivot to office teams") changes the audience, not this."""
    goal = read_intent(request.goal)
    if goal.action in ("launch", "promote") and goal.product:
        return goal.product
    mat = material(request.brand)
    return mat.category or request.brand.brand_name


def plan(request: PlanRequest) -> StrategyPlan:
    lang = _lang(request.brand)
    brand = request.brand.brand_name
    direction = read_intent(request.new_direction or "")
    goal = read_intent(request.goal)
    mat = material(request.brand)
    audience = direction.audience or goal.audience or mat.audience_short
    if lang == "fr" and audience and audience.split()[0].lower() not in ("les", "des", "vos"):
        audience = f"les {audience}"
    audience = audience or ("vos clients" if lang == "fr" else "your customers")
    topic = _subject(request, lang)
    if (
        lang == "fr"
        and topic
        and not re.match(r"^(?:le|la|les|l'|un|une|notre|nos)\b", topic, re.I)
    ):
        topic = fr_article(topic, topic.split()[0].endswith(("s", "x")))
    props = [p.text for p in mat.props] or [topic]
    ctas = request.brand.cta_targets or (["en savoir plus"] if lang == "fr" else ["learn more"])
    seed = _digest(request.seed, request.goal, request.new_direction, request.first_phase)
    sizes = _sizes(
        request.phase_count, request.min_posts_per_phase, request.max_posts_per_phase, seed
    )
    previous = [
        post.key for post in request.existing_posts if post.phase == request.first_phase - 1
    ]
    used = {post.key for post in request.existing_posts}
    phases: list[PlannedPhase] = []
    counter = 0
    used_hooks: set[str] = set()
    for offset, size in enumerate(sizes):
        number = request.first_phase + offset
        names = _PHASES[lang]
        name = names[(number - 1) % len(names)]
        if request.new_direction and offset == 0:
            name = f"{name}: {_phrase(request.new_direction, 4)}"
        keys: list[str] = []
        for index in range(size):
            key = f"p{number}_{index + 1}"
            while key in used:
                key += "x"
            used.add(key)
            keys.append(key)
        parents: list[list[str]] = [[] for _ in keys]
        if previous:
            for index in range(len(keys)):
                parents[index].append(previous[index % len(previous)])
            for index, parent in enumerate(previous):
                target = parents[index % len(keys)]
                if parent not in target:
                    target.append(parent)
            if len(previous) > 1 and previous[-1] not in parents[0]:
                parents[0].append(previous[-1])  # a merge
        posts = []
        for index, key in enumerate(keys):
            counter += 1
            pick = seed + counter * 7
            stage = _FORMATS[lang][(number - 1) % len(_FORMATS[lang])]
            title, objective = stage[(seed + index) % len(stage)]
            prop = props[pick % len(props)]
            values = {
                "topic": topic,
                "Topic": topic[:1].upper() + topic[1:],
                "audience": audience,
                "brand": brand,
                "prop": prop,
                "Prop": prop[:1].upper() + prop[1:],
                "cta": ctas[pick % len(ctas)],
            }
            hooks = [h.format(**values) for h in _HOOKS[lang]] + [title.format(**values) + "."]
            start = (seed + counter) % len(hooks)
            hook = next(
                (h for h in hooks[start:] + hooks[:start] if h.lower() not in used_hooks), hooks[-1]
            )
            used_hooks.add(hook.lower())
            posts.append(
                PlannedPost(
                    key=key,
                    title=title.format(**values)[:200],
                    objective=objective.format(**values)[:1000],
                    hook=hook[:300],
                    parents=parents[index],
                )
            )
        phases.append(PlannedPhase(number=number, name=name[:120], posts=posts))
        previous = keys
    rationale = f"{len(phases)} phases from {request.first_phase}, each building on the one before."
    return StrategyPlan(phases=phases, rationale=rationale)


def chat(request: ChatRequest) -> ChatReply:
    lang = _lang(request.brand)
    campaign = request.campaign
    summary = "; ".join(
        f"{phase.number}. {phase.name} ({len(phase.posts)} posts)" for phase in campaign.phases
    )
    if lang == "fr":
        reply = (
            f"La campagne « {campaign.name} » (version {campaign.version}) compte "
            f"{len(campaign.phases)} phases : {summary}. Pour changer de cap à partir d'une "
            "phase, envoyez « !regenerate phase N <nouvelle direction> »."
        )
    else:
        reply = (
            f"'{campaign.name}' (version {campaign.version}) has {len(campaign.phases)} "
            f"phases: {summary}. To change direction from a phase on, send "
            "'!regenerate phase N <new direction>'."
        )
    return ChatReply(reply=reply[:4000])
