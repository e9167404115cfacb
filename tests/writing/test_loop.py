from __future__ import annotations

import pytest
from pydantic_ai.exceptions import ModelHTTPError

from clarion.accounts.workspaces import default_workspace
from clarion.agents.models import Agent, AgentCall, CallStatus, Job, RunStatus, Task
from clarion.core.errors import InvalidInput
from clarion.writing.services import run_session, start_session
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def run(**kwargs):
    return run_session(start_session(**kwargs))


def test_approved_on_first_turn_when_reviewer_approves_and_checks_pass(scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))

    session = run(brief="A slogan for fresh coffee")

    assert session.completion_reason == "approved"
    assert session.final_text == "Fresh coffee, roasted the day you order."
    assert session.final_turn_number == 1
    assert not session.needs_human_review
    turn = session.turns.get()
    assert turn.approved and turn.decision == "approve" and turn.score == 8.0


def test_reviewer_approval_is_overruled_when_a_required_cta_is_missing(scripted, brand):
    scripted.script(
        "write",
        draft("Coffee roasted to order."),
        draft("Coffee roasted to order. Subscribe today."),
    )
    scripted.script("review", verdict("approve"))

    session = run(
        brief="Post about freshness", brand=brand, platform="X", kind="post", require_cta=True
    )

    assert session.completion_reason == "approved"
    first, second = session.turns.all()
    assert not first.approved
    assert first.check_failures[0]["code"] == "missing_cta"
    assert any(fix.startswith("add_cta") for fix in first.fixes)
    assert second.approved and session.final_text.endswith("Subscribe today.")
    # the writer saw the fixes and the earlier draft on its second turn
    second_request = scripted.requests_for("write")[1]
    assert any(fix.startswith("add_cta") for fix in second_request["fixes"])
    assert second_request["previous_drafts"] == ["Coffee roasted to order."]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("x" * 281, "too_long"),
        ("Cheap beans, great taste. Subscribe.", "banned_term"),
    ],
)
def test_drafts_breaking_a_rule_are_never_approved(scripted, brand, text, code):
    scripted.script(
        "write", draft(text), draft("Roasted to order, at your door in 48 hours. Subscribe.")
    )
    scripted.script("review", verdict("approve"))

    session = run(brief="Post about freshness", brand=brand, platform="X", kind="post")

    first = session.turns.first()
    assert not first.approved
    assert code in {f["code"] for f in first.check_failures}
    assert session.final_turn_number == 2


def test_a_repeated_draft_is_not_approved(scripted):
    scripted.script("write", draft("Same line."), draft("Same line."), draft("A new line."))
    scripted.script("review", verdict("revise", score=6, feedback="Punchier."), verdict("approve"))

    session = run(brief="A slogan")

    codes = [[f["code"] for f in t.check_failures] for t in session.turns.all()]
    assert codes == [[], ["repeat"], []]
    assert session.final_text == "A new line."


def test_when_turns_run_out_the_best_draft_is_kept_and_flagged(scripted):
    scripted.script("write", draft("One."), draft("Two."), draft("Three."))
    scripted.script(
        "review",
        verdict("revise", score=5, feedback="Weak."),
        verdict("revise", score=6, feedback="Better."),
        verdict("revise", score=4, feedback="Worse."),
    )

    session = run(brief="A slogan", max_turns=3)

    assert session.completion_reason == "max_turns"
    assert session.turns.count() == 3
    assert session.final_text == "Two."
    assert session.needs_human_review


def test_a_failing_model_ends_the_session_with_an_error_after_bounded_retries(scripted, settings):
    settings.CLARION_LLM_MAX_RETRIES = 2
    scripted.script(
        "write", ModelHTTPError(status_code=503, model_name="scripted", body="overloaded")
    )

    session = run(brief="A slogan")

    assert session.completed and session.completion_reason == "error"
    assert "writer, turn 1 failed after 3 attempt(s)" in session.error
    task = Task.objects.get(job=session.job)
    assert task.status == RunStatus.FAILED and task.attempts == 3
    assert list(task.calls.values_list("status", flat=True)) == [CallStatus.MODEL_ERROR] * 3
    assert Job.objects.get(pk=session.job_id).status == RunStatus.FAILED


def test_a_client_error_is_not_retried(scripted):
    scripted.script(
        "write", ModelHTTPError(status_code=400, model_name="scripted", body="bad request")
    )

    session = run(brief="A slogan")

    assert session.completion_reason == "error"
    assert AgentCall.objects.filter(task__job=session.job).count() == 1


def test_invalid_output_is_sent_back_with_the_validation_error(scripted):
    bad = verdict("approve", score=11)
    scripted.script("write", draft("A line."))
    scripted.script("review", bad, verdict("approve"))

    session = run(brief="A slogan")

    assert session.completion_reason == "approved"
    assert scripted.retry_prompts and "less than or equal to 10" in scripted.retry_prompts[0]


def test_every_call_is_recorded_with_its_tokens(scripted):
    scripted.script("write", draft("A line."))
    scripted.script("review", verdict("approve"))

    session = run(brief="A slogan")

    tasks = list(Task.objects.filter(job=session.job))
    assert [t.name for t in tasks] == ["writer, turn 1", "reviewer, turn 1"]
    assert all(t.status == RunStatus.SUCCEEDED and t.model_name == "scripted" for t in tasks)
    assert all(t.input_tokens > 0 and t.output_tokens > 0 for t in tasks)
    job = Job.objects.get(pk=session.job_id)
    assert job.input_tokens == sum(t.input_tokens for t in tasks)
    assert job.requests == 2


