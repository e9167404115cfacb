"""The Learning pages as a marketer reads them."""

from __future__ import annotations

from clarion.analytics.services import create_experiment
from tests.analytics.conftest import reviewed


def test_the_learning_pages_show_the_evidence_decision_and_lesson_in_words(brand, client):
    create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Questions or stories",
        arm_kind="hook_style",
        success_metric="first_pass_approval",
        arms=["question", "story"],
    )
    reviewed(brand, hook_style="question", approved=[True] * 18 + [False] * 2)
    reviewed(brand, hook_style="story", approved=[True] * 4 + [False] * 16)
    assert client.post("/learning/evaluate/").status_code == 302
    page = client.get("/learning/").content.decode()
    assert "Double down on question" in page
    assert (
        "chance to be best" in page and "18 of 20" in page and "86.4%" in page and "winner" in page
    )
    assert "approval by the reviewer at the first draft" in page
    assert "Evaluate now" in page
    lessons = client.get("/learning/lessons/").content.decode()
    assert "question leads with 18 of 20 drafts" in lessons
    assert client.post("/learning/patterns/detect/").status_code == 302
    assert (
        "question works best for Northwind Coffee"
        in client.get("/learning/patterns/").content.decode()
    )


def test_a_viewer_sees_no_evaluate_button(brand, viewer, client):
    client.force_login(viewer)
    page = client.get("/learning/").content.decode()
    assert "No experiment yet" in page and "Evaluate now" not in page
