"""The Learning pages: experiments with their evidence and decisions, patterns, lessons."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.analytics.models import Decision, Lesson, Pattern
from clarion.analytics.patterns import detect_patterns
from clarion.analytics.services import evaluate_experiments, experiments_of

SHOWN = 50
VERDICT_WORDS = {"keep": "keep testing", "kill": "stopped", "double_down": "winner"}


@dataclass(frozen=True)
class ArmLine:
    """One arm's evidence as a marketer reads it."""

    label: str
    samples: str
    rate: str
    chance_best: str
    expected_loss: str
    verdict: str


def _arm_lines(decision: Decision | None) -> list[ArmLine]:
    if decision is None:
        return []
    lines = []
    for row in decision.evidence.get("arms", []):
        measured = float(row["trials"]) > 0
        lines.append(
            ArmLine(
                label=str(row["label"]),
                samples=f"{float(row['successes']):,.0f} of {float(row['trials']):,.0f}",
                rate=f"{float(row['posterior_mean']):.1%}" if measured else "—",
                chance_best=f"{float(row['p_best']):.0%}" if measured else "—",
                expected_loss=f"{100 * float(row['expected_loss']):.2f} pts" if measured else "—",
                verdict=VERDICT_WORDS.get(str(row["verdict"]), str(row["verdict"])),
            )
        )
    return lines


@require_GET
def list_experiments(request: HttpRequest) -> HttpResponse:
    """Every experiment with its last decision in words and each arm's evidence."""
    experiments = list(experiments_of(workspace_of(request))[:SHOWN])
    last: dict[int, Decision] = {}
    for decision in Decision.objects.filter(experiment__in=experiments).order_by("id"):
        last[decision.experiment_id] = decision
    rows = [(e, last.get(e.pk), _arm_lines(last.get(e.pk))) for e in experiments]
    context = {"section": "learning", "page": "experiments", "rows": rows}
    return render(request, "analytics/experiments.html", context)


@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    evaluate_experiments(workspace=workspace_of(request))
    return redirect("analytics:list-experiments")


@require_GET
def list_patterns(request: HttpRequest) -> HttpResponse:
    patterns = scoped(Pattern, workspace_of(request)).order_by("-last_detected_at", "-id")[:SHOWN]
    context = {"section": "learning", "page": "patterns", "patterns": patterns}
    return render(request, "analytics/patterns.html", context)


@require_POST
def detect(request: HttpRequest) -> HttpResponse:
    detect_patterns(workspace=workspace_of(request))
    return redirect("analytics:list-patterns")


@require_GET
def list_lessons(request: HttpRequest) -> HttpResponse:
    lessons = (
        scoped(Lesson, workspace_of(request))
        .select_related("experiment", "decision", "task")
        .order_by("-id")[:SHOWN]
    )
    context = {"section": "learning", "page": "lessons", "lessons": lessons}
    return render(request, "analytics/lessons.html", context)
