"""The canvas layout: columns per phase, cards that never overlap, rows ordered to limit crossings."""

from __future__ import annotations

from itertools import combinations, pairwise
from typing import Any

from clarion.campaigns import canvas


def node(phase: int, position: int) -> dict[str, Any]:
    return {
        "id": f"p{phase}-{position}",
        "pk": phase * 10 + position,
        "phase": phase,
        "position": position,
        "title": f"A post title long enough to wrap over two lines, {phase}.{position}",
        "status": "ready",
        "selected_variant": "A",
        "variants": {"count": 6, "approved": 0},
    }


def graph(edges: list[tuple[str, str]], phases: int = 6, per_phase: int = 5) -> dict[str, Any]:
    return {
        "phases": [{"number": n, "name": f"Stage {n}"} for n in range(1, phases + 1)],
        "nodes": [node(p, i) for p in range(1, phases + 1) for i in range(1, per_phase + 1)],
        "edges": [{"source": s, "target": t} for s, t in edges],
    }


def crossings(drawn: canvas.Canvas, edges: list[tuple[str, str]]) -> int:
    y = {card.post_id: card.centre_y for card in drawn.cards}
    count = 0
    for (s1, t1), (s2, t2) in combinations(edges, 2):
        if s1[1] == s2[1] and (y[s1] - y[s2]) * (y[t1] - y[t2]) < 0:
            count += 1
    return count


# Each post of phase k leads to the post in the mirrored row of phase k+1, plus a
# branch and a merge: drawn in position order, nearly every pair of links crosses.
MIRRORED = [(f"p{p}-{i}", f"p{p + 1}-{6 - i}") for p in range(1, 6) for i in range(1, 6)]
BRANCHED = [*MIRRORED, ("p1-1", "p2-1"), ("p3-2", "p4-1")]


def test_every_phase_is_a_column_and_cards_never_overlap():
    drawn = canvas.layout(graph(BRANCHED))

    assert [c.number for c in drawn.columns] == [1, 2, 3, 4, 5, 6]
    for column in drawn.columns:
        assert {card.x for card in column.cards} == {column.x}
        ys = sorted(card.y for card in column.cards)
        assert all(b - a >= canvas.CARD_HEIGHT for a, b in pairwise(ys))
    right = max(card.x for card in drawn.cards) + canvas.CARD_WIDTH
    bottom = max(card.y for card in drawn.cards) + canvas.CARD_HEIGHT
    assert right <= drawn.width and bottom <= drawn.height


def test_links_are_cubic_curves_from_card_edge_to_card_edge():
    drawn = canvas.layout(graph(BRANCHED))

    assert len(drawn.curves) == len(BRANCHED)
    cards = {card.post_id: card for card in drawn.cards}
    for curve in drawn.curves:
        start = curve.path.split()[0]
        assert start == (
            f"M{cards[curve.source].x + canvas.CARD_WIDTH:.1f},{cards[curve.source].centre_y:.1f}"
        )
        assert " C" in curve.path


def test_rows_are_ordered_to_limit_crossings():
    ordered = canvas.layout(graph(BRANCHED))
    in_position_order = canvas.layout(graph(BRANCHED))
    for column in in_position_order.columns:
        column.cards.sort(key=lambda card: card.post_id)
        for row, card in enumerate(column.cards):
            card.y = canvas.HEADER + row * (canvas.CARD_HEIGHT + canvas.ROW_GAP)

    assert crossings(ordered, BRANCHED) < crossings(in_position_order, BRANCHED) / 4


def test_long_titles_are_cut_to_two_lines():
    drawn = canvas.layout(graph([]))

    assert all(len(card.title_lines) <= canvas.TITLE_LINES for card in drawn.cards)
    assert all(len(line) <= canvas.TITLE_CHARS for card in drawn.cards for line in card.title_lines)
