"""Who is acting, and from where: set once per interface, read by ``audit.record``.

Each interface says who acts in one place: ``AuditContext`` (the middleware) for
web and API requests, the ``clarion`` command's callback for the terminal,
``clarion worker`` for background work. Services never take a "who" argument for
the log; they call ``clarion.audit.services.record`` and it reads the actor here.

The client's address is ``REMOTE_ADDR``; ``X-Forwarded-For`` is believed only when
the peer is one of ``CLARION_TRUSTED_PROXIES`` (django-axes uses the same rule).
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

WEB, API_TOKEN, CLI, WORKER, OTHER = "web", "api_token", "cli", "worker", "other"


@dataclass(frozen=True)
class Actor:
    via: str
    email: str = ""
    token_prefix: str = ""
    ip: str | None = None


# A request is kept as it is and read when something is recorded: the person behind a
# session is looked up only then (and a sign-in changes who it is mid-request).
_current: ContextVar[Actor | HttpRequest | None] = ContextVar("clarion_actor", default=None)


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    trusted: list[str] = list(getattr(settings, "CLARION_TRUSTED_PROXIES", []))
    return [ipaddress.ip_network(entry, strict=False) for entry in trusted]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or (behind a trusted proxy) the nearest untrusted
    address in ``X-Forwarded-For``, read from the right."""
    peer = _address(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return None
    trusted = _networks()

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in trusted)

    if not trusted or not is_trusted(peer):
        return str(peer)
    chain = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    for hop in reversed(chain):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: stop believing the header here
        if not is_trusted(address):
            return str(address)
    return str(peer)


def actor_of_request(request: HttpRequest) -> Actor:
    token = getattr(request, "api_token", None)
    user = getattr(request, "user", None)
    email = ""
    if user is not None and user.is_authenticated:
        email = str(user.get_username())
    if token is not None:
        return Actor(API_TOKEN, email, str(token.prefix), client_ip(request))
    return Actor(WEB, email, "", client_ip(request))


def current_actor() -> Actor:
    """Who is acting now (``other`` when no interface said)."""
    found = _current.get()
    if found is None:
        return Actor(OTHER)
    if isinstance(found, Actor):
        return found
    return actor_of_request(found)


def current_request() -> HttpRequest | None:
    found = _current.get()
    return found if isinstance(found, HttpRequest) else None


@contextmanager
def acting(actor: Actor | HttpRequest) -> Iterator[None]:
    """Everything recorded inside is done by ``actor``."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def terminal_actor() -> Actor:
    """The person at the terminal: the operating system's user name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    return Actor(CLI, name[:254])


def worker_actor() -> Actor:
    return Actor(WORKER, "worker")


class AuditContext:
    """Middleware (after ``SignInRequired``): the request is the actor while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request):
            response: HttpResponse = self.get_response(request)
        return response
