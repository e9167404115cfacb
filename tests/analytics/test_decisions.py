"""The decision rules on constructed data, and what an evaluation stores."""

from __future__ import annotations

import numpy as np

from clarion.agents.models import Job, Task
from clarion.analytics import bayes
from clarion.analytics.models import (
    ArmStatus,
    Decision,
    ExperimentArm,
    ExperimentStatus,
    Lesson,
    Rule,
)
from clarion.analytics.services import create_experiment, evaluate_experiments
from tests.analytics.conftest import reviewed

RULES = bayes.Rules(min_trials=1000, loss_tolerance=0.01)
PRIOR = (0.5, 9.5)  # a brand that usually gets 5 %


def verdicts(successes, trials):
    evidence = bayes.evaluate(successes, trials, prior=PRIOR)
    return list(bayes.decide(evidence, RULES, prior=PRIOR)), evidence


def test_a_clear_winner_is_doubled_down_on():
    found, evidence = verdicts([400, 500, 1400], [10_000, 10_000, 20_000])
    assert found[2] == bayes.DOUBLE_DOWN
    assert evidence.p_best[2] > 0.95
    assert evidence.expected_loss[2] < bayes.epsilon(PRIOR, RULES)


def test_a_clear_loser_is_killed_after_the_minimum_sample_and_not_before():
    early, evidence = verdicts([5, 60], [900, 900])  # 0.6 % against 6.7 %: clear, but too few
    assert evidence.p_below_leader[0] > 0.95
    assert early[0] == bayes.KEEP
    later, _ = verdicts([6, 66], [1000, 1000])
    assert later[0] == bayes.KILL


def test_equal_arms_are_kept():
    found, evidence = verdicts([500, 505, 498], [10_000, 10_000, 10_000])
    assert found == [bayes.KEEP] * 3
    assert evidence.p_best.max() < 0.95


def test_thompson_shares_respect_the_floor_and_favour_the_better_arm():
    shares = bayes.thompson_shares([2, 40, 9], [100, 100, 100], floor=0.15)
    assert abs(sum(shares) - 1) < 1e-9
    assert min(shares) >= 0.15 - 1e-9
    assert shares[1] == max(shares) and shares[1] > 0.6
    counts = bayes.allocate(shares, 30)
    assert sum(counts) == 30 and counts[1] == max(counts) and min(counts) >= 4


def test_the_same_data_gives_the_same_decision():
    one = bayes.evaluate([30, 40], [100, 100], rng=np.random.default_rng(bayes.SEED))
    two = bayes.evaluate([30, 40], [100, 100], rng=np.random.default_rng(bayes.SEED))
    assert one.p_best.tolist() == two.p_best.tolist()


def test_an_evaluation_stores_the_evidence_the_sentence_and_the_analysts_lesson(brand):
    experiment = create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Questions or stories",
        arm_kind="hook_style",
        success_metric="first_pass_approval",
        arms=["question", "story"],
    )
    reviewed(brand, hook_style="question", approved=[True] * 18 + [False] * 2)
    reviewed(brand, hook_style="story", approved=[True] * 4 + [False] * 16)

    report = evaluate_experiments(workspace=brand.workspace)

    [evaluation] = report.evaluations
    decision = Decision.objects.get()
    assert decision.decision == "double_down" and decision.rule == Rule.BAYESIAN
    rows = {row["arm"]: row for row in decision.evidence["arms"]}
    assert (rows["question"]["successes"], rows["question"]["trials"]) == (18, 20)
    assert rows["question"]["p_best"] > 0.95 and rows["story"]["p_below_best"] > 0.95
    assert {"posterior_mean", "expected_loss"} <= set(rows["story"])
    assert decision.sentence.startswith("Double down on question")
    assert "18 of 20 drafts" in decision.sentence
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.SUCCESSFUL
    assert experiment.decision == "double_down" and experiment.decision_reason == decision.sentence
    assert {a.value: a.status for a in ExperimentArm.objects.filter(experiment=experiment)} == {
        "question": ArmStatus.WINNER,
        "story": ArmStatus.KILLED,
    }
    job = Job.objects.get(pk=report.job.pk)
    assert (job.kind, job.status) == ("evaluation", "succeeded")
    lesson = Lesson.objects.get()
    assert evaluation.lesson == lesson
    assert (lesson.experiment, lesson.decision) == (experiment, decision)
    assert "question" in lesson.text and "18 of 20 drafts" in lesson.text
    task = Task.objects.get(pk=lesson.task_id)
    assert (task.job_id, task.role, task.agent.name, task.status) == (
        job.pk,
        "analyst",
        "Sage",
        "succeeded",
    )


def test_thin_data_is_kept_with_the_reason_in_words(brand):
    create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Hooks",
        arm_kind="hook_style",
        success_metric="first_pass_approval",
        arms=["question", "story"],
    )
    reviewed(brand, hook_style="question", approved=[True] * 5)
    reviewed(brand, hook_style="story", approved=[False] * 5)
    [evaluation] = evaluate_experiments(workspace=brand.workspace).evaluations
    assert evaluation.decision.decision == "keep"
    assert "fewer than 12 drafts" in evaluation.decision.sentence


def test_the_circuit_breaker_stops_an_arm_that_keeps_failing_and_says_so_apart(brand):
    experiment = create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Hooks",
        arm_kind="hook_style",
        success_metric="approval_rate",
        arms=["question", "story"],
    )
    reviewed(brand, hook_style="question", approved=[True, False])
    reviewed(brand, hook_style="story", approved=[True, True], error=3)
    [evaluation] = evaluate_experiments(workspace=brand.workspace).evaluations
    decision = evaluation.decision
    assert decision.rule == Rule.CIRCUIT_BREAKER
    assert decision.sentence.startswith("Circuit breaker: story failed 3 times in a row")
    rows = {row["arm"]: row for row in decision.evidence["arms"]}
    assert rows["story"]["circuit_breaker"] and not rows["question"]["circuit_breaker"]
    statuses = {a.value: a.status for a in ExperimentArm.objects.filter(experiment=experiment)}
    assert statuses == {"question": ArmStatus.LIVE, "story": ArmStatus.KILLED}
