"""What every page of the web app shows around its content: the workspace, the navigation
with the approval count, and a banner when the worker is down or posts are overdue.

``shell`` (a context processor) computes each part only when a template reads it, so a
page that is not a full page (an htmx partial) pays nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from clarion.accounts.models import Membership

# The sections of the navigation: (section, label, URL name). A section whose page does not
# exist is left out.
NAV = [
    ("campaigns", "Campaigns", "campaigns:list-campaigns"),
    ("calendar", "Calendar", "planning:show-calendar"),
    ("approvals", "Approvals", "publishing:list-approvals"),
    ("publishing", "Publishing", "publishing:show-day"),
    ("analytics", "Analytics", "publishing:show-analytics"),
    ("learning", "Learning", "analytics:list-experiments"),
    ("brands", "Brands", "brands:list-brands"),
    ("leads", "Leads", "crm:list-leads"),
    ("team", "Team", "agents:show-team"),
    ("jobs", "Jobs", "agents:list-jobs"),
]


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class Banner:
    level: str  # "warning" or "danger"
    message: str


class Shell:
    """The frame of a page for one request (lazy: nothing is read until a template asks)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def membership(self) -> Membership | None:
        return getattr(self.request, "membership", None)

    @cached_property
    def memberships(self) -> list[Membership]:
        from clarion.accounts.workspaces import memberships_of

        user = self.request.user
        return memberships_of(user) if user.is_authenticated else []

    @cached_property
    def can_edit(self) -> bool:
        return self.membership is not None and self.membership.allows("editor")

    @cached_property
    def approvals_waiting(self) -> int:
        from clarion.publishing.approvals import awaiting

        if self.membership is None:
            return 0
        return awaiting(workspace=self.membership.workspace).count()

    @cached_property
    def nav_items(self) -> list[NavItem]:
        items = []
        for section, label, name in NAV:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            count = self.approvals_waiting if section == "approvals" else 0
            items.append(NavItem(section, label, url, count))
        return items

    @cached_property
    def banners(self) -> list[Banner]:
        from clarion.core.watchdog import overdue_count, worker_state

        if self.membership is None:
            return []
        found: list[Banner] = []
        worker = worker_state()
        if not worker.running:
            found.append(
                Banner(
                    "danger",
                    f"No worker is running ({worker.status}): scheduled posts and background "
                    "work wait until `clarion worker` runs.",
                )
            )
        overdue = overdue_count(workspace=self.membership.workspace)
        if overdue:
            noun = "post is" if overdue == 1 else "posts are"
            found.append(Banner("warning", f"{overdue} {noun} overdue: due and not published yet."))
        return found


def shell(request: HttpRequest) -> dict[str, Any]:
    frame = Shell(request)
    return {"shell": frame, "nav_items": SimpleLazyObject(lambda: frame.nav_items)}
