"""The one place a workspace filters what its people may see.

Every object Clarion keeps belongs to a workspace: directly (brands, jobs, slogan
sessions, daily runs) or through its brand. ``scoped`` filters a query by the path
from its model to the workspace, so a view never has to remember a ``filter()``;
``get_scoped`` answers NotFound (404) for another workspace's object, as for one
that does not exist.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from clarion.accounts.models import Workspace
from clarion.core.errors import NotFound

M = TypeVar("M", bound=Model)

# From each model to its workspace (a model missing here cannot be served: see tests).
PATHS: dict[str, str] = {
    "brands.Brand": "workspace",
    "campaigns.Campaign": "brand__workspace",
    "campaigns.Post": "campaign__brand__workspace",
    "campaigns.PostLink": "source__campaign__brand__workspace",
    "campaigns.ContentVariant": "post__campaign__brand__workspace",
    "campaigns.ConversationMessage": "campaign__brand__workspace",
    "campaigns.StrategyVersion": "campaign__brand__workspace",
    "planning.MonthlyPlan": "brand__workspace",
    "planning.PlanSlot": "plan__brand__workspace",
    "publishing.ChannelAccount": "brand__workspace",
    "publishing.DailyRun": "workspace",
    "publishing.DailyContentPackage": "brand__workspace",
    "publishing.Publication": "brand__workspace",
    "publishing.OutboxPost": "account__brand__workspace",
    "agents.Agent": "workspace",
    "agents.Job": "workspace",
    "agents.Task": "job__workspace",
    "agents.JobLog": "job__workspace",
    "agents.AgentCall": "task__job__workspace",
    "writing.IterationSession": "workspace",
    "writing.Turn": "session__workspace",
    "audit.AuditEvent": "workspace",
    "webhooks.Webhook": "workspace",
    "webhooks.WebhookDelivery": "webhook__workspace",
    "webhooks.OverdueNotice": "publication__brand__workspace",
    "crm.Lead": "workspace",
    "analytics.Experiment": "workspace",
    "analytics.ExperimentArm": "experiment__workspace",
    "analytics.Decision": "experiment__workspace",
    "analytics.Pattern": "workspace",
    "analytics.Lesson": "workspace",
    "automation.UserCommand": "workspace",
    "automation.AutomationCandidate": "workspace",
    "automation.Schedule": "workspace",
    "automation.ScheduleRun": "schedule__workspace",
}


def path_to_workspace(model: type[Model]) -> str:
    label = model._meta.label
    try:
        return PATHS[label]
    except KeyError:
        raise LookupError(
            f"{label} has no path to its workspace in clarion.accounts.scope"
        ) from None


def scoped(query: type[M] | QuerySet[M], workspace: Workspace) -> QuerySet[M]:
    """``query`` (a model or a queryset) narrowed to ``workspace``'s rows."""
    rows: QuerySet[M] = query if isinstance(query, QuerySet) else query._default_manager.all()
    return rows.filter(**{path_to_workspace(rows.model): workspace})


def get_scoped(
    query: type[M] | QuerySet[M], workspace: Workspace, *, missing: str, **lookup: Any
) -> M:
    """The one row of ``workspace`` matching ``lookup``; NotFound(``missing``) otherwise."""
    found = scoped(query, workspace).filter(**lookup).first()
    if found is None:
        raise NotFound(missing)
    return found
