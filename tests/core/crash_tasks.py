"""A task for the crash tests: it kills the worker that runs it, every time."""

from __future__ import annotations

import os
import signal

from django_tasks import task


@task()
def kill_the_worker() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
