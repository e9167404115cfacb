from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of one ``clarion worker`` process."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    tasks_run = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the worker stopped cleanly."
    )

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
