"""The campaign chat: ``!regenerate`` commands, and questions answered by the strategist."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job, start_job
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent
from clarion.agents.schemas import CampaignSummary, ChatRequest, ChatTurn, PlannedPhase, PlannedPost
from clarion.agents.strategist import answer_chat
from clarion.brands.services import brand_context
from clarion.campaigns.models import Campaign, ConversationMessage, MessageRole, Post
from clarion.campaigns.services.graph import _active_posts
from clarion.campaigns.services.strategy import Regeneration, regenerate_from_phase
from clarion.core.errors import Conflict, InvalidInput, Unavailable
from clarion.core.inputs import required_text

_COMMAND = re.compile(r"^!regenerate\s+phase\s+(\d+)\s+(\S.*)$", re.IGNORECASE | re.DOTALL)
COMMAND_HELP = (
    "To regenerate the strategy, send: !regenerate phase <number> <new direction>. "
    "For example: !regenerate phase 2 pivot to developer-first content with technical demos"
)


@dataclass
class ChatResult:
    message: ConversationMessage
    reply: ConversationMessage
    regeneration: Regeneration | None = None


def _campaign_summary(campaign: Campaign) -> CampaignSummary:
    phases: dict[int, list[Post]] = defaultdict(list)
    for post in _active_posts(campaign):
        phases[post.phase].append(post)
    return CampaignSummary(
        name=campaign.name,
        goal=campaign.description,
        version=campaign.current_version,
        phases=[
            PlannedPhase(
                number=number,
                name=posts[0].phase_name or f"Phase {number}",
                posts=[
                    PlannedPost(
                        key=p.post_id,
                        title=p.title,
                        objective=p.objective,
                        hook=p.hook,
                    )
                    for p in posts
                ],
            )
            for number, posts in sorted(phases.items())
        ],
    )


def _reply(campaign: Campaign, text: str, **metadata: Any) -> ConversationMessage:
    return ConversationMessage.objects.create(
        campaign=campaign, role=MessageRole.ASSISTANT, content=text, metadata=metadata
    )


def chat(*, campaign: Campaign, message: str) -> ChatResult:
    """Store the marketer's message and answer it.

    ``!regenerate phase X <direction>`` regenerates the strategy; a malformed
    command gets the syntax back; anything else is answered by the strategist
    with the campaign as context.
    """
    text = required_text("message", message, 4000, one_line=True)
    history = list(campaign.messages.order_by("-created_at", "-id")[:10])[::-1]
    user = ConversationMessage.objects.create(
        campaign=campaign, role=MessageRole.USER, content=text
    )
    if text.lower().startswith("!regenerate"):
        match = _COMMAND.match(text)
        if match is None:
            return ChatResult(
                user, _reply(campaign, COMMAND_HELP, command="regenerate", error="syntax")
            )
        phase, direction = int(match.group(1)), match.group(2).strip()
        user.metadata = {"command": "regenerate", "phase_num": phase}
        user.save(update_fields=["metadata"])
        try:
            result = regenerate_from_phase(
                campaign=campaign, phase_num=phase, new_direction=direction
            )
        except (InvalidInput, Unavailable, Conflict) as exc:
            reason = exc.message if isinstance(exc, InvalidInput) else str(exc)
            return ChatResult(
                user,
                _reply(
                    campaign,
                    f"I could not regenerate: {reason}",
                    command="regenerate",
                    error=reason,
                ),
            )
        done = (
            f"Regenerated from phase {phase}: version {result.version}, "
            f"{len(result.posts)} new posts, {result.archived} archived. "
            "Their A/B variants and media are being written."
        )
        return ChatResult(
            user,
            _reply(result.campaign, done, command="regenerate", version=result.version),
            result,
        )
    job = start_job(
        "chat", f"Chat on {campaign.campaign_id}", workspace_id=campaign.brand.workspace_id
    )
    request = ChatRequest(
        brand=brand_context(campaign.brand),
        campaign=_campaign_summary(campaign),
        history=[ChatTurn(role=m.role, content=m.content) for m in history],
        message=text,
    )
    try:
        answer = answer_chat(request, job=job)
    except (AgentCallFailed, NoActiveAgent, llm.LLMConfigError) as exc:
        fail_job(job, str(exc))
        return ChatResult(
            user,
            _reply(campaign, f"The strategist is unavailable right now: {exc}", error=str(exc)),
        )
    finish_job(job)
    return ChatResult(user, _reply(campaign, answer.reply, job_id=job.pk))
