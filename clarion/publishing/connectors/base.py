"""What every channel connector offers, and how its errors are classified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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

    def find_existing(self, post: OutgoingPost) -> Posted | None:
        """The post if the network has it (by idempotency key or content); raise PublishError."""
        ...
