"""HMAC-SHA256 signatures on content packages: channel agents take orders only from the orchestrator."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings


class PackageRefused(PermissionError):
    """A package without a valid signature: unsigned, tampered with, or signed by another key."""


def _secret() -> bytes:
    configured: str = settings.CLARION_PACKAGE_SECRET
    if configured:
        return configured.encode()
    # Derived, so a fresh install signs with a key nobody configured nor can guess.
    return hmac.new(
        settings.SECRET_KEY.encode(), b"clarion.publishing.package", hashlib.sha256
    ).digest()


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no white space, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(payload: dict[str, Any]) -> str:
    return hmac.new(_secret(), canonical(payload), hashlib.sha256).hexdigest()


def verify(payload: dict[str, Any], signature: str) -> None:
    """Raise PackageRefused unless ``signature`` signs exactly ``payload``."""
    if not signature:
        raise PackageRefused("the package is not signed")
    if not hmac.compare_digest(sign(payload), signature):
        raise PackageRefused("the package signature does not match its content")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()
