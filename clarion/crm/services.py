"""Leads: importing a file of them (the CLI, the API and the page call the same service) and
finding them.

How an import merges a lead it already knows (the same e-mail address, in the file or in the
workspace): the first non-empty name, company, phone, source and notes win, so an import never
overwrites what someone typed, it only fills gaps; the higher score and the more advanced status
(new → contacted → qualified → converted) win, so a lead never moves backwards. A row may name
the agent handling the lead (an active agent of the roster, by name); a lead already assigned
keeps its agent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.agents.models import Agent
from clarion.audit import services as audit
from clarion.core.errors import Conflict, InvalidInput
from clarion.crm.models import STATUS_RANK, Lead, LeadStatus
from clarion.crm.reading import LeadRow, read_leads

LEADS_IMPORT = "leads.import"
TEXT_FIELDS = ("name", "company", "phone", "source", "notes")
_CHUNK = 500


@dataclass
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did: counts, the rows refused by their line in the file, how it was read."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_in_file: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = "comma"
    warnings: list[str] = field(default_factory=list)


def merge_row(into: LeadRow, row: LeadRow) -> None:
    """Fold a later row of the same address into the first one (see the module's rules)."""
    for name in (*TEXT_FIELDS, "assigned_to"):
        if not getattr(into, name) and getattr(row, name):
            setattr(into, name, getattr(row, name))
    if row.score is not None and (into.score is None or row.score > into.score):
        into.score = row.score
    if row.status is not None and (
        into.status is None or STATUS_RANK[row.status] > STATUS_RANK[into.status]
    ):
        into.status = row.status


def merge_into_lead(lead: Lead, row: LeadRow, agent: Agent | None = None) -> dict[str, Any]:
    """What ``row`` changes in ``lead`` (``agent``: the one its row names): its gaps filled, its
    score and status raised; empty when nothing changes."""
    changes: dict[str, Any] = {}
    if lead.assigned_to_id is None and agent is not None:
        changes["assigned_to"] = agent
    for name in TEXT_FIELDS:
        if not getattr(lead, name) and getattr(row, name):
            changes[name] = getattr(row, name)
    if row.score is not None and row.score > lead.score:
        changes["score"] = row.score
    if row.status is not None and STATUS_RANK[row.status] > STATUS_RANK[lead.status]:
        changes["status"] = row.status
    return changes


def _new_lead(workspace: Workspace, row: LeadRow, source: str, agent: Agent | None) -> Lead:
    return Lead(
        workspace=workspace,
        assigned_to=agent,
        email=row.email,
        name=row.name,
        company=row.company,
        phone=row.phone,
        source=row.source or source,
        notes=row.notes,
        status=row.status or LeadStatus.NEW,
        score=row.score if row.score is not None else 0,
    )


def import_leads(*, workspace: Workspace, data: bytes, source: str = "") -> ImportReport:
    """Read a CSV file of leads into ``workspace``, all or nothing.

    Bad rows are left out and reported by their line; good ones are kept; rows of an address
    seen before are merged. ``source`` is where a lead came from when its row does not say.
    """
    read = read_leads(data)
    report = ImportReport(
        rejected=[Rejected(line, reason) for line, reason in read.rejected],
        encoding=read.encoding,
        delimiter=read.delimiter,
        warnings=read.warnings,
    )
    agents = _agents(workspace) if any(row.assigned_to for row in read.rows) else {}
    rows: dict[str, LeadRow] = {}
    for row in read.rows:
        if row.assigned_to and row.assigned_to.lower() not in agents:
            reason = f"no active agent is named {row.assigned_to!r} (see the roster)"
            report.rejected.append(Rejected(row.line, reason))
        elif row.email in rows:
            merge_row(rows[row.email], row)
            report.merged_in_file += 1
        else:
            rows[row.email] = row
    report.rejected.sort(key=lambda rejected: rejected.line)
    source = source[: Lead._meta.get_field("source").max_length or 120]
    try:
        with transaction.atomic():
            _store(workspace, rows, source, report, agents)
    except IntegrityError:
        raise Conflict(
            "another change added some of these leads at the same moment: import again"
        ) from None
    if rows:
        audit.record(
            action=LEADS_IMPORT,
            workspace=workspace,
            label=f"{report.created} created, {report.updated} updated",
            details={
                "created": report.created,
                "updated": report.updated,
                "rejected": len(report.rejected),
            },
        )
    return report


def _agents(workspace: Workspace) -> dict[str, Agent]:
    """The workspace's active agents by their lower-case name (a row names the one handling
    its lead)."""
    return {
        agent.name.lower(): agent
        for agent in Agent.objects.filter(workspace=workspace, is_active=True)
    }


def _store(
    workspace: Workspace,
    rows: dict[str, LeadRow],
    source: str,
    report: ImportReport,
    agents: dict[str, Agent],
) -> None:
    emails = list(rows)
    known: dict[str, Lead] = {}
    for start in range(0, len(emails), _CHUNK):
        chunk = emails[start : start + _CHUNK]
        for lead in scoped(Lead, workspace).select_for_update().filter(email__in=chunk):
            known[lead.email] = lead
    # Leads getting the same changes (a score raised to 60, say) are updated together.
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for email, row in rows.items():
        found = known.get(email)
        if found is None:
            continue
        changes = merge_into_lead(found, row, agents.get(row.assigned_to.lower()))
        if changes:
            groups[tuple(sorted(changes.items()))].append(found.pk)
        else:
            report.unchanged += 1
    fresh = [
        _new_lead(workspace, row, source, agents.get(row.assigned_to.lower()))
        for email, row in rows.items()
        if email not in known
    ]
    Lead.objects.bulk_create(fresh, batch_size=_CHUNK)
    now = timezone.now()
    for group, pks in groups.items():
        for start in range(0, len(pks), _CHUNK):
            Lead.objects.filter(pk__in=pks[start : start + _CHUNK]).update(
                **dict(group), updated_at=now
            )
    report.created = len(fresh)
    report.updated = sum(len(pks) for pks in groups.values())


def leads_of(
    workspace: Workspace,
    *,
    status: str | None = None,
    min_score: int | None = None,
    q: str | None = None,
) -> QuerySet[Lead]:
    """The workspace's leads, best score first, narrowed by status, lowest score and a search
    in address, name and company."""
    leads = scoped(Lead, workspace).select_related("assigned_to")
    if status:
        if status not in LeadStatus.values:
            raise InvalidInput("status", f"must be one of {', '.join(LeadStatus.values)}")
        leads = leads.filter(status=status)
    if min_score is not None:
        leads = leads.filter(score__gte=min_score)
    if q:
        leads = leads.filter(Q(email__icontains=q) | Q(name__icontains=q) | Q(company__icontains=q))
    return leads
