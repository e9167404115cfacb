"""How a post's sentences are laid out and fitted to a network, and the small helpers the
composer shares: frames with an opener, French articles after "à", and the final polish."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clarion.agents.offline.grammar import fr_feminine
from clarion.agents.offline.phrases import _FR_POLISH
from clarion.agents.offline.text import _scrub, _within
from clarion.agents.schemas import WriteRequest


@dataclass(frozen=True)
class Seg:
    text: str
    block: int  # segments of a block share a paragraph
    drop: int  # dropped highest first when the text is too long; 0 required, -1 essential


def polish(text: str, lang: str, avoid: Sequence[str]) -> str:
    """The finishing touch: French elisions and contractions, banned words out, a capital."""
    if lang == "fr":
        for pattern, repl in _FR_POLISH:
            text = re.sub(pattern, repl, text)
        text = re.sub(r"\b([Qq]u)e ([aeiouéèê])", r"\1'\2", text)
    text = _scrub(text, avoid)
    return text[:1].upper() + text[1:]


_CONNECTIVES = ("And ", "Et ", "Better still", "Plus", "Mieux encore", "De plus", "Yes,", "Oui,")


def _with_leads(frames: Sequence[str], leads: Sequence[str]) -> list[str]:
    """Every frame, alone and after each lead ("Good news: with {brand}, you get {p}.")."""
    combined: list[str] = []
    for lead in leads:
        for frame in frames:
            marker, body = (frame[:2], frame[2:]) if frame[1:2] == "|" else ("", frame)
            if not lead:
                combined.append(frame)
            elif (
                ":" not in body
                and "?" not in body
                and not body.startswith(_CONNECTIVES)
                and " also " not in body
            ):
                first = body[1:2].lower() if body.startswith("{") else body[:1].lower()
                rest = "{" + first + body[2:] if body.startswith("{") else first + body[1:]
                combined.append(marker + lead + rest)
    return combined


def _fr_a(with_article: str) -> str:
    lowered = with_article.lower()
    if lowered.startswith("le "):
        return "au " + with_article[3:]
    if lowered.startswith("les "):
        return "aux " + with_article[4:]
    return "à " + with_article


def _fr_un(category: str, plural: bool) -> str:
    if plural:
        return f"des {category}"
    return f"{'une' if fr_feminine(category) else 'un'} {category}"


def assemble(segs: Sequence[Seg], platform: str | None) -> str:
    blocks: dict[int, list[str]] = {}
    for seg in segs:
        blocks.setdefault(seg.block, []).append(seg.text)
    return "\n\n".join(" ".join(parts) for _, parts in sorted(blocks.items())).strip()


def fit(segs: list[Seg], req: WriteRequest) -> str:
    """Drop optional segments until the text fits; then the hook; then cut at a word."""
    segs = list(segs)
    while True:
        text = assemble(segs, req.platform)
        droppable = [i for i, s in enumerate(segs) if s.drop >= 0]
        if _within(req.platform, req.max_length, text) or not droppable:
            break
        del segs[max(droppable, key=lambda i: (segs[i].drop, i))]
    if not _within(req.platform, req.max_length, text) and len(segs) > 1:
        rest = [s for s in segs if not (s.block == 0 and s.drop == -1)]
        shorter = assemble(rest, req.platform)
        if rest and _within(req.platform, req.max_length, shorter):
            return shorter
    while not _within(req.platform, req.max_length, text) and " " in text.strip():
        text = text.rstrip().rsplit(None, 1)[0].rstrip(" ,:;—-")
    return text
