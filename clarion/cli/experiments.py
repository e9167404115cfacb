"""``clarion experiments …``: compare arms, evaluate them (keep / kill / double down), read why."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, handles_errors

if TYPE_CHECKING:
    from clarion.analytics.models import Experiment

app: typer.Typer = typer.Typer(
    help="Experiments: arms compared on a success metric, decided with Bayesian evidence.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="experiments")


def _json(experiments: list[Experiment]) -> str:
    from clarion.analytics.api import ExperimentOut

    data = [ExperimentOut.model_validate(e).model_dump(mode="json") for e in experiments]
    return json.dumps(data, indent=2, ensure_ascii=False)


def _table(experiments: list[Experiment]) -> Table:
    table = Table("id", "name", "compares", "metric", "status", "decision", "arms")
    for e in experiments:
        arms = ", ".join(f"{a.label or a.value} ({a.status})" for a in e.arms.all())
        table.add_row(
            str(e.pk),
            escape(e.name),
            e.get_arm_kind_display(),
            e.success_metric,
            e.status,
            e.decision or "-",
            escape(arms),
        )
    return table


@app.command("list")
@handles_errors
def list_experiments(
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """The workspace's experiments, newest first, with their arms and last decision."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.analytics.services import experiments_of

    experiments = list(experiments_of(cli_workspace(workspace)))
    if as_json:
        print(_json(experiments))
        return
    if not experiments:
        console.print(
            "No experiments yet: `clarion experiments create NAME --kind hook_style "
            "--metric first_pass_approval --arm question --arm story`."
        )
        return
    console.print(_table(experiments))


@app.command("create")
@handles_errors
def create(
    name: Annotated[str, typer.Argument(help="What the experiment is, in words.")],
    kind: Annotated[
        str,
        typer.Option(help="What the arms are: variant, hook_style, posting_time, pillar, agent."),
    ],
    metric: Annotated[
        str,
        typer.Option(
            help="first_pass_approval, approval_rate, review_score, human_approval, "
            "publish_success or engagement_rate."
        ),
    ],
    arm: Annotated[list[str], typer.Option("--arm", help="One arm (repeat: two to six).")],
    brand: Annotated[
        str | None, typer.Option(help="A brand's slug (default: every brand).")
    ] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Start an experiment comparing the arms on the metric."""
    django()
    from clarion.accounts.scope import get_scoped
    from clarion.accounts.workspaces import cli_workspace
    from clarion.analytics.services import create_experiment
    from clarion.brands.models import Brand

    where = cli_workspace(workspace)
    chosen = get_scoped(Brand, where, missing=f"no brand {brand}", slug=brand) if brand else None
    experiment = create_experiment(
        workspace=where, name=name, arm_kind=kind, success_metric=metric, arms=arm, brand=chosen
    )
    console.print(
        f"Started experiment {experiment.pk}: {escape(experiment.name)}.", highlight=False
    )


@app.command("evaluate")
@handles_errors
def evaluate(
    experiment: Annotated[
        list[int] | None, typer.Option("--id", help="Only this experiment (repeat).")
    ] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decisions as JSON.")] = False,
) -> None:
    """Evaluate the active experiments now: a decision each, with its evidence and a lesson."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.analytics.api import DecisionOut
    from clarion.analytics.services import evaluate_experiments

    report = evaluate_experiments(workspace=cli_workspace(workspace), experiment_ids=experiment)
    if as_json:
        data = {
            "job_id": report.job.pk,
            "decisions": [
                {
                    "experiment_id": e.experiment.pk,
                    **DecisionOut.model_validate(e.decision).model_dump(mode="json"),
                    "lesson": e.lesson.text if e.lesson is not None else None,
                }
                for e in report.evaluations
            ],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not report.evaluations:
        console.print("No active experiment to evaluate.")
        return
    for e in report.evaluations:
        console.print(
            f"[bold]{escape(e.experiment.name)}[/]: {e.decision.decision} — "
            f"{escape(e.decision.sentence)}",
            highlight=False,
            soft_wrap=True,
        )
        if e.lesson is not None:
            console.print(f"  lesson: {escape(e.lesson.text)}", highlight=False, soft_wrap=True)
    console.print(f"Job {report.job.pk} recorded the evaluation.", highlight=False)
