"""Who may use Clarion: workspaces, their members' roles, and the API tokens people make.

People are Django's own users (the e-mail address is the user name). A workspace
owns brands and, through them, everything else; a ``Membership`` gives a user a
role in one workspace, and a person may belong to several. An API token acts in
the workspace it was made in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "owner"
    EDITOR = "editor", "editor"
    VIEWER = "viewer", "viewer"


# What each role may do, weakest first: a role may do everything the ones before it may.
RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


class Workspace(models.Model):
    """A team or a client: its brands, and everything made for them, are its own."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workspace__name", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], name="one_membership_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace_id} ({self.role})"

    def allows(self, role: str) -> bool:
        """Whether this member's role is ``role`` or a stronger one."""
        return RANK[Role(self.role)] >= RANK[Role(role)]


class ApiToken(models.Model):
    """A Bearer token for /api/. Only its SHA-256 is stored; ``prefix`` lets people tell
    their tokens apart (it is the start of the token, shown in lists)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The workspace the token acts in, with its user's role there.",
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    @property
    def state(self) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"
