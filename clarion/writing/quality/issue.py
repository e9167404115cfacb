"""One thing wrong with a draft: a stable code, what is wrong, and the fix the writer gets."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    code: str  # stable and machine-readable: "leaked_label", "boilerplate", …
    message: str  # what is wrong, quoting the text
    fix: str  # "<fix code>: what to do", as the writer receives it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_INNER = str.maketrans({"“": "'", "”": "'", "«": "'", "»": "'", '"': "'"})


def quoted(text: str, limit: int = 80) -> str:
    """``text`` between curly quotes (its own double quotes made single, so it parses back)."""
    text = " ".join(text.translate(_INNER).split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"
