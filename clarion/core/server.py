"""`clarion serve`: Clarion's WSGI application under gunicorn."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class ClarionServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # In each worker (no preloading): every process opens its own connections.
        from clarion.wsgi import application

        return application


def run_gunicorn(*, bind: str, workers: int, threads: int) -> None:
    ClarionServer(
        {
            "bind": bind,
            "workers": workers,
            # Threads: a request that writes with a model waits on it for seconds or minutes,
            # and a thread worker keeps answering its heartbeat meanwhile.
            "worker_class": "gthread",
            "threads": threads,
            "errorlog": "-",
            "proc_name": "clarion",
            "graceful_timeout": 30,
            "control_socket_disable": True,
        }
    ).run()
