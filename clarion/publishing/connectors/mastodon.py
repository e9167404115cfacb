"""A Mastodon connector (httpx): create with an Idempotency-Key, reconcile by listing recent posts."""

from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings

from clarion.publishing.connectors.base import OutgoingPost, Posted, PublishError
from clarion.publishing.models import ChannelAccount
from clarion.publishing.signing import content_hash

_clients: dict[str, httpx.Client] = {}
_clients_lock = threading.Lock()


def _client(base_url: str) -> httpx.Client:
    """One pooled client per instance, shared by every thread of the process."""
    with _clients_lock:
        client = _clients.get(base_url)
        if client is None:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
            client = httpx.Client(base_url=base_url, limits=limits)
            _clients[base_url] = client
        return client


def _retry_after(response: httpx.Response) -> float | None:
    reset = response.headers.get("X-RateLimit-Reset")
    if not reset:
        return None
    try:
        when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_text(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return response.text[:200]


def status_text(content: str) -> str:
    """The plain text of a Status's HTML content."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


class MastodonConnector:
    def __init__(self, account: ChannelAccount) -> None:
        if not account.base_url:
            raise PublishError("permanent", f"account {account.pk} has no base_url")
        self.account = account
        self.client = _client(account.base_url.rstrip("/"))
        self.headers = {"Authorization": f"Bearer {account.settings.get('token', '')}"}
        self.timeout = httpx.Timeout(settings.CLARION_PUBLISH_TIMEOUT)

    def _classify(self, response: httpx.Response, doing: str) -> PublishError:
        status = response.status_code
        message = f"{doing}: HTTP {status} {_error_text(response)}"
        if status == 429:
            return PublishError("retryable", message, retry_after=_retry_after(response))
        if status >= 500:
            return PublishError("unknown_outcome", message)  # a 5xx may have committed
        return PublishError("permanent", message)

    def publish(self, post: OutgoingPost) -> Posted:
        headers = {**self.headers, "Idempotency-Key": post.idempotency_key}
        try:
            response = self.client.post(
                "/api/v1/statuses",
                data={"status": post.text, "visibility": "public"},
                headers=headers,
                timeout=self.timeout,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise PublishError("retryable", f"publish: cannot connect: {exc}") from exc
        except httpx.TransportError as exc:  # sent, and no answer came back
            raise PublishError(
                "unknown_outcome", f"publish: no answer ({type(exc).__name__})"
            ) from exc
        if response.status_code != 200:
            raise self._classify(response, "publish")
        body = response.json()
        return Posted(remote_id=str(body["id"]), url=str(body.get("url", "")))

    def find_existing(self, post: OutgoingPost) -> Posted | None:
        try:
            me = self.client.get(
                "/api/v1/accounts/verify_credentials", headers=self.headers, timeout=self.timeout
            )
            if me.status_code != 200:
                raise self._classify(me, "reconcile")
            response = self.client.get(
                f"/api/v1/accounts/{me.json()['id']}/statuses",
                params={"limit": 40, "exclude_reblogs": "true"},
                headers=self.headers,
                timeout=self.timeout,
            )
        except httpx.TransportError as exc:
            raise PublishError("retryable", f"reconcile: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise self._classify(response, "reconcile")
        for status in response.json():
            if content_hash(status_text(str(status.get("content", "")))) == post.content_hash:
                return Posted(remote_id=str(status["id"]), url=str(status.get("url", "")))
        return None
