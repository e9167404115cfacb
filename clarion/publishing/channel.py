"""The channel agent: takes a signed package from the orchestrator and writes the post.

It refuses any package whose HMAC signature does not match (unsigned, tampered
with, or signed with another key), so nothing but the orchestrator can give it
work. The post is written by the writer ↔ reviewer loop; news, trends and
yesterday's results travel as quoted data (``WriteRequest.signals``), never in
the brief. The draft is then checked by code (length for the network, a call to
action, banned terms); a post that fails is never published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from clarion.agents.schemas import Signal
from clarion.brands.models import Brand
from clarion.publishing import signing
from clarion.publishing.models import DailyContentPackage
from clarion.writing.checks import MAX_BRIEF_CHARS, check_draft
from clarion.writing.models import CompletionReason
from clarion.writing.services import run_session, start_session

PACKAGE_VERSION = 1


@dataclass(frozen=True)
class WrittenPost:
    text: str
    content_hash: str
    valid: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    session_id: int | None = None


def compose_brief(payload: dict[str, Any]) -> str:
    """The writer's brief from the slot and the plan's guidelines (signals stay out of it)."""
    slot: dict[str, Any] = payload["slot"]
    guidelines: dict[str, Any] = payload.get("guidelines") or {}
    lines = [
        f"A {payload['network']} post about {slot.get('topic') or slot['pillar']}.",
        f"Content pillar: {slot['pillar']}. Angle: {slot.get('angle', '')}. "
        f"Hook: {slot.get('hook', '')}. Format: {slot.get('format', 'text')}.",
    ]
    if slot.get("cta"):
        lines.append(f"Call to action: {slot['cta']}.")
    if guidelines.get("tone"):
        lines.append(f"Tone: {guidelines['tone']}.")
    if guidelines.get("do"):
        lines.append("Do: " + "; ".join(str(x) for x in guidelines["do"]) + ".")
    if guidelines.get("dont"):
        lines.append("Don't: " + "; ".join(str(x) for x in guidelines["dont"]) + ".")
    brief = "\n".join(lines)
    return brief if len(brief) <= MAX_BRIEF_CHARS else brief[: MAX_BRIEF_CHARS - 1] + "…"


def write_post(package: DailyContentPackage) -> WrittenPost:
    """Verify the package, write the post through the writer ↔ reviewer loop, check it.

    Raises ``signing.PackageRefused`` before any work when the signature is wrong.
    """
    signing.verify(package.payload, package.signature)
    payload = package.payload
    brand = Brand.objects.get(pk=payload["brand_id"])
    slot: dict[str, Any] = payload["slot"]
    guidelines: dict[str, Any] = payload.get("guidelines") or {}
    signals = [Signal.model_validate(s) for s in payload.get("signals", [])]
    session = start_session(
        brief=compose_brief(payload),
        brand=brand,
        platform=payload["network"],
        kind="post",
        require_cta=True,
        max_turns=settings.CLARION_MAX_TURNS,
        angle=str(slot.get("angle", ""))[:200],
        hook_style=str(slot.get("hook", ""))[:200],
    )
    session = run_session(session, signals=signals)
    text = session.final_text.strip()
    cta_targets = [*brand.cta_targets, *([slot["cta"]] if slot.get("cta") else [])]
    banned = [*brand.banned_terms, *(guidelines.get("banned_terms") or [])]
    failures = [
        f.as_dict()
        for f in check_draft(
            text,
            platform=payload["network"],
            require_cta=True,
            cta_targets=cta_targets,
            banned_terms=banned,
            previous_drafts=[],
        )
    ]
    if session.completion_reason == CompletionReason.ERROR:
        failures.append({"code": "writer_error", "message": session.error or "the writer failed"})
    return WrittenPost(
        text=text,
        content_hash=signing.content_hash(text),
        valid=bool(text) and not failures,
        failures=failures,
        session_id=session.pk,
    )
