from __future__ import annotations

import pytest

from clarion.accounts.workspaces import default_workspace


@pytest.fixture
def workspace(owner):
    """The owner's workspace (the default one)."""
    return default_workspace()
