"""Typed helpers that read Clarion's configuration from environment variables.

Every setting Clarion has is an environment variable read through one of these
helpers, so that defaults live in one place and bad values fail loudly with the
variable's name. A ``<NAME>_FILE`` variable, when set, is read instead of
``<NAME>`` for secrets (the Docker/Kubernetes convention).
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

import platformdirs


class ConfigError(ValueError):
    """A configuration variable holds a value Clarion cannot use."""


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {file_name}: {exc.strerror}") from exc
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {number}")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {number}")
    return number


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def data_dir() -> Path:
    """The directory that holds the embedded database and generated files."""
    configured = env_str("CLARION_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(platformdirs.user_data_dir("clarion", appauthor=False))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) when missing; the directory Clarion creates is 0700.

    A directory that exists already keeps its permissions: it was chosen by a person.
    """
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask
    return path


def env_rates(name: str) -> dict[str, int]:
    """Per-provider numbers: ``"500"`` (``{"*": 500}``) or ``"openai=500,anthropic=50"``."""
    value = (_raw(name) or "").strip()
    if not value:
        return {}
    rates: dict[str, int] = {}
    for part in value.split(","):
        key, sep, number = part.strip().rpartition("=")
        key = key.strip() if sep else "*"
        try:
            rate = int(number)
        except ValueError as exc:
            raise ConfigError(
                f"{name} must be a number or provider=number pairs, got {value!r}"
            ) from exc
        if rate < 0 or (sep and not key):
            raise ConfigError(f"{name} must be a number or provider=number pairs, got {value!r}")
        rates[key] = rate
    return rates


def env_prices(name: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Dollars per million tokens by model: ``"openai:gpt-4o=2.5/10,ollama=0/0"``."""
    value = (_raw(name) or "").strip()
    if not value:
        return {}
    prices: dict[str, tuple[Decimal, Decimal]] = {}
    for part in value.split(","):
        spec, sep, pair = part.strip().rpartition("=")
        given, slash, taken = pair.partition("/")
        try:
            price = (Decimal(given.strip()), Decimal(taken.strip()))
        except InvalidOperation:
            price = None
        if (
            not sep
            or not slash
            or not spec.strip()
            or price is None
            or not all(p.is_finite() and p >= 0 for p in price)
        ):
            raise ConfigError(
                f"{name} must be model=input/output pairs in dollars per million tokens "
                f"(such as openai:gpt-4o=2.5/10), got {value!r}"
            )
        prices[spec.strip()] = price
    return prices


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (``10.0.0.0/8``), each checked."""
    import ipaddress

    entries = [p.strip() for p in (_raw(name) or "").split(",") if p.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name} must list IP addresses or networks (10.0.0.0/8), got {entry!r}"
            ) from None
    return entries
