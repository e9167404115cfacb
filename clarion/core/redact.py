"""Keep secrets out of what Clarion prints, logs and answers.

``redact_url`` hides the password in a URL (``https://user:pass@host/v1`` becomes
``https://user:***@host/v1``; a lone user name, often a token, becomes ``***``) and
the values of secret-looking query parameters. ``redact_text`` does the same to
every URL in free text (an error message, a log line), hides bearer tokens and
any configured secret that appears verbatim. A key is shown as ``set`` or
``not set``, never by value (``is_set``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

MASK = "***"

_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.\-]*://)(?P<userinfo>[^\s/?#@]+)@", re.I)
# A query parameter named like a secret: key, api_key, access_token, client_secret, X-Amz-Signature…
_SECRET_QUERY = re.compile(
    r"(?P<name>[?&;](?:[\w.\-]*[_.\-])?"
    r"(?:api[_\-]?key|key|token|secret|password|passwd|pwd|signature|sig|auth|credential)s?=)"
    r"(?P<value>[^&;#\s]+)",
    re.I,
)
_BEARER = re.compile(r"\b(?P<kind>Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=\-]{8,}", re.I)
_SECRET_SETTINGS = (
    "SECRET_KEY",
    "CLARION_LLM_API_KEY",
    "CLARION_PACKAGE_SECRET",
    "CLARION_ENCRYPTION_KEYS",
)


def _userinfo(match: re.Match[str]) -> str:
    user, has_password, _ = match["userinfo"].partition(":")
    return (
        f"{match['scheme']}{user}:{MASK}@" if has_password and user else f"{match['scheme']}{MASK}@"
    )


def redact_url(url: str) -> str:
    """``url`` without its password (or lone user name) and secret query values."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    if parts.username is None and parts.password is None:
        netloc = parts.netloc
    else:
        host = parts.netloc.rpartition("@")[2]
        user = parts.username if parts.password is not None and parts.username else None
        netloc = f"{user}:{MASK}@{host}" if user else f"{MASK}@{host}"
    query = _SECRET_QUERY.sub(rf"\g<name>{MASK}", "?" + parts.query)[1:] if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _configured_secrets() -> list[str]:
    found: list[str] = []
    for name in _SECRET_SETTINGS:
        value = getattr(settings, name, "")
        found += [v for v in (value if isinstance(value, list | tuple) else [value]) if v]
    return [str(v) for v in found if len(str(v)) >= 8]


def redact_text(text: str) -> str:
    """``text`` with URL credentials, secret query values, bearer tokens and configured secrets hidden."""
    text = _USERINFO.sub(_userinfo, text)
    text = _SECRET_QUERY.sub(rf"\g<name>{MASK}", text)
    text = _BEARER.sub(rf"\g<kind> {MASK}", text)
    for secret in _configured_secrets():
        text = text.replace(secret, MASK)
    return text


def is_set(value: object) -> str:
    """``set`` or ``not set``: how a key or token is shown."""
    return "set" if value else "not set"