def test_the_run_request_limit_stops_a_session_cleanly(scripted, settings):
    settings.CLARION_LLM_RUN_REQUEST_LIMIT = 3
    scripted.script("write", draft("One."), draft("Two."), draft("Three."))
    scripted.script("review", verdict("revise", score=5))

    session = run(brief="A slogan", max_turns=5)

    assert session.completion_reason == "error"
    assert "run limit reached" in session.error
    assert session.final_text == "One."  # the best reviewed draft survives


def test_the_active_roster_agent_serves_the_role(scripted):
    workspace = default_workspace()
    Agent.objects.filter(role="writer").update(is_active=False)
    Agent.objects.create(
        workspace=workspace,
        name="Quill",
        role="writer",
        prompt="Write like a poet.",
        temperature=0.9,
    )
    scripted.script("write", draft("A line."))
    scripted.script("review", verdict("approve"))

    session = run(brief="A slogan")

    assert "Write like a poet." in scripted.instructions[0]
    assert Task.objects.get(job=session.job, role="writer").agent.name == "Quill"


def test_no_active_writer_is_a_clear_error(scripted):
    default_workspace()  # its team, with the rest of the installation's, all fired
    Agent.objects.filter(role="writer").update(is_active=False)

    session = run(brief="A slogan")

    assert session.completion_reason == "error"
    assert "no active writer agent" in session.error


@pytest.mark.parametrize(
    ("brief", "message"),
    [("", "must not be empty"), ("   ", "must not be empty"), ("x" * 1001, "at most 1000")],
)
def test_bad_briefs_are_refused_with_the_field_named(brief, message):
    with pytest.raises(InvalidInput) as info:
        start_session(brief=brief)
    assert info.value.field == "brief" and message in info.value.message


@pytest.mark.parametrize("turns", [0, 11])
def test_max_turns_must_be_between_1_and_10(turns):
    with pytest.raises(InvalidInput) as info:
        start_session(brief="ok", max_turns=turns)
    assert info.value.field == "max_turns"


def test_a_model_that_cannot_be_built_is_refused_with_the_fix_before_anything_is_stored(
    settings, monkeypatch
):
    from clarion.agents.llm import ModelNotReady
    from clarion.writing.models import IterationSession

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings.CLARION_LLM = "openai:gpt-4o-mini"
    settings.CLARION_LLM_API_KEY = ""

    with pytest.raises(ModelNotReady, match="CLARION_LLM_API_KEY"):
        run(brief="A slogan")

    assert IterationSession.objects.count() == 0
    assert Job.objects.count() == 0


def test_a_models_approval_cannot_pass_copy_that_fails_the_quality_checks(scripted, brand):
    leaked = "Forget what you've heard about Poll. Fresh beans, roasted to order. Subscribe today."
    fixed = "Ever wondered how fresh your beans are? Ours are roasted to order. Subscribe today."
    scripted.script("write", draft(leaked), draft(fixed))
    scripted.script("review", verdict("approve"))

    session = run(
        brief="A post about freshness", brand=brand, platform="X", kind="post", angle="myth-busting"
    )

    first, second = session.turns.all()
    assert not first.approved and first.decision == "approve"
    assert "leaked_label" in first.rejection_codes
    assert any(fix.startswith("remove_label:") and "Poll" in fix for fix in first.fixes)
    assert "Quality:" in first.feedback
    assert second.approved and second.rejection_codes == []
    assert session.final_text == fixed
    second_request = scripted.requests_for("write")[1]
    assert any(fix.startswith("remove_label:") for fix in second_request["fixes"])


def test_a_sentence_from_the_brands_recent_posts_sends_the_draft_back(scripted, brand):
    earlier = "Beans at your door two days after roasting. That's the Northwind difference. Subscribe today."
    scripted.script("write", draft(earlier))
    scripted.script("review", verdict("approve"))
    run(brief="A post about freshness", brand=brand, platform="X", kind="post", max_turns=1)
    again = "Fresh beans weekly. That's the Northwind difference. Subscribe today."
    new = "Fresh beans weekly, from a roastery you can visit. Subscribe today."
    scripted.replies["write"].clear()
    scripted.script("write", draft(again), draft(new))

    session = run(brief="Another post", brand=brand, platform="X", kind="post")

    first, second = session.turns.all()
    assert first.rejection_codes == ["boilerplate"]
    assert "“That's the Northwind difference.”" in " ".join(first.fixes)
    assert second.approved
    review = scripted.requests_for("review")[-2]
    assert review["recent_posts"] == [earlier]


def test_a_poll_slot_keeps_its_poll_on_the_turn_and_the_session(scripted, brand, client):
    brief = "A X post about what matters most.\nContent pillar: community. Format: poll."
    poll = {"question": "What matters most to you?", "options": ["Roasted to order", "Origin"]}
    scripted.script(
        "write",
        draft("Quick question for home baristas: what matters most? Subscribe today."),
        {**draft("Fresh, or traceable? Vote below. Subscribe today."), "poll": poll},
    )
    scripted.script("review", verdict("approve"))

    session = run(brief=brief, brand=brand, platform="X", kind="post")

    first, second = session.turns.all()
    assert first.rejection_codes == ["missing_poll"] and first.poll is None
    assert second.approved and second.poll == poll
    assert session.final_poll == poll
    body = client.get(f"/api/slogans/{session.pk}").json()
    assert body["final_poll"] == poll
    assert body["turns"][0]["rejection_codes"] == ["missing_poll"]
