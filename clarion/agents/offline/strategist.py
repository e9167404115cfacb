"""The offline strategist: a phased plan and chat answers built from the brief, no model.

Phase names follow the funnel (awareness → advocacy), posts per phase follow
3, 4, 4, 4, … (always within the requested bounds), and links both branch and
merge: every post leads to the post at its index in the next phase, and the
last post of each phase also merges into the next phase's first post.
"""

from __future__ import annotations

import re

from clarion.agents.offline.brief import _brief
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
# Post ideas per funnel stage (the phase name's index): (title, objective) templates.
_FORMATS: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "en": (
        (
            ("Why it matters: {topic}", "Show {audience} the problem {brand} solves."),
            ("Behind the scenes: {topic}", "Let people see how {brand} works."),
            ("3 myths about {topic}", "Correct what {audience} get wrong, with proof."),
            ("One question for {audience}", "Start a conversation about {topic}."),
            ("The number behind {prop}", "Back '{prop}' with one clear figure."),
        ),
        (
            ("How it works: {prop}", "Explain '{prop}' in three simple steps."),
            ("A customer story: {prop}", "Prove '{prop}' with a real story."),
            ("Your questions on {topic}, answered", "Remove the doubts that stop a decision."),
            ("{brand} side by side", "Compare the usual way with the {brand} way."),
            ("A day with {brand}", "Show where {brand} fits in a day of {audience}."),
        ),
        (
            ("It's here: {topic}", "Announce the news and what it changes."),
            ("First look: {topic}", "Show it in action, up close."),
            ("Launch day offer: {cta}", "Turn launch attention into action: {cta}."),
            ("Made for {audience}", "Say who it is for, and why."),
            ("What's new at {brand}", "Recap the launch in one post."),
        ),
        (
            ("Ready when you are: {cta}", "Ask for the action: {cta}."),
            ("What you get: {prop}", "List what {audience} get, plainly."),
            ("Still deciding? Read this", "Answer the last objection."),
            ("Last call: {cta}", "Create a reason to act now: {cta}."),
            ("Start in two minutes", "Show how fast the first step is."),
        ),
        (
            ("Share your {brand} moment", "Invite {audience} to show their experience."),
            ("Community spotlight", "Feature one real customer."),
            ("Tell a friend about {prop}", "Turn happy customers into referrers."),
            ("Thank you, {audience}", "Thank the community with a concrete result."),
            ("Your tips, our favourites", "Collect and share customer tips."),
        ),
        (
            ("Get more from {brand}", "Teach one new way to use it."),
            ("What's next at {brand}", "Keep customers curious about what comes next."),
            ("Members first: {prop}", "Reward loyal customers."),
            ("We listened: your feedback", "Show a change made from feedback."),
            ("A year of {prop}", "Celebrate what customers built with {brand}."),
        ),
    ),
    "fr": (
        (
            ("Pourquoi c'est important : {topic}", "Montrer le problème que {brand} résout."),
            ("Les coulisses : {topic}", "Montrer comment {brand} travaille."),
            ("3 idées reçues sur {topic}", "Corriger les idées reçues, preuves à l'appui."),
            ("Une question pour {audience}", "Lancer la conversation sur {topic}."),
            ("Le chiffre derrière {prop}", "Appuyer « {prop} » sur un chiffre clair."),
        ),
        (
            ("Comment ça marche : {prop}", "Expliquer « {prop} » en trois étapes."),
            ("Un client raconte : {prop}", "Prouver « {prop} » par une histoire vraie."),
            ("Vos questions sur {topic}", "Lever les doutes qui bloquent la décision."),
            ("{brand}, côte à côte", "Comparer l'habitude et la façon {brand}."),
            ("Une journée avec {brand}", "Montrer la place de {brand} dans une journée."),
        ),
        (
            ("C'est arrivé : {topic}", "Annoncer la nouveauté et ce qu'elle change."),
            ("En avant-première : {topic}", "La montrer en action, de près."),
            ("Offre de lancement : {cta}", "Transformer l'attention en action : {cta}."),
            ("Pensé pour {audience}", "Dire pour qui c'est fait, et pourquoi."),
            ("Du nouveau chez {brand}", "Résumer le lancement en un post."),
        ),
        (
            ("Quand vous voulez : {cta}", "Demander l'action : {cta}."),
            ("Ce que vous recevez : {prop}", "Dire simplement ce que l'on reçoit."),
            ("Encore une hésitation ?", "Répondre à la dernière objection."),
            ("Dernier appel : {cta}", "Donner une raison d'agir maintenant : {cta}."),
            ("Commencer en deux minutes", "Montrer la rapidité du premier pas."),
        ),
        (
            ("Partagez votre moment {brand}", "Inviter les clients à raconter."),
            ("À l'honneur : notre communauté", "Mettre en avant un vrai client."),
            ("Parlez de {prop} autour de vous", "Faire des clients des ambassadeurs."),
            ("Merci à vous", "Remercier la communauté avec un résultat concret."),
            ("Vos astuces préférées", "Recueillir et partager les astuces clients."),
        ),
        (
            ("Tirer le meilleur de {brand}", "Apprendre un nouvel usage."),
            ("La suite chez {brand}", "Entretenir la curiosité."),
            ("Clients fidèles d'abord : {prop}", "Récompenser la fidélité."),
            ("Vous avez parlé, nous avons agi", "Montrer un changement venu des retours."),
            ("Un an de {prop}", "Célébrer ce que les clients ont fait avec {brand}."),
        ),
    ),
}
_DIRECTION_LEAD = re.compile(
    r"^\s*(?:(?:pivot|shift|switch|move|turn)\s+(?:to|towards)|focus\s+on|target|"
    r"(?:se\s+)?(?:concentrer|recentrer)\s+sur|cibler)\s+",
    re.IGNORECASE,
)
_HOOKS = {
    "en": (
        "What if {topic} took half the effort?",
        "Most {audience} never ask this.",
        "We changed one thing. Here's what happened.",
        "Stop scrolling if you care about {topic}.",
    ),
    "fr": (
        "Et si {topic} demandait deux fois moins d'effort ?",
        "Peu de gens se posent cette question.",
        "Nous avons changé une chose. Voici la suite.",
        "Arrêtez-vous si {topic} vous intéresse.",
    ),
}


