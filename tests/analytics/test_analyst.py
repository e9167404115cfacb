"""The analyst through the real runtime, with scripted model replies."""

from __future__ import annotations

from clarion.agents.models import Task
from clarion.analytics.models import Decision, Lesson
from clarion.analytics.services import create_experiment, evaluate_experiments
from tests.analytics.conftest import reviewed


def _experiment(brand):
    create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Hooks",
        arm_kind="hook_style",
        success_metric="first_pass_approval",
        arms=["question", "story"],
    )
    reviewed(brand, hook_style="question", approved=[True, True, False])


def test_the_analyst_is_asked_with_the_evidence_and_an_empty_answer_goes_back(brand, scripted):
    _experiment(brand)
    scripted.script("lesson", {"text": ""}, {"text": "Questions lead, but 3 drafts prove little."})
    [evaluation] = evaluate_experiments(workspace=brand.workspace).evaluations
    assert evaluation.lesson is not None
    assert evaluation.lesson.text == "Questions lead, but 3 drafts prove little."
    [asked, *_] = scripted.requests_for("lesson")
    assert asked["decision"] == "keep" and asked["metric"].startswith("approval by the reviewer")
    assert {a["label"]: (a["successes"], a["trials"]) for a in asked["arms"]} == {
        "question": (2, 3),
        "story": (0, 0),
    }
    task = Task.objects.get(role="analyst")
    assert task.status == "succeeded" and task.calls.count() == 1


def test_a_failing_analyst_leaves_the_decision_standing_without_a_lesson(brand, scripted):
    _experiment(brand)
    scripted.script("lesson", RuntimeError("the model server is down"))
    [evaluation] = evaluate_experiments(workspace=brand.workspace).evaluations
    assert evaluation.lesson is None and not Lesson.objects.exists()
    assert Decision.objects.get().decision == "keep"
    assert Task.objects.get(role="analyst").status == "failed"
