"""The offline analyst: a lesson built from the evaluated evidence, never from invented numbers."""

from __future__ import annotations

from typing import Any

from clarion.agents.schemas import ArmSummary, LessonDraft, LessonRequest


def _count(arm: ArmSummary, unit: str) -> str:
    noun = unit if arm.trials == 1 else f"{unit}s"
    return f"{arm.successes} of {arm.trials:,} {noun}"


def lesson(request: LessonRequest) -> LessonDraft:
    """One to three sentences: what leads, how sure, what to do next."""
    if not request.arms:
        return LessonDraft(text=f"{request.experiment}: no arm to compare yet.")
    arms = sorted(request.arms, key=lambda a: (-a.chance_best, a.label))
    lead, rest = arms[0], arms[1:]
    if sum(a.trials for a in arms) == 0:
        text = (
            f"{request.experiment} has no outcomes yet on {request.metric}: "
            f"keep giving every {request.compared} its share of posts."
        )
        return LessonDraft(text=text[:600])
    first = (
        f"On {request.metric}, {lead.label} leads with {_count(lead, request.unit)} "
        f"(about {lead.rate:.0%}) and a {lead.chance_best:.0%} chance to be the best {request.compared}"
    )
    if rest:
        others = ", ".join(f"{a.label} {_count(a, request.unit)}" for a in rest[:3])
        first += f", against {others}"
    advice = {
        "double_down": f"Double down: give {lead.label} most of the coming posts.",
        "kill": "Stop the arms that lost and keep the rest running.",
        "keep": "Keep testing: the evidence is not strong enough to act on yet.",
    }[request.decision]
    killed = [a.label for a in rest if a.verdict == "kill"]
    if killed and request.decision != "kill":
        names = killed[0] if len(killed) == 1 else ", ".join(killed[:-1]) + " and " + killed[-1]
        advice += f" {names} {'is' if len(killed) == 1 else 'are'} out."
    text = f"{first}. {advice}"
    if request.patterns:
        text += f" Related: {request.patterns[0]}"
    return LessonDraft(text=text[:600])


def answer(request: dict[str, Any]) -> dict[str, Any]:
    return lesson(LessonRequest.model_validate(request)).model_dump()
