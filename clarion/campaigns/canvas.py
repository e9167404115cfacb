"""The campaign canvas laid out for server-rendered SVG: phases as columns, posts as cards.

Rows are ordered by the barycentre heuristic (each post placed near the mean row of
the posts it links to in the neighbouring column, swept forwards then backwards a
few times), which keeps branches and merges readable without a layout engine.
Links are cubic Bézier curves from the right edge of a card to the left edge of the
next. Pure Python over ``graph_json``'s output: no queries.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

CARD_WIDTH, CARD_HEIGHT = 196, 104
COLUMN_GAP, ROW_GAP = 52, 14
PADDING, HEADER = 12, 44
TITLE_CHARS, TITLE_LINES = 23, 2
SWEEPS = 4


@dataclass
class Card:
    pk: int
    post_id: str
    phase: int
    title_lines: list[str]
    status: str
    status_label: str
    variants: int
    approved: int
    selected: str
    x: float = 0.0
    y: float = 0.0
    diff: str = ""  # "added", "removed" or "changed" when versions are compared

    @property
    def centre_y(self) -> float:
        return self.y + CARD_HEIGHT / 2


@dataclass
class Column:
    number: int
    name: str
    x: float
    cards: list[Card] = field(default_factory=list)

    @property
    def label_x(self) -> float:
        return self.x + CARD_WIDTH / 2


@dataclass
class Curve:
    source: str
    target: str
    path: str
    diff: str = ""


@dataclass
class Canvas:
    columns: list[Column]
    curves: list[Curve]
    width: float
    height: float
    card_width: int = CARD_WIDTH
    card_height: int = CARD_HEIGHT

    @property
    def cards(self) -> list[Card]:
        return [card for column in self.columns for card in column.cards]


STATUS_LABELS = {
    "draft": "waiting for content",
    "ready": "content ready",
    "approved": "approved",
    "scheduled": "scheduled",
    "published": "published",
    "failed": "failed",
}


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = lines[-1][: TITLE_CHARS - 1].rstrip() + "…"
    return lines


def _order(
    columns: list[list[Card]], parents: dict[str, list[str]], children: dict[str, list[str]]
) -> None:
    """Reorder each column's cards in place by the barycentre of their neighbours' rows."""

    def sweep(indices: range, neighbours: dict[str, list[str]], step: int) -> None:
        for index in indices:
            rows = {card.post_id: row for row, card in enumerate(columns[index - step])}
            keys: dict[str, tuple[float, int]] = {}
            for row, card in enumerate(columns[index]):
                linked = [rows[n] for n in neighbours[card.post_id] if n in rows]
                keys[card.post_id] = (sum(linked) / len(linked) if linked else float(row), row)
            columns[index].sort(key=lambda card: keys[card.post_id])

    for _ in range(SWEEPS):
        sweep(range(1, len(columns)), parents, 1)
        sweep(range(len(columns) - 2, -1, -1), children, -1)


def layout(graph: dict[str, Any], *, diff: dict[str, str] | None = None) -> Canvas:
    """Place ``graph`` (``services.graph_json``'s shape); ``diff`` maps post ids to a class."""
    marks = diff or {}
    by_phase: dict[int, list[Card]] = defaultdict(list)
    for node in graph["nodes"]:
        by_phase[node["phase"]].append(
            Card(
                pk=node["pk"],
                post_id=node["id"],
                phase=node["phase"],
                title_lines=_title_lines(node["title"]),
                status=node["status"],
                status_label=STATUS_LABELS.get(node["status"], node["status"]),
                variants=node["variants"]["count"],
                approved=node["variants"]["approved"],
                selected=node["selected_variant"],
                diff=marks.get(node["id"], ""),
            )
        )
    names = {phase["number"]: phase["name"] for phase in graph["phases"]}
    numbers = sorted(by_phase)
    stacks = [by_phase[n] for n in numbers]
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for edge in graph["edges"]:
        parents[edge["target"]].append(edge["source"])
        children[edge["source"]].append(edge["target"])
    _order(stacks, parents, children)

    tallest = max((len(stack) for stack in stacks), default=0)
    full = tallest * (CARD_HEIGHT + ROW_GAP) - ROW_GAP
    columns = []
    for index, (number, stack) in enumerate(zip(numbers, stacks, strict=True)):
        x = PADDING + index * (CARD_WIDTH + COLUMN_GAP)
        height = len(stack) * (CARD_HEIGHT + ROW_GAP) - ROW_GAP
        top = HEADER + (full - height) / 2
        for row, card in enumerate(stack):
            card.x, card.y = x, top + row * (CARD_HEIGHT + ROW_GAP)
        columns.append(Column(number, names.get(number, "") or f"Phase {number}", x, stack))

    placed = {card.post_id: card for stack in stacks for card in stack}
    curves = []
    for edge in graph["edges"]:
        source, target = placed.get(edge["source"]), placed.get(edge["target"])
        if source is None or target is None:
            continue
        x1, y1 = source.x + CARD_WIDTH, source.centre_y
        x2, y2 = target.x, target.centre_y
        bend = max((x2 - x1) / 2, COLUMN_GAP / 2)
        path = (
            f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} "
            f"{x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        )
        mark = "added" if target.diff == "added" or source.diff == "added" else ""
        curves.append(Curve(source.post_id, target.post_id, path, mark))
    width = PADDING * 2 + len(numbers) * CARD_WIDTH + max(len(numbers) - 1, 0) * COLUMN_GAP
    height = HEADER + max(full, 0) + PADDING
    return Canvas(columns, curves, width, height)


def diff_marks(diff: Any) -> dict[str, str]:
    """Post id → "added" / "removed" / "changed" from a ``services.VersionDiff``."""
    marks: dict[str, str] = {}
    for post in diff.removed:
        marks[post["post_id"]] = "removed"
    for change in diff.changed:
        marks[change.before["post_id"]] = "changed"
        marks[change.after["post_id"]] = "changed"
    for post in diff.added:
        marks[post["post_id"]] = "added"
    return marks
