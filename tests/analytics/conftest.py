from __future__ import annotations

from clarion.writing.models import CompletionReason, IterationSession, SessionStatus, Turn


def reviewed(brand, *, hook_style: str, approved: list[bool], error: int = 0) -> None:
    """Finished writing sessions of ``brand``: one per entry of ``approved`` (the first draft's
    verdict), then ``error`` sessions that ended on an error."""
    for ok in approved:
        session = IterationSession.objects.create(
            brand=brand,
            workspace=brand.workspace,
            user_input="a post",
            kind="post",
            hook_style=hook_style,
            status=SessionStatus.COMPLETED,
            completed=True,
            completion_reason=CompletionReason.APPROVED if ok else CompletionReason.MAX_TURNS,
            final_turn_number=1,
        )
        Turn.objects.create(
            session=session, turn_number=1, text="draft", approved=ok, score=0.9 if ok else 0.5
        )
    for _ in range(error):
        IterationSession.objects.create(
            brand=brand,
            workspace=brand.workspace,
            user_input="a post",
            kind="post",
            hook_style=hook_style,
            status=SessionStatus.COMPLETED,
            completion_reason=CompletionReason.ERROR,
            error="the model server did not answer",
        )
