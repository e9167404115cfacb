"""What Clarion learns: experiments with their arms and decisions, patterns, lessons (seed 003)."""

from __future__ import annotations

from django.db import models


class ArmKind(models.TextChoices):
    VARIANT = "variant", "A/B content variant"
    HOOK_STYLE = "hook_style", "Hook style"
    POSTING_TIME = "posting_time", "Posting time"
    PILLAR = "pillar", "Content pillar"
    AGENT = "agent", "Agent for one role"


class ExperimentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUCCESSFUL = "successful", "Successful"
    FAILED = "failed", "Failed"
    KILLED = "killed", "Killed"


class Verdict(models.TextChoices):
    KEEP = "keep", "Keep"
    KILL = "kill", "Kill"
    DOUBLE_DOWN = "double_down", "Double down"


class Rule(models.TextChoices):
    BAYESIAN = "bayesian", "Bayesian decision"
    CIRCUIT_BREAKER = "circuit_breaker", "Circuit breaker (3 operational failures in a row)"


class Experiment(models.Model):
    """Arms compared on one success metric from stored outcomes, for a brand or a workspace."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="experiments"
    )
    name = models.CharField(max_length=200)
    arm_kind = models.CharField(max_length=16, choices=ArmKind.choices)
    status = models.CharField(
        max_length=16, choices=ExperimentStatus.choices, default=ExperimentStatus.ACTIVE
    )
    success_metric = models.CharField(max_length=32)
    current_value = models.FloatField(
        null=True, blank=True, help_text="The leading arm's posterior mean rate."
    )
    decision = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    slot_floor = models.FloatField(
        default=0.1, help_text="The least share of new slots every live arm gets."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def metric_label(self) -> str:
        from clarion.analytics.metrics import METRICS

        metric = METRICS.get(self.success_metric)
        return metric.label if metric is not None else self.success_metric


class ArmStatus(models.TextChoices):
    LIVE = "live", "Live"
    KILLED = "killed", "Killed"
    WINNER = "winner", "Winner"


class ExperimentArm(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="arms")
    value = models.CharField(
        max_length=80, help_text="What the arm is: a variant id, a hook style, 09:00, a pillar…"
    )
    label = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=8, choices=ArmStatus.choices, default=ArmStatus.LIVE)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["experiment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "value"], name="one_arm_per_value")
        ]

    def __str__(self) -> str:
        return self.label or self.value


class Decision(models.Model):
    """One evaluation of one experiment: the verdict, the rule behind it, the evidence, in words."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="decisions")
    job = models.ForeignKey(
        "agents.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=Verdict.choices)
    rule = models.CharField(max_length=16, choices=Rule.choices, default=Rule.BAYESIAN)
    sentence = models.TextField()
    evidence = models.JSONField(
        default=dict,
        help_text="Per arm: successes, trials, posterior mean, P(best), P(arm < best), "
        "expected loss, verdict; and the prior and thresholds used.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.decision}"


class PatternType(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    USER_REPETITION = "user_repetition", "User repetition"


class Pattern(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, help_text="What makes a re-detection the same pattern.")
    pattern_type = models.CharField(max_length=16, choices=PatternType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    detection_count = models.PositiveIntegerField(default=1)
    confidence_score = models.FloatField(default=0.0, help_text="0 to 1.")
    action_taken = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    first_detected_at = models.DateTimeField(auto_now_add=True)
    last_detected_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-last_detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="one_pattern_per_key")
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """What the analyst agent wrote after an evaluation, linked to its evidence."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    experiment = models.ForeignKey(
        Experiment, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    patterns = models.ManyToManyField(Pattern, blank=True, related_name="lessons")
    task = models.ForeignKey(
        "agents.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]
