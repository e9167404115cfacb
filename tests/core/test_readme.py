"""The README says what the code does: the quickstart and the layout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def _first_block(section: str) -> list[str]:
    match = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert match
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_the_quickstart_is_two_commands_in_a_virtual_environment():
    install, test = _first_block(_section("Quickstart"))

    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert install.endswith("pip install . && clarion demo")
    assert test == "python3 -m pip install -e '.[test]' && python3 -m pytest"


def test_the_layout_lists_every_package_and_top_level_directory_and_nothing_else():
    listed = {
        m.group(1)
        for line in _first_block(_section("Layout"))
        if (m := re.match(r"\s*(\w+)/", line))
    }
    packages = {
        p.name
        for p in (ROOT / "clarion").iterdir()
        if p.is_dir() and ((p / "__init__.py").exists() or p.name == "examples")
    }
    top = {"clarion", "bench", "examples", "tests"}

    assert packages | top == listed
    assert all((ROOT / name).is_dir() or (ROOT / "clarion" / name).is_dir() for name in listed)
