"""Who am I, and my API tokens (``/api/me``, ``/api/tokens``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from clarion.accounts import services
from clarion.accounts.auth import token_of
from clarion.accounts.models import ApiToken
from clarion.accounts.schemas import MeOut, NewTokenOut, TokenIn, TokenOut
from clarion.api.schemas import INVALID, NOT_FOUND

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def show_me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return {"email": user.email, "role": services.role_of(user), "api_token": token_of(request)}


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return services.list_tokens(user=request.auth)  # type: ignore[attr-defined]


@router.post("/tokens", response={201: NewTokenOut, **INVALID})
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    days = payload.expires_in_days
    token, raw = services.create_token(
        user=request.auth,  # type: ignore[attr-defined]
        name=payload.name,
        expires_in=timedelta(days=days) if days else None,
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **NOT_FOUND})
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = services.get_token(str(token_id), user=request.auth)  # type: ignore[attr-defined]
    return services.revoke_token(token=token)
