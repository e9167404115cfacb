"""Which characters Clarion accepts in text, in one place.

Text (JSON string values and keys, brief files) may hold tab, line feed and
carriage return but no other C0 control character: NUL cannot be stored by
PostgreSQL, and the rest are invisible, break terminals and exports, and count
as white space in Python but not in JSON-schema patterns. A URL's path and query
may hold no control character at all. Lone surrogates (which JSON's ``\\ud800``
escapes can produce) are not text either: no database can store them.

The API refuses such input before any view runs (``clarion.api.middleware``),
brief files are checked when they are read, and services refuse it through
``clarion.core.inputs``. The patterns below say the same in the OpenAPI
document, so clients (and the fuzz tests) know what is valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# C0 controls other than tab, line feed and carriage return.
_TEXT_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f"
# Every control character: C0, DEL and C1.
_ALL_CONTROLS = r"\x00-\x1f\x7f-\x9f"

_REFUSED_IN_TEXT = re.compile(f"[{_TEXT_CONTROLS}\ud800-\udfff]")
_REFUSED_IN_URL = re.compile(f"[{_ALL_CONTROLS}\ud800-\udfff]")

TEXT_PATTERN = f"^[^{_TEXT_CONTROLS}]*$"
"""Any text without refused control characters (the OpenAPI default for request strings)."""

NONBLANK_PATTERN = f"^[^{_TEXT_CONTROLS}]*[^\\s{_TEXT_CONTROLS}][^{_TEXT_CONTROLS}]*$"
"""Text with something other than white space in it."""

PARAMETER_PATTERN = f"^[^{_ALL_CONTROLS}]*$"
"""Any path or query value without control characters."""

REF_PATTERN = f"^[^{_ALL_CONTROLS}]*[^\\s{_ALL_CONTROLS}][^{_ALL_CONTROLS}]*$"
"""A reference (an id or a slug) as the body, a path or a query may carry it."""

EMAIL_PATTERN = f"^[^\\s@{_ALL_CONTROLS}]+@[^\\s@{_ALL_CONTROLS}]+$"
"""Something shaped like an e-mail address, in a query or a body."""


@dataclass(frozen=True)
class RefusedCharacter:
    """Where a refused character was found: the path to the value and the offset in it."""

    loc: tuple[str | int, ...]
    position: int
    char: str

    @property
    def message(self) -> str:
        code = ord(self.char)
        if 0xD800 <= code <= 0xDFFF:
            what = f"a lone surrogate (U+{code:04X}), which is not text"
        else:
            what = f"a control character (U+{code:04X})"
        return f"must not contain {what}; found at position {self.position}"


def refused_in_text(value: str) -> RefusedCharacter | None:
    """The first character ``value`` may not hold as text, or None."""
    match = _REFUSED_IN_TEXT.search(value)
    return RefusedCharacter((), match.start(), match.group()) if match else None


def refused_in_url(value: str) -> RefusedCharacter | None:
    """The first character a URL path or query value may not hold, or None."""
    match = _REFUSED_IN_URL.search(value)
    return RefusedCharacter((), match.start(), match.group()) if match else None


def _strings(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string and key in ``data`` with its location, depth first (no recursion)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, str):
            yield loc, item
        elif isinstance(item, dict):
            children: list[tuple[tuple[str | int, ...], Any]] = []
            for key, value in item.items():
                key_text = str(key)
                children += [((*loc, key_text), key_text), ((*loc, key_text), value)]
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([((*loc, i), value) for i, value in enumerate(item)]))


def find_refused(data: Any) -> RefusedCharacter | None:
    """The first refused character in any string (or key) of JSON-like ``data``, or None."""
    for loc, text in _strings(data):
        found = refused_in_text(text)
        if found is not None:
            return RefusedCharacter(loc, found.position, found.char)
    return None
