"""Account actions: people, their roles, the first owner's setup link, and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from clarion.accounts.models import ApiToken, Membership, Role, Workspace
from clarion.accounts.workspaces import default_workspace
from clarion.audit import services as audit
from clarion.core.errors import Conflict, InvalidInput, NotFound

TOKEN_PREFIX = "clarion_"
TOKEN_PATTERN = re.compile(r"clarion_[A-Za-z0-9_-]{43}")
# The start of a token that lists show: the fixed prefix and 8 random characters.
SHOWN_LENGTH = len(TOKEN_PREFIX) + 8
# A token's last use is written at most this often: reading the API stays read-only.
LAST_USED_PRECISION = timedelta(seconds=60)
_SETUP_SALT = "clarion.accounts.setup"


def _users() -> type[User]:
    return get_user_model()


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("email", f"{email!r} is not an e-mail address") from None
    return email


def check_password(password: str, *, email: str) -> None:
    """Django's password validators; their messages, joined, name the field."""
    user = _users()(username=email, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("password", " ".join(exc.messages)) from None


def has_users() -> bool:
    return _users().objects.exists()


def role_of(user: User, workspace: Workspace) -> str | None:
    membership = Membership.objects.filter(user=user, workspace=workspace).first()
    return membership.role if membership is not None else None


def _lock_users() -> None:
    """Serialize the creation of users, so two first owners cannot both see an empty table.

    SQLite transactions take the write lock when they begin (``transaction_mode``); on
    PostgreSQL the user table is locked against other writers until the commit.
    """
    if connection.vendor == "postgresql":
        table = _users()._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')


def create_user(
    *,
    email: str,
    password: str,
    role: str | None = None,
    workspace: Workspace | None = None,
    first_owner: bool = False,
) -> User:
    """Create a person who signs in with ``email`` and ``password``, a member of
    ``workspace`` (default: the default workspace).

    The role defaults to owner for the first person and editor after that; the first
    owner may use the Django admin too. ``first_owner=True`` refuses when anyone
    exists already.
    """
    email = normalize_email(email)
    if role is not None and role not in Role.values:
        raise InvalidInput("role", f"must be one of {', '.join(Role.values)}, got {role!r}")
    check_password(password, email=email)
    users = _users()
    with transaction.atomic():
        _lock_users()
        first = not users.objects.exists()
        if first_owner and not first:
            raise Conflict("Clarion has an owner already: sign in instead")
        if users.objects.filter(username=email).exists():
            raise Conflict(f"a user {email} exists already")
        role = role or (Role.OWNER if first else Role.EDITOR)
        # The Django admin sees every workspace: only the installation's first owner.
        admin = first and role == Role.OWNER
        user = users.objects.create_user(
            username=email, email=email, password=password, is_staff=admin, is_superuser=admin
        )
        Membership.objects.create(user=user, workspace=workspace or default_workspace(), role=role)
    return user


def get_user(email: str) -> User:
    user = _users().objects.filter(username=email.strip().lower()).first()
    if user is None:
        raise NotFound(f"no user {email.strip()}")
    return user


# --- The setup link for the first owner ---


def make_setup_token() -> str:
    """A signed token (valid ``CLARION_SETUP_LINK_HOURS``) for /setup/<token>/."""
    return signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=_SETUP_SALT, compress=True)


def check_setup_token(token: str) -> None:
    """Raise InvalidInput when the token is not ours or has expired, Conflict when an owner
    exists already (a link works until the first owner is made with it)."""
    max_age = timedelta(hours=settings.CLARION_SETUP_LINK_HOURS)
    try:
        signing.loads(token, salt=_SETUP_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidInput("token", "this setup link has expired") from None
    except signing.BadSignature:
        raise InvalidInput("token", "this is not a valid setup link") from None
    if has_users():
        raise Conflict("Clarion has an owner already: sign in instead")


# --- API tokens ---


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def create_token(
    *,
    user: User,
    name: str,
    workspace: Workspace | None = None,
    expires_in: timedelta | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` acting in ``workspace`` (default: their first); return it
    with its text, which is shown only this once."""
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    if len(name) > 100:
        raise InvalidInput("name", "must be at most 100 characters")
    if expires_in is not None and expires_in <= timedelta(0):
        raise InvalidInput("expires_in_days", "must be positive")
    memberships = Membership.objects.filter(user=user)
    if workspace is not None:
        memberships = memberships.filter(workspace=workspace)
    membership = memberships.order_by("created_at", "pk").first()
    if membership is None:
        where = f"of {workspace.name}" if workspace is not None else "of any workspace"
        raise InvalidInput("workspace", f"{user.email} is not a member {where}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + expires_in if expires_in is not None else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            workspace_id=membership.workspace_id,
            name=name,
            prefix=raw[:SHOWN_LENGTH],
            key_hash=_digest(raw),
            expires_at=expires_at,
        )
        audit.record(
            action=audit.TOKEN_CREATE,
            target=token,
            workspace=token.workspace_id,
            details={
                "user": user.email,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, raw


def user_for_token(raw: str) -> ApiToken | None:
    """The active token ``raw`` is (with its user), or None; records when it was used."""
    if not TOKEN_PATTERN.fullmatch(raw):
        return None
    token = (
        ApiToken.objects.select_related("user", "workspace")
        .filter(key_hash=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def list_tokens(*, user: User | None = None, workspace: Workspace | None = None) -> list[ApiToken]:
    tokens = ApiToken.objects.select_related("user", "workspace")
    if user is not None:
        tokens = tokens.filter(user=user)
    if workspace is not None:
        tokens = tokens.filter(workspace=workspace)
    return list(tokens)


def get_token(ref: str, *, user: User | None = None) -> ApiToken:
    """A token by its id or the start of its text (as lists show it)."""
    tokens = ApiToken.objects.select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    ref = ref.strip().rstrip("…")
    if ref.isdigit():
        found = tokens.filter(pk=int(ref)).first()
    elif ref.startswith(TOKEN_PREFIX) and len(ref) >= SHOWN_LENGTH:
        found = tokens.filter(prefix=ref[:SHOWN_LENGTH]).first()
    else:
        found = None
    if found is None:
        raise NotFound(f"no API token {ref}")
    return found


def revoke_token(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (again is harmless); it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with transaction.atomic():
            revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
                revoked_at=token.revoked_at
            )
            if revoked:
                audit.record(
                    action=audit.TOKEN_REVOKE,
                    target=token,
                    workspace=token.workspace_id,
                    details={"user": token.user.email},
                )
    return token
