"""The Team page: the workspace's roster with each agent's record and advice; hire, fire and
rehire (editors and owners). The usage page: model calls, tokens, cost and latency."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clarion.accounts.auth import workspace_of
from clarion.agents import team
from clarion.agents.models import AgentRole
from clarion.agents.runtime import active_agent
from clarion.core.errors import Conflict, InvalidInput, NotFound, as_sentence

PERIODS = (1, 7, 30, 90)
ADVICE = {
    "monitor": "Monitor",
    "continue": "Continue",
    "double_down": "Double down",
    "investigate": "Investigate",
    "fire": "Fire",
}


class HireForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="Unique on this workspace's roster.")
    role = forms.ChoiceField(choices=AgentRole.choices)
    llm_preference = forms.CharField(
        max_length=200,
        required=False,
        label="Model",
        help_text="A model spec such as openai:gpt-4o; empty: the installation's model.",
    )
    temperature = forms.FloatField(min_value=0, max_value=2, initial=0.7)
    prompt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
        help_text="Its instructions; empty: the role's own.",
    )


def _hire(request: HttpRequest, form: HireForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        agent = team.hire(workspace_of(request), **data)
    except InvalidInput as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    except Conflict as exc:
        form.add_error("name", str(exc))
        return False
    messages.success(request, f"Hired {agent.name}, {agent.role}: on duty now.")
    return True


@require_http_methods(["GET", "POST"])
def show_team(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    form = HireForm()
    if request.method == "POST":
        form = HireForm(request.POST)
        if _hire(request, form):
            return redirect("agents:show-team")
    agents = list(team.roster_of(workspace))
    serving = {}
    for agent in agents:
        if agent.is_active and agent.role not in serving:
            serving[agent.role] = agent.pk
    rows = [
        {
            "agent": agent,
            "evaluation": found,
            "advice": ADVICE[found.recommendation],
            "serving": serving.get(agent.role) == agent.pk,
        }
        for agent, found in ((a, team.evaluate(a)) for a in agents)
    ]
    context: dict[str, Any] = {"section": "team", "rows": rows, "form": form}
    return render(request, "agents/team.html", context, status=400 if form.errors else 200)


def _change(request: HttpRequest, agent_id: int, action: str) -> HttpResponse:
    workspace = workspace_of(request)
    try:
        if action == "fire":
            agent = team.fire(workspace, agent_id)
            successor = active_agent(agent.role, workspace.pk)
            messages.success(
                request, f"Fired {agent.name}: {successor.name} serves the {agent.role} role now."
            )
        else:
            agent = team.rehire(workspace, agent_id)
            messages.success(request, f"{agent.name} is back on duty.")
    except Conflict as exc:
        messages.error(request, as_sentence(exc))
    except NotFound:
        messages.error(request, "That agent is not on this workspace's roster.")
    return redirect("agents:show-team")


@require_POST
def fire_agent(request: HttpRequest, agent_id: int) -> HttpResponse:
    return _change(request, agent_id, "fire")


@require_POST
def rehire_agent(request: HttpRequest, agent_id: int) -> HttpResponse:
    return _change(request, agent_id, "rehire")


@require_GET
def show_usage(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in PERIODS:
        days = 30
    stats = team.llm_stats(workspace_of(request), since=team.period(days))
    context = {"section": "team", "stats": stats, "days": days, "periods": PERIODS}
    return render(request, "agents/usage.html", context)
