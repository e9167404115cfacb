"""Reading the labelled lines of a writer's brief.

Briefs reach the writer in three shapes: a person's request ("Announce our new roast"), a
campaign post ("Write a post about …" followed by ``Objective:``, ``Hook idea:``, ``Campaign
phase …`` and ``Campaign goal:`` lines) and a calendar slot ("A LinkedIn post about …" followed by
``Content pillar: … Angle: … Hook: … Format: …``, ``Call to action:``, ``Tone:``, ``Do:`` and
``Don't:`` lines). ``read_brief`` finds the subject line and every labelled field, whatever the
shape, so the quality checks and the offline writer read a brief the same way.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

# "Label: value" inside a line; several may share one line ("Content pillar: x. Angle: y.").
_FIELDS = {
    "pillar": r"content pillar|pillar|pilier",
    "angle": r"angle",
    "hook_idea": r"hook idea|idée d'accroche",
    "hook": r"hook|accroche",
    "format": r"format",
    "cta": r"call to action|cta|appel à l'action",
    "tone": r"tone|ton",
    "do": r"do|à faire",
    "dont": r"don't|don’t|do not|à éviter",
    "objective": r"objective|objectif",
    "goal": r"campaign goal|goal|objectif de campagne",
    "audience": r"audience|cible",
}
_LABEL = re.compile(
    r"(?:^|(?<=[.;]\s))(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in _FIELDS.items()) + r")"
    r"\s*:\s*",
    re.IGNORECASE,
)
_PHASE = re.compile(r"^campaign phase (?P<number>\d+)(?::\s*(?P<name>.+?))?\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class BriefFields:
    """A brief's subject line and its labelled fields (empty when absent)."""

    subject: str
    pillar: str = ""
    angle: str = ""
    hook: str = ""
    hook_idea: str = ""
    format: str = ""
    cta: str = ""
    tone: str = ""
    objective: str = ""
    goal: str = ""
    audience: str = ""
    phase: str = ""
    do: tuple[str, ...] = ()
    dont: tuple[str, ...] = ()
    extra: tuple[str, ...] = field(default=())  # unlabelled lines after the subject

    @property
    def wants_poll(self) -> bool:
        return self.format.strip().lower() in ("poll", "sondage")

    def labels(self) -> list[str]:
        """The internal labels a brief carries: they steer the copy, never appear in it."""
        return [v for v in (self.pillar, self.angle, self.hook, self.format, self.phase) if v]


def _split_fields(line: str) -> dict[str, str] | None:
    matches = list(_LABEL.finditer(line))
    if not matches or matches[0].start() != 0:
        return None
    found: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        key = next(k for k in _FIELDS if match.group(k))
        end = following.start() if following else len(line)
        found[key] = line[match.end() : end].strip().rstrip(".").strip()
    return found


def _items(value: str) -> tuple[str, ...]:
    return tuple(p.strip().rstrip(".") for p in value.split(";") if p.strip().rstrip("."))


@functools.lru_cache(maxsize=2048)
def read_brief(brief: str) -> BriefFields:
    lines = [line.strip() for line in brief.strip().splitlines() if line.strip()]
    if not lines:
        return BriefFields(subject="")
    subject, values, extra = lines[0], dict[str, str](), []
    phase = ""
    head = _split_fields(subject)
    if head is not None:  # a brief made only of labelled lines
        values.update(head)
        subject = ""
    for line in lines[1:]:
        found = _split_fields(line)
        phase_match = _PHASE.match(line)
        if phase_match:
            phase = (phase_match.group("name") or "").strip()
        elif found is not None:
            for key, value in found.items():
                joined = key in ("do", "dont") and key in values
                values[key] = f"{values[key]}; {value}" if joined else value
        else:
            extra.append(line)
    return BriefFields(
        subject=subject,
        pillar=values.get("pillar", ""),
        angle=values.get("angle", ""),
        hook=values.get("hook", ""),
        hook_idea=values.get("hook_idea", ""),
        format=values.get("format", ""),
        cta=values.get("cta", ""),
        tone=values.get("tone", ""),
        objective=values.get("objective", ""),
        goal=values.get("goal", ""),
        audience=values.get("audience", ""),
        phase=phase,
        do=_items(values.get("do", "")),
        dont=_items(values.get("dont", "")),
        extra=tuple(extra),
    )
