"""The lifecycle shared by Clarion's fake servers: a threaded HTTP server on loopback.

A subclass builds its ``ThreadingHTTPServer`` (bound to ``127.0.0.1``, port 0 so the
OS picks one) in ``_make_server``; ``LoopbackServer`` serves it from a daemon thread
between ``start()`` and ``stop()`` (or a ``with`` block) and reports ``port`` and
``base_url``.
"""

from __future__ import annotations

import abc
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Generic, Self, TypeVar

__all__ = ["LoopbackServer"]

ServerT = TypeVar("ServerT", bound=ThreadingHTTPServer)


class LoopbackServer(abc.ABC, Generic[ServerT]):
    """Start, stop and address a threaded HTTP server on ``127.0.0.1``."""

    def __init__(self) -> None:
        self._httpd: ServerT | None = None
        self._thread: threading.Thread | None = None

    @abc.abstractmethod
    def _make_server(self) -> ServerT:
        """A new server bound to ``127.0.0.1`` (not yet serving)."""

    def _after_shutdown(self, httpd: ServerT) -> None:
        """Called in ``stop()`` once the serve loop has ended, before the socket closes."""

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        httpd = self._make_server()
        thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{httpd.server_address[1]}",
            daemon=True,
        )
        thread.start()
        self._httpd, self._thread = httpd, thread
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        self._after_shutdown(httpd)
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
