"""Sign-ins and sign-outs, heard from Django's auth signals (its views do the signing in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from clarion.audit import services
from clarion.audit.context import acting, current_request

DISPATCH = "clarion.audit.signins"


def _record(action: str, request: Any, *, email: str) -> None:
    if request is None:
        services.record(action=action, actor_email=email)
        return
    with acting(request):
        services.record(action=action, actor_email=email)


def signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    _record(services.SIGN_IN, request or current_request(), email=user.get_username())


def signed_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    email = user.get_username() if user is not None else ""
    _record(services.SIGN_OUT, request or current_request(), email=email)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    tried = str((credentials or {}).get("username", ""))
    _record(services.SIGN_IN_FAILED, request or current_request(), email=tried.strip().lower())


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid=f"{DISPATCH}.in")
    user_logged_out.connect(signed_out, dispatch_uid=f"{DISPATCH}.out")
    user_login_failed.connect(sign_in_failed, dispatch_uid=f"{DISPATCH}.failed")