def _sizes(count: int, low: int, high: int, seed: int) -> list[int]:
    base = [3, *([4] * (count - 1))]
    if seed % 3 == 0 and count > 2:
        base[-1] = 3
    return [min(max(size, low), high) for size in base]


def plan(request: PlanRequest) -> StrategyPlan:
    lang = _lang(request.brand)
    brand = request.brand.brand_name
    audience = _phrase(re.split(r",|\s+(?:and|et)\s+", request.brand.target_audience)[0], 4) or (
        "vos clients" if lang == "fr" else "your customers"
    )
    focus = _brief(_DIRECTION_LEAD.sub("", request.new_direction or request.goal))
    topic = " ".join(
        [
            focus.det,
            re.split(r"\s+(?:to|for|with|who|that|buying|pour|avec|auprès|qui)\s+", focus.subject)[
                0
            ],
        ]
    ).strip()
    topic = _phrase(topic, 6) or brand
    props = request.brand.value_props or [request.brand.positioning or brand]
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
            values = {
                "topic": topic,
                "audience": audience,
                "brand": brand,
                "prop": props[pick % len(props)],
                "cta": ctas[pick % len(ctas)],
            }
            hook = _HOOKS[lang][pick % len(_HOOKS[lang])]
            posts.append(
                PlannedPost(
                    key=key,
                    title=title.format(**values)[:200],
                    objective=objective.format(**values)[:1000],
                    hook=hook.format(**values)[:300],
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
