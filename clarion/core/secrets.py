"""Secrets at rest (channel tokens and the like): Fernet encryption with key rotation.

Keys come from ``CLARION_ENCRYPTION_KEYS`` (or ``CLARION_ENCRYPTION_KEYS_FILE``):
comma-separated Fernet keys, the first one encrypts, every one decrypts. With
none set, a key derived from the secret key is used, so a fresh install works.
The derived key always stays a decryption key of last resort: secrets written
before keys were configured stay readable until ``clarion secrets rotate``
re-encrypts every stored secret under the first key.

A model column holding ciphertext is a ``SecretField``; ``rotate_stored_secrets``
finds every such column, so a new one needs nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from clarion.conf import ConfigError

HOW_TO_MAKE_A_KEY = (
    "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class SecretKeyError(ConfigError):
    """CLARION_ENCRYPTION_KEYS holds something that is not a Fernet key."""


class SecretUnreadable(ValueError):
    """A stored secret that none of the keys opens (a key was removed too early, or it was altered)."""


class SecretField(models.TextField):
    """A column holding Fernet ciphertext (never the secret itself)."""


def derived_key() -> bytes:
    """The Fernet key derived from the secret key (nobody configures it, nobody can guess it)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"clarion.core.secrets", hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest)


def key_problems(keys: list[str]) -> list[str]:
    """What is wrong with each configured key, by position (never quoting the key)."""
    problems = []
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            problems.append(
                f"key {number} of {len(keys)} in CLARION_ENCRYPTION_KEYS is not a Fernet key "
                "(32 bytes in url-safe base64, 44 characters)"
            )
    return problems


def _fernet() -> MultiFernet:
    configured: list[str] = list(settings.CLARION_ENCRYPTION_KEYS)
    problems = key_problems(configured)
    if problems:
        raise SecretKeyError("; ".join(problems) + f". Make a key with: {HOW_TO_MAKE_A_KEY}")
    keys = [Fernet(k.encode()) for k in configured]
    return MultiFernet([*keys, Fernet(derived_key())])


def encrypt(secret: str) -> str:
    """``secret`` encrypted under the first key."""
    return _fernet().encrypt(secret.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    """The secret in ``ciphertext``; SecretUnreadable when no key opens it."""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted with CLARION_ENCRYPTION_KEYS: keep the key it "
            "was written with in the list until `clarion secrets rotate` has run"
        ) from exc


def rotate(ciphertext: str) -> str:
    """``ciphertext`` re-encrypted under the first key; SecretUnreadable when no key opens it."""
    try:
        return _fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable("a stored secret cannot be decrypted") from exc


@dataclass
class Rotation:
    rotated: int = 0
    unreadable: list[str] = field(default_factory=list)


def rotate_stored_secrets() -> Rotation:
    """Re-encrypt every ``SecretField`` value in the database under the first key.

    A value that changed meanwhile is left as it is (it was just written under the
    first key); one no key opens is listed, not changed.
    """
    _fernet()  # malformed keys fail here, before anything is read
    report = Rotation()
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, SecretField)]
        for column in columns:
            rows = model._default_manager.exclude(**{column: ""}).values_list("pk", column)
            for pk, ciphertext in rows.iterator():
                try:
                    fresh = rotate(ciphertext)
                except SecretUnreadable:
                    report.unreadable.append(f"{model._meta.label} {pk} ({column})")
                    continue
                with transaction.atomic():
                    report.rotated += model._default_manager.filter(
                        pk=pk, **{column: ciphertext}
                    ).update(**{column: fresh})
    return report
