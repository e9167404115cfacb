"""Campaigns as a graph of posts in phases (seeds 000 and 001).

A campaign's strategy is a set of posts, each in a numbered phase, linked to the
posts of the next phase they lead to (branching and merging allowed). Regenerating
from phase N archives the posts of phases >= N (``is_active=False``) and adds new
ones under a new version; every version is kept as a ``StrategyVersion`` snapshot,
so versions can be listed, compared and restored. Nothing is ever deleted.
"""

from __future__ import annotations

from django.db import models

from clarion.core.platforms import Platform


class CampaignStage(models.TextChoices):
    PLANNING = "planning", "Planning"
    GENERATING = "generating", "Generating content"
    CONTENT_MISSING = "content_missing", "Some content is missing"
    READY = "ready", "Ready"


class Campaign(models.Model):
    campaign_id = models.SlugField(max_length=120, unique=True)
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="The goal the strategy serves.")
    phase = models.CharField(
        max_length=16, choices=CampaignStage.choices, default=CampaignStage.PLANNING
    )
    strategy = models.TextField(blank=True, help_text="The active graph as Mermaid text.")
    metadata = models.JSONField(default=dict, blank=True)
    insights = models.JSONField(default=dict, blank=True)
    content_failures = models.JSONField(
        default=list,
        blank=True,
        help_text="Why content is missing, one line per variant (stage content_missing).",
    )
    current_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign_id})"

    @property
    def platforms(self) -> list[str]:
        return list(self.metadata.get("platforms", []))


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Content ready"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class Post(models.Model):
    """One node of the strategy graph."""

    post_id = models.CharField(max_length=40, help_text="The node id, unique in its campaign.")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="posts")
    phase = models.PositiveSmallIntegerField()
    phase_name = models.CharField(max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=1, help_text="Order within the phase.")
    title = models.CharField(max_length=200)
    objective = models.TextField(blank=True)
    hook = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT)
    selected_variant = models.CharField(max_length=8, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True, db_index=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    media_path = models.CharField(max_length=500, blank=True)
    children = models.ManyToManyField(
        "self", through="PostLink", symmetrical=False, related_name="parents", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "phase", "position", "id"]
        indexes = [models.Index(fields=["campaign", "is_active"], name="post_campaign_active")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "post_id"], name="unique_post_id")
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.title}"


class PostLink(models.Model):
    """An edge of the graph: ``source`` (phase k) leads to ``target`` (phase k+1)."""

    source = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="incoming")

    class Meta:
        ordering = ["source", "target"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_post_link")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_id}"


class ContentVariant(models.Model):
    """One A/B variant of a post for one network."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    variant_id = models.CharField(max_length=8)
    content = models.TextField()
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.X)
    metadata = models.JSONField(default=dict, blank=True)
    is_approved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "platform", "variant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "platform", "variant_id"], name="unique_variant_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.platform} {self.variant_id}"


class MessageRole(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"
    SYSTEM = "system", "System"


class ConversationMessage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=16, choices=MessageRole.choices)
    content = models.TextField()
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"


class VersionKind(models.TextChoices):
    CREATED = "created", "Created"
    REGENERATED = "regenerated", "Regenerated"
    RESTORED = "restored", "Restored"


class StrategyVersion(models.Model):
    """A snapshot of which posts made up the strategy at one version."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=VersionKind.choices)
    from_phase = models.PositiveSmallIntegerField(null=True, blank=True)
    direction = models.TextField(blank=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    post_ids = models.JSONField(default=list, help_text="Primary keys of the posts, in order.")
    mermaid = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_strategy_version")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} v{self.number} ({self.kind})"
