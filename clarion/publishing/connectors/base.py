"""What every channel connector offers, and how its errors are classified."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

ErrorKind = Literal["retryable", "permanent", "unknown_outcome"]


class PublishError(Exception):
    """A publish or lookup that failed; ``kind`` says what may be done next.

    - ``retryable``: nothing was posted (or the network says to come back later).
    - ``permanent``: retrying cannot help (validation, revoked access, configuration).
    - ``unknown_outcome``: the request left and no answer came back: the post may exist.
    """

    def __init__(self, kind: ErrorKind, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class OutgoingPost:
    """One post, as a connector sends it."""

    idempotency_key: str
    content_hash: str
    text: str
    network: str
    date: date
    slot: int
    brand_slug: str


@dataclass(frozen=True)
class Posted:
    """Where the network keeps a post."""

    remote_id: str
    url: str = ""


class Connector(Protocol):
    def publish(self, post: OutgoingPost) -> Posted:
        """Post once; raise PublishError."""
        ...

    def find_existing(self, post: OutgoingPost, *, since: datetime | None) -> Posted | None:
        """The post if the network has it; raise PublishError.

        Look it up by the network's idempotency key or a record key chosen by us
        where the network keeps one; otherwise search the account's posts made
        since ``since`` (the first send; search back at least that far) and match
        ``same_text``.
        """
        ...


# A link as networks rewrite it (t.co, shortened display text): compared as a placeholder,
# trailing punctuation kept outside it.
_LINK = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)\]\"']*(?:\s|$))", re.IGNORECASE)


def normalised(text: str) -> str:
    """A post's text as any network keeps it: NFC, one space for any run of white space
    (line endings and blank lines included), every link as one placeholder."""
    text = unicodedata.normalize("NFC", text)
    text = _LINK.sub("\u2060link\u2060", text)
    return " ".join(text.split())


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(normalised(text).encode()).hexdigest()


def same_text(sent: str, found: str) -> bool:
    """Whether ``found`` (as the network shows it) is the post ``sent``."""
    return normalised(sent) == normalised(found)
