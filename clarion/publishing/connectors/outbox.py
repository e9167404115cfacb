"""The outbox channel: each post becomes a row and a JSON file under CLARION_HOME/outbox/<date>/."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from clarion.publishing.connectors.base import OutgoingPost, Posted, PublishError
from clarion.publishing.models import ChannelAccount, OutboxPost


def outbox_dir() -> Path:
    return Path(settings.CLARION_HOME) / "outbox"


class OutboxConnector:
    """Publishes to the local outbox; the idempotency key makes a repeat a no-op."""

    def __init__(self, account: ChannelAccount) -> None:
        self.account = account

    def _path(self, post: OutgoingPost) -> Path:
        name = f"{post.brand_slug}-{post.network.lower()}-{post.slot}.json"
        return outbox_dir() / post.date.isoformat() / name

    def publish(self, post: OutgoingPost) -> Posted:
        path = self._path(post)
        document = {
            "idempotency_key": post.idempotency_key,
            "content_hash": post.content_hash,
            "brand": post.brand_slug,
            "network": post.network,
            "date": post.date.isoformat(),
            "slot": post.slot,
            "text": post.text,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False), "utf-8")
            temporary.replace(path)  # atomic: a reader never sees half a file
        except OSError as exc:
            raise PublishError("retryable", f"cannot write {path}: {exc.strerror}") from exc
        # One INSERT; a key stored already (a repeat, another process) is left as it is.
        table = connection.ops.quote_name(OutboxPost._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (account_id, idempotency_key, content_hash, text, path, "
                f"created_at) VALUES (%s, %s, %s, %s, %s, %s) "
                f"ON CONFLICT (idempotency_key) DO NOTHING",
                [
                    self.account.pk,
                    post.idempotency_key,
                    post.content_hash,
                    post.text,
                    str(path),
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
        return Posted(remote_id=f"outbox:{post.idempotency_key}", url=path.as_uri())

    def find_existing(self, post: OutgoingPost, *, since: datetime | None) -> Posted | None:
        """The outbox keeps every idempotency key: a lookup by key is exact."""
        row = OutboxPost.objects.filter(idempotency_key=post.idempotency_key).first()
        if row is None:
            return None
        return Posted(remote_id=f"outbox:{row.idempotency_key}", url=Path(row.path).as_uri())
