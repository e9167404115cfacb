"""``clarion campaign``: plan, show, regenerate, and walk through versions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from clarion.cli import console, django, err_console, fail, handles_errors, model_line

if TYPE_CHECKING:
    from clarion.campaigns.content import ContentReport
    from clarion.campaigns.models import Campaign, Post

app: typer.Typer = typer.Typer(
    help="Plan campaigns as phased strategies, regenerate them, keep every version."
)

_CONTENT_HELP = "Write the A/B variants and media now (--no-content: plan only)."
_BACKGROUND_HELP = "Queue the content for `clarion worker` instead of writing it now."


@app.command("create")
@handles_errors(fields={"phase_count": "phases", "platforms": "platform"})
def create(
    brand: Annotated[str, typer.Option(help="Brand id or slug.")],
    goal: Annotated[str, typer.Option(help="What the campaign must achieve.")],
    name: Annotated[str | None, typer.Option(help="A name (default: the goal).")] = None,
    phases: Annotated[int, typer.Option(help="Number of phases, 2–6.")] = 4,
    platform: Annotated[
        list[str] | None,
        typer.Option(help="Target network (repeatable; default X, LinkedIn, Facebook)."),
    ] = None,
    content: Annotated[bool, typer.Option("--content/--no-content", help=_CONTENT_HELP)] = True,
    background: Annotated[bool, typer.Option(help=_BACKGROUND_HELP)] = False,
) -> None:
    """Plan a campaign with the strategist, then write its A/B variants and media cards."""
    django()
    from clarion.brands.services import get_brand
    from clarion.campaigns.services import create_campaign

    console.print(model_line(), highlight=False)
    with console.status("The strategist is planning the phases…"):
        campaign = create_campaign(
            brand=get_brand(brand),
            goal=goal,
            name=name,
            phase_count=phases,
            platforms=platform,
            generate_content=content and background,
        )
    _show_tree(campaign)
    if content and not background:
        write_content(campaign)
    elif background:
        console.print("[dim]Content queued: run `clarion worker` to write it.[/]")
    console.print(f"\nShow it again: [bold]clarion campaign show {campaign.campaign_id}[/]")


@app.command("show")
@handles_errors
def show(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    mermaid: Annotated[bool, typer.Option("--mermaid", help="Print the Mermaid graph.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the canvas graph as JSON.")
    ] = False,
) -> None:
    """Show the active strategy: phases, posts, links and variants."""
    django()
    from clarion.campaigns.services import export_mermaid, get_campaign, graph_json

    campaign = get_campaign(campaign_id)
    if mermaid:
        print(export_mermaid(campaign), end="")
    elif as_json:
        print(json.dumps(graph_json(campaign), indent=2, ensure_ascii=False, default=str))
    else:
        _show_tree(campaign, variants=True)


@app.command("list")
@handles_errors
def list_campaigns(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List campaigns, newest first."""
    django()
    from clarion.campaigns.models import Campaign

    if as_json:
        rows = [
            {
                "campaign_id": c.campaign_id,
                "brand": c.brand.slug,
                "name": c.name,
                "stage": c.phase,
                "version": c.current_version,
            }
            for c in Campaign.objects.select_related("brand")[:200]
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return

    table = Table()
    for column in ("campaign", "brand"):
        table.add_column(column, no_wrap=True, overflow="fold")
    for column in ("name", "stage", "version", "active posts"):
        table.add_column(column)
    for campaign in Campaign.objects.select_related("brand")[:200]:
        table.add_row(
            campaign.campaign_id,
            campaign.brand.slug,
            escape(campaign.name),
            campaign.phase,
            str(campaign.current_version),
            str(campaign.posts.filter(is_active=True).count()),
        )
    console.print(table)


@app.command("regenerate")
@handles_errors(
    fields={"phase_num": "phase", "new_direction": "direction", "phase_count": "phases"}
)
def regenerate(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    direction: Annotated[str, typer.Argument(help="The new direction for the strategist.")],
    phase: Annotated[int, typer.Option(help="First phase to regenerate (1 … last + 1).")],
    phases: Annotated[
        int | None, typer.Option(help="How many phases to plan (default: as many as replaced).")
    ] = None,
    content: Annotated[bool, typer.Option("--content/--no-content", help=_CONTENT_HELP)] = True,
    background: Annotated[bool, typer.Option(help=_BACKGROUND_HELP)] = False,
) -> None:
    """Keep the phases before --phase, archive the rest and plan new ones."""
    django()
    from clarion.campaigns.services import get_campaign, regenerate_from_phase

    campaign = get_campaign(campaign_id)
    console.print(model_line(), highlight=False)
    with console.status(f"The strategist is replanning from phase {phase}…"):
        result = regenerate_from_phase(
            campaign=campaign,
            phase_num=phase,
            new_direction=direction,
            phase_count=phases,
            generate_content=content and background,
        )
    console.print(
        f"Version [bold]{result.version}[/]: {len(result.posts)} new posts from phase {phase}, "
        f"{result.archived} archived.",
        highlight=False,
    )
    _show_tree(result.campaign)
    if content and not background:
        write_content(result.campaign, [p.pk for p in result.posts])


@app.command("content")
@handles_errors
def content(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    background: Annotated[bool, typer.Option(help=_BACKGROUND_HELP)] = False,
) -> None:
    """Write the A/B variants and media still missing (after failures or a crash)."""
    django()
    from clarion.campaigns.services import get_campaign, queue_missing_content

    campaign = get_campaign(campaign_id)
    if background:
        queued = queue_missing_content(campaign=campaign)
        console.print(
            f"Content of {queued} post(s) queued: run `clarion worker` to write it.",
            highlight=False,
        )
        return
    console.print(model_line(), highlight=False)
    write_content(campaign)
    campaign.refresh_from_db()
    console.print(f"Stage: [bold]{campaign.phase}[/]", highlight=False)


@app.command("versions")
@handles_errors
def versions(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the versions as JSON.")] = False,
) -> None:
    """List the versions of a campaign's strategy."""
    django()
    from clarion.campaigns.schemas import VersionOut
    from clarion.campaigns.services import get_campaign, list_versions

    campaign = get_campaign(campaign_id)
    if as_json:
        data = [VersionOut.from_orm(v).model_dump(mode="json") for v in list_versions(campaign)]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table()
    table.add_column("version", no_wrap=True)
    for column in ("kind", "from phase", "direction", "posts", "created"):
        table.add_column(column)
    for version in list_versions(campaign):
        kind = version.kind
        if version.restored_from:
            kind += f" (v{version.restored_from})"
        mark = " *" if version.number == campaign.current_version else ""
        table.add_row(
            f"{version.number}{mark}",
            kind,
            str(version.from_phase or ""),
            escape(version.direction[:60]),
            str(len(version.post_ids)),
            f"{version.created_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)
    console.print("[dim]* the current version[/]")


@app.command("diff")
@handles_errors
def diff(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    a: Annotated[int, typer.Argument(help="The older version.")],
    b: Annotated[int, typer.Argument(help="The newer version.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Compare two versions: posts added, removed and changed, links changed."""
    django()
    from clarion.campaigns.schemas import VersionDiffOut
    from clarion.campaigns.services import compare_versions, get_campaign

    result = compare_versions(campaign=get_campaign(campaign_id), a=a, b=b)
    if as_json:
        data = VersionDiffOut.from_orm(result).model_dump(mode="json")
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console.print(f"[bold]v{a} → v{b}[/] ({result.unchanged} posts unchanged)")
    for post in result.added:
        console.print(f"[green]+ {post['key']}[/] {post['title']}", highlight=False)
    for post in result.removed:
        console.print(f"[red]- {post['key']}[/] {post['title']}", highlight=False)
    for change in result.changed:
        console.print(f"[yellow]~ {change.key}[/]", highlight=False)
        for name in change.fields:
            console.print(
                f"    {name}: {change.before[name]!r} → {change.after[name]!r}", highlight=False
            )
    for source, target in result.links_added:
        console.print(f"[green]+ link {source} → {target}[/]", highlight=False)
    for source, target in result.links_removed:
        console.print(f"[red]- link {source} → {target}[/]", highlight=False)


@app.command("restore")
@handles_errors
def restore(
    campaign_id: Annotated[str, typer.Argument(help="The campaign id.")],
    version: Annotated[int, typer.Argument(help="The version to bring back.")],
) -> None:
    """Make an earlier version active again, as a new version (nothing is deleted)."""
    django()
    from clarion.campaigns.services import get_campaign, restore_version

    campaign = restore_version(campaign=get_campaign(campaign_id), number=version)
    console.print(
        f"Version {version} restored as version [bold]{campaign.current_version}[/].",
        highlight=False,
    )
    _show_tree(campaign)


def _show_tree(campaign: Campaign, *, variants: bool = False) -> None:
    from clarion.campaigns.services import with_graph

    tree = Tree(
        f"[bold]{campaign.name}[/] [dim]{campaign.campaign_id} · version "
        f"{campaign.current_version} · {campaign.phase}[/]",
        highlight=False,
    )
    branches: dict[int, Tree] = {}
    for post in with_graph(campaign.posts.filter(is_active=True)):
        if post.phase not in branches:
            branches[post.phase] = tree.add(f"[bold]Phase {post.phase}[/]: {post.phase_name}")
        branches[post.phase].add(_post_line(post, variants=variants))
    console.print(tree)
    if campaign.phase == "content_missing" and campaign.content_failures:
        console.print("[yellow]Some content is missing:[/]", highlight=False)
        for line in campaign.content_failures[:10]:
            console.print(f"  [red]{escape(line)}[/]", highlight=False)
        console.print(
            f"Write it: [bold]clarion campaign content {campaign.campaign_id}[/]", highlight=False
        )


def _post_line(post: Post, *, variants: bool) -> str:
    children = [p.post_id for p in post.children.all() if p.is_active]
    line = f"[cyan]{post.post_id}[/] {post.title} [dim]({post.status}"
    stored = list(post.variants.all())
    if stored:
        line += f", {len(stored)} variants, selected {post.selected_variant or '-'}"
    line += ")[/]"
    if children:
        line += f" → {', '.join(children)}"
    if variants:
        for variant in stored:
            line += f"\n    [dim]{variant.platform} {variant.variant_id}:[/] {variant.content}"
    return line


def write_content(campaign: Campaign, post_pks: list[int] | None = None) -> ContentReport:
    """Write the missing A/B variants and cards now, with a progress bar."""
    from clarion.campaigns.content import ContentProgress, generate_content

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        bar = progress.add_task("Writing A/B variants", total=None)

        def advance(event: ContentProgress) -> None:
            progress.update(
                bar,
                total=event.total,
                completed=event.completed,
                description=f"Writing A/B variants ({event.post_id} {event.platform} "
                f"{event.variant_id})",
            )

        report = generate_content(campaign=campaign, post_ids=post_pks, on_progress=advance)
        progress.update(bar, description="Writing A/B variants")
    _report(report)
    if report.failures:
        raise fail(
            f"{len(report.failures)} item(s) failed; write what is missing with "
            f"`clarion campaign content {campaign.campaign_id}`",
            1,
        )
    return report


def _report(report: ContentReport) -> None:
    data: dict[str, Any] = report.as_dict()
    busy = f", {data['busy']} being written by another process" if data["busy"] else ""
    console.print(
        f"{data['written']} variants written ({data['approved']} approved by the reviewer), "
        f"{data['skipped']} already there, {data['failed']} failed{busy}, {data['cards']} "
        f"media cards; {data['calls']} model calls, {data['tokens']} tokens.",
        highlight=False,
    )
    for failure in report.failures[:10]:
        console.print(f"  [red]{escape(failure)}[/]", highlight=False)
