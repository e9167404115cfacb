"""Text rules shared by every input schema, expressed as JSON-schema patterns.

NUL characters are refused everywhere (PostgreSQL cannot store them); required
text must contain something other than white space.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

TEXT_PATTERN = r"^[^\x00]*$"
NONBLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"

ListItem = Annotated[str, Field(pattern=TEXT_PATTERN, max_length=300)]
