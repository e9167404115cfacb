"""The agent roster, and the record of who did what: jobs, tasks and agent calls."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

# Seed 003's rewards: points issued when a task ends.
REWARD_SUCCESS = 10
REWARD_FAILURE = -5

ZERO_COST = Decimal("0")


class Team(models.Model):
    """A team of agents (seed 003): Marketing does the marketing work, Engineering the
    engineering jobs. Both are built in; an installation may add more in the admin."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    domain = models.CharField(max_length=40, help_text="What the team works on.")
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentRole(models.TextChoices):
    WRITER = "writer", "Writer"
    REVIEWER = "reviewer", "Reviewer"
    STRATEGIST = "strategist", "Strategist"
    PLANNER = "planner", "Planner"
    ANALYST = "analyst", "Analyst"


class Agent(models.Model):
    """One member of a workspace's team: a role served by a model with a prompt and settings.

    Each workspace has its own roster (the built-in team is copied into every new
    workspace); agents without a workspace serve the installation's own work. Several
    agents may share a role: the active one with the lowest id serves it unless a
    caller picks another (experiments comparing two agents). The figures
    (``total_tasks_*``, ``success_rate``, ``avg_duration_seconds``, ``total_reward``,
    ``total_cost_usd``) are updated in the transaction that ends each of its tasks.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agents",
        help_text="Whose roster it is on (empty: the installation's own team).",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="agents"
    )
    name = models.CharField(max_length=80)
    role = models.CharField(max_length=32, choices=AgentRole.choices, db_index=True)
    emoji = models.CharField(max_length=16, blank=True, help_text="Its visual identifier.")
    model = models.CharField(
        max_length=200,
        blank=True,
        help_text="Model spec such as 'openai:gpt-4o'; empty means CLARION_LLM.",
    )
    prompt = models.TextField()
    temperature = models.FloatField(default=0.7)
    is_active = models.BooleanField(default=True, db_index=True)
    is_builtin = models.BooleanField(default=False)
    fired_at = models.DateTimeField(null=True, blank=True)
    total_tasks_completed = models.PositiveIntegerField(default=0)
    total_tasks_failed = models.PositiveIntegerField(default=0)
    success_rate = models.FloatField(
        null=True, blank=True, help_text="Completed tasks over all ended tasks, 0 to 1."
    )
    avg_duration_seconds = models.FloatField(default=0.0)
    total_reward = models.IntegerField(default=0)
    total_cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=ZERO_COST)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="agent_name_per_workspace"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(workspace__isnull=True),
                name="agent_name_installation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def llm_preference(self) -> str:
        """Seed 003's name for the model the agent prefers ('' : CLARION_LLM)."""
        return self.model


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    STOPPED = "stopped", "Stopped"  # a person stopped it: the step running then finished
    SKIPPED = "skipped", "Skipped"  # a step its stopped job never began


class Job(models.Model):
    """One user-visible run (a slogan session, a campaign build, a daily run)."""

    kind = models.CharField(max_length=40, db_index=True)
    title = models.CharField(max_length=200)
    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose work it is (empty: the installation's own, such as a retention run).",
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    model_name = models.CharField(max_length=200, blank=True)
    requests = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=ZERO_COST)
    error = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    runner = models.CharField(
        max_length=64, blank=True, help_text="The process running it: a worker id, or host:pid."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(
        auto_now=True, help_text="Renewed by every model call: the job's lease."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    stop_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="A person asked it to stop: it does after its step."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="job_status_lease")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.title}"


class Task(models.Model):
    """One agent step inside a job, such as 'writer, turn 2'."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="tasks")
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    role = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    model_name = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=ZERO_COST)
    reward = models.SmallIntegerField(
        default=0, help_text="Points issued when it ended: +10 completed, -5 failed."
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} [{self.status}]"


class JobLog(models.Model):
    """One line of a job's log: what it did, in words, as it went (``?after=`` its id)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log_lines")
    level = models.CharField(max_length=8, default="info")
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"job {self.job_id}: {self.message[:60]}"


class CallStatus(models.TextChoices):
    OK = "ok", "OK"
    MODEL_ERROR = "model_error", "Model error"
    TIMEOUT = "timeout", "Timeout"
    INVALID_OUTPUT = "invalid_output", "Invalid output"
    LIMIT_EXCEEDED = "limit_exceeded", "Limit exceeded"


class AgentCall(models.Model):
    """One attempt at one model call, with what it cost."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    model_name = models.CharField(max_length=200)
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=CallStatus.choices)
    requests = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=ZERO_COST)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.model_name} attempt {self.attempt}: {self.status}"


class AgentMemory(models.Model):
    """What one agent remembers across calls (seed 000): a JSON context and a history.

    The strategist keeps one memory per campaign (``agent_name`` such as
    ``"strategist:campaign-12"``) with the decisions it made and why.
    """

    agent_name = models.CharField(max_length=200, unique=True)
    context = models.JSONField(default=dict, blank=True)
    history = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agent_name"]
        verbose_name_plural = "agent memories"

    def __str__(self) -> str:
        return self.agent_name

    def update_context(self, values: dict[str, object]) -> None:
        """Merge ``values`` into the context and save."""
        self.context = {**self.context, **values}
        self.save(update_fields=["context", "updated_at"])

    def remember(self, event: str, **details: object) -> None:
        """Append one entry to the history and save."""
        self.history = [*self.history, {"event": event, **details}]
        self.save(update_fields=["history", "updated_at"])


class ModelRequestWindow(models.Model):
    """Requests sent to one provider in one minute, by every process (PostgreSQL installs).

    ``CLARION_LLM_REQUESTS_PER_MINUTE`` caps the count; ``clarion.agents.limits``
    takes a request from the current minute with one conditional upsert.
    """

    provider = models.CharField(max_length=40)
    minute = models.BigIntegerField(help_text="Minutes since the Unix epoch.")
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "minute"], name="one_window_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.provider} minute {self.minute}: {self.requests}"
