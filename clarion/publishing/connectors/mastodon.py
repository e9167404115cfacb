"""A Mastodon connector (httpx): create with an Idempotency-Key, reconcile by searching the
account's posts since the first send."""

from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from django.conf import settings

from clarion.core.secrets import SecretUnreadable
from clarion.publishing.connectors.base import OutgoingPost, Posted, PublishError, same_text
from clarion.publishing.models import ChannelAccount

# Statuses made a little before the first send are searched too (clocks differ).
SEARCH_MARGIN = timedelta(minutes=5)
MAX_PAGES = 100

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
        try:
            token = account.token
        except SecretUnreadable as exc:
            raise PublishError("permanent", f"account {account.pk}: {exc}") from exc
        if not token:
            raise PublishError(
                "permanent",
                f"account {account.pk} has no access token: set one in the admin (Channel accounts)",
            )
        self.headers = {"Authorization": f"Bearer {token}"}
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

    def find_existing(self, post: OutgoingPost, *, since: datetime | None) -> Posted | None:
        """Search the account's statuses back to ``since`` (the first send) for the text.

        Mastodon keeps an Idempotency-Key for an hour but cannot be asked about it, so
        the statuses are paged through (newest first, ``max_id``) until one older than
        ``since`` (less a margin for clocks) appears; the text is compared as Mastodon
        renders it back (``same_text``: line endings, blank lines, links).
        """
        try:
            me = self.client.get(
                "/api/v1/accounts/verify_credentials", headers=self.headers, timeout=self.timeout
            )
            if me.status_code != 200:
                raise self._classify(me, "reconcile")
            account_id = me.json()["id"]
            oldest = since - SEARCH_MARGIN if since is not None else None
            params: dict[str, Any] = {"limit": 40, "exclude_reblogs": "true"}
            for _ in range(MAX_PAGES):
                response = self.client.get(
                    f"/api/v1/accounts/{account_id}/statuses",
                    params=params,
                    headers=self.headers,
                    timeout=self.timeout,
                )
                if response.status_code != 200:
                    raise self._classify(response, "reconcile")
                page = response.json()
                for status in page:
                    if same_text(post.text, status_text(str(status.get("content", "")))):
                        return Posted(remote_id=str(status["id"]), url=str(status.get("url", "")))
                if not page or oldest is None or _created(page[-1]) < oldest:
                    return None
                params = {**params, "max_id": str(page[-1]["id"])}
        except httpx.TransportError as exc:
            raise PublishError("retryable", f"reconcile: {type(exc).__name__}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise PublishError("retryable", f"reconcile: unexpected answer ({exc})") from exc
        raise PublishError(
            "retryable", f"reconcile: more than {MAX_PAGES * 40} posts since the first send"
        )


def _created(status: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(status["created_at"]).replace("Z", "+00:00"))
