"""``clarion jobs …``: start a job on the worker, follow its log, stop it, list them."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, fail, handles_errors

if TYPE_CHECKING:
    from clarion.agents.models import Job

app: typer.Typer = typer.Typer(
    help="Jobs: start one on the worker (slogans, daily_run, monthly_plan, campaign, "
    "regeneration, evaluation), follow its log, stop it.",
    no_args_is_help=True,
)

FOLLOW_EVERY = 1.0  # seconds between looks at a running job's log


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="jobs")


def _value(text: str) -> Any:
    """A parameter's value: JSON when it reads as JSON (2, true, [1, 2]), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise fail(f"--param {pair!r}: write it as name=value (such as count=3)")
        params[name.strip()] = _value(value.strip())
    return params


def _brief(job: Job) -> dict[str, Any]:
    from clarion.agents.api import JobBriefOut

    return JobBriefOut.model_validate(job).model_dump(mode="json")


@app.command("list")
@handles_errors
def list_jobs(
    status: Annotated[str | None, typer.Option(help="Only jobs in this status.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only jobs of this kind.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 30,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """The workspace's jobs, newest first."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents.control import jobs_of

    jobs = list(jobs_of(cli_workspace(workspace), status=status, kind=kind)[:limit])
    if as_json:
        print(json.dumps([_brief(j) for j in jobs], indent=2, ensure_ascii=False))
        return
    if not jobs:
        console.print("No job yet: `clarion jobs start slogans --param brief='…'`.")
        return
    table = Table("id", "kind", "status", "title", "started", "requests")
    for job in jobs:
        started = job.started_at.strftime("%Y-%m-%d %H:%M") if job.started_at else "-"
        table.add_row(
            str(job.pk), job.kind, job.status, escape(job.title[:70]), started, str(job.requests)
        )
    console.print(table)


@app.command("start")
@handles_errors
def start(
    job_type: Annotated[
        str,
        typer.Argument(
            help="slogans, daily_run, monthly_plan, campaign, regeneration or evaluation."
        ),
    ],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="One parameter as name=value (repeat)."),
    ] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print its status as JSON.")] = False,
) -> None:
    """Queue a job for the worker; follow it with `clarion jobs logs ID --follow`."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import control

    job = control.start(cli_workspace(workspace), job_type, _params(param or []))
    if as_json:
        print(json.dumps(_status(job), indent=2, ensure_ascii=False, default=str))
        return
    steps = job.tasks.count()
    console.print(
        f"Queued job {job.pk}: {escape(job.title)} ({steps} step{'s' if steps != 1 else ''}). "
        f"`clarion jobs logs {job.pk} --follow` shows it run; `clarion worker` runs it.",
        highlight=False,
        soft_wrap=True,
    )


def _status(job: Job) -> dict[str, Any]:
    from clarion.agents import control

    return control.status_of(job)


@app.command("stop")
@handles_errors
def stop(
    job_id: Annotated[int, typer.Argument(help="The job's id.")],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Stop a job: a queued one at once, a running one after the step it is on."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import control

    job = control.stop(cli_workspace(workspace), job_id)
    if job.status == "stopped":
        console.print(f"Job {job.pk} stopped; its steps are skipped.", highlight=False)
    else:
        console.print(
            f"Job {job.pk} stops after the step it is on; the rest will be skipped.",
            highlight=False,
        )


@app.command("logs")
@handles_errors
def logs(
    job_id: Annotated[int, typer.Argument(help="The job's id.")],
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing until the job ends.")
    ] = False,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Print a job's log; with --follow, keep printing its new lines until it ends."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import control

    job = control.job_of(cli_workspace(workspace), job_id)
    after = 0
    while True:
        for line in control.logs_of(job, after=after):
            after = line.pk
            style = "[red]" if line.level == "error" else ""
            when = line.created_at.strftime("%H:%M:%S")
            console.print(f"{when} {style}{escape(line.message)}", highlight=False, soft_wrap=True)
        job.refresh_from_db()
        if not follow or job.status in control.ENDED:
            break
        time.sleep(FOLLOW_EVERY)
    if follow:
        console.print(f"Job {job.pk} {job.status}.", highlight=False)
