"""Channel connectors: one small class per kind of channel (see ``base.Connector``).

Adding a network:
1. a module here with a class taking the ChannelAccount, offering ``publish(post)``
   and ``find_existing(post)`` (by the network's idempotency key, a client-chosen
   record key, or by listing recent posts and matching ``post.content_hash``);
2. every failure raised as ``PublishError`` with its kind: ``retryable`` (nothing was
   posted, or come back later; set ``retry_after``), ``permanent``, or
   ``unknown_outcome`` (the request left and no answer came back, 5xx included);
3. a ``ChannelKind`` value and a branch in ``connector_for``;
4. a loopback fake server in ``clarion/testing/`` speaking the network's protocol
   (see ``fake_network.py``), and tests of each error kind against it.
"""

from __future__ import annotations

from clarion.publishing.connectors.base import (
    Connector,
    ErrorKind,
    OutgoingPost,
    Posted,
    PublishError,
)
from clarion.publishing.models import ChannelAccount, ChannelKind

__all__ = ["Connector", "ErrorKind", "OutgoingPost", "Posted", "PublishError", "connector_for"]


def connector_for(account: ChannelAccount) -> Connector:
    """The connector that publishes to ``account``."""
    if account.kind == ChannelKind.MASTODON:
        from clarion.publishing.connectors.mastodon import MastodonConnector

        return MastodonConnector(account)
    from clarion.publishing.connectors.outbox import OutboxConnector

    return OutboxConnector(account)
