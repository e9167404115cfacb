"""The strategy graph as Mermaid text, both ways (seed 001).

``to_mermaid`` writes ``graph LR`` with one subgraph per phase, one labelled node
per post and one edge per link, always in the same order, so export → parse →
export gives the same text. ``parse_mermaid`` reads that back, and also the
looser Mermaid people write by hand or models return: ``flowchart``/``TD``,
unquoted or round labels, chained edges (``a --> b --> c``), ``&`` groups,
edge labels, and the "(Existing)" / "(New)" markers a regeneration view puts on
phase names, which are dropped.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

_MARKER = re.compile(r"\s*\((?:existing|new)\)\s*", re.IGNORECASE)
_PHASE_LABEL = re.compile(r"^phase\s*(\d+)\s*(?:[:\-–—.]\s*(.*))?$", re.IGNORECASE)
_HEADER = re.compile(r"^(?:graph|flowchart)\s+(?:LR|RL|TD|TB|BT)\s*;?$", re.IGNORECASE)
_SUBGRAPH = re.compile(
    r'^subgraph\s+(?:(?P<id>[\w-]+)\s*(?:\[\s*"?(?P<label>[^"\]]*)"?\s*\])?|"(?P<quoted>[^"]*)")\s*$',
    re.IGNORECASE,
)
_NODE = re.compile(
    r'^(?P<id>[A-Za-z_][\w-]*)\s*(?:(?P<open>\[\[|\[|\(\(|\(|\{)\s*(?P<label>"[^"]*"|[^\]\)\}]*)\s*[\]\)\}]{1,2})?$'
)
_ARROW = re.compile(r"\s*(?:-->|---|-\.->|==>)(?:\|[^|]*\|)?\s*")
_ID = re.compile(r"^[A-Za-z_][\w-]*$")
_ESCAPES = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"))


class MermaidError(ValueError):
    """The text is not a strategy graph; the message names the line."""


@dataclass(frozen=True)
class Node:
    key: str
    label: str


@dataclass(frozen=True)
class Phase:
    number: int
    name: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Graph:
    phases: tuple[Phase, ...]
    edges: tuple[tuple[str, str], ...] = field(default=())

    def phase_of(self) -> dict[str, int]:
        return {node.key: phase.number for phase in self.phases for node in phase.nodes}


def clean_label(text: str) -> str:
    """One line, no "(Existing)"/"(New)" markers, single spaces."""
    return " ".join(_MARKER.sub(" ", text.replace("\n", " ")).split())


def _escape(text: str) -> str:
    for raw, code in _ESCAPES:
        text = text.replace(raw, code)
    return text


def _unescape(text: str) -> str:
    for raw, code in reversed(_ESCAPES):
        text = text.replace(code, raw)
    return text


def to_mermaid(graph: Graph) -> str:
    order = {
        node.key: index
        for index, node in enumerate(node for phase in graph.phases for node in phase.nodes)
    }
    lines = ["graph LR"]
    for phase in graph.phases:
        title = (
            f"Phase {phase.number}: {clean_label(phase.name)}"
            if phase.name
            else f"Phase {phase.number}"
        )
        lines.append(f'    subgraph phase_{phase.number}["{_escape(title)}"]')
        lines.extend(
            f'        {node.key}["{_escape(clean_label(node.label))}"]' for node in phase.nodes
        )
        lines.append("    end")
    edges = sorted(set(graph.edges), key=lambda e: (order.get(e[0], -1), order.get(e[1], -1), e))
    lines.extend(f"    {source} --> {target}" for source, target in edges)
    return "\n".join(lines) + "\n"


def _node(token: str, line_no: int) -> tuple[str, str | None]:
    match = _NODE.match(token.strip())
    if match is None:
        raise MermaidError(f"line {line_no}: cannot read the node {token.strip()!r}")
    label = match.group("label")
    if label is not None:
        label = _unescape(label.strip().strip('"'))
    return match.group("id"), label


def parse_mermaid(text: str) -> Graph:
    """Read a strategy graph; raise ``MermaidError`` naming the line when it cannot."""
    phases: list[tuple[int, str, list[str]]] = []
    labels: dict[str, str] = {}
    where: dict[str, int] = {}
    edges: list[tuple[str, str]] = []
    current: list[str] | None = None
    seen_header = False
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("%%", 1)[0].strip().rstrip(";")
        if not line:
            continue
        if not seen_header:
            if not _HEADER.match(line):
                raise MermaidError(f"line {line_no}: expected 'graph LR' (or 'flowchart …')")
            seen_header = True
            continue
        if line.lower() == "end":
            if current is None:
                raise MermaidError(f"line {line_no}: 'end' without a subgraph")
            current = None
            continue
        match = _SUBGRAPH.match(line)
        if match:
            if current is not None:
                raise MermaidError(f"line {line_no}: nested subgraphs are not phases")
            title = clean_label(
                _unescape(match.group("label") or match.group("quoted") or match.group("id") or "")
            )
            found = _PHASE_LABEL.match(title)
            number = int(found.group(1)) if found else len(phases) + 1
            name = clean_label(found.group(2) or "") if found else title
            if any(number == existing for existing, _, _ in phases):
                raise MermaidError(f"line {line_no}: phase {number} appears twice")
            current = []
            phases.append((number, name, current))
            continue
        if line.lower().startswith(("classdef ", "class ", "style ", "linkstyle ", "click ")):
            continue
        parts = _ARROW.split(line)
        groups = [[_node(token, line_no) for token in part.split("&")] for part in parts]
        for group in groups:
            for key, label in group:
                if label is not None:
                    labels[key] = clean_label(label)
                if key not in where:
                    if current is None:
                        raise MermaidError(
                            f"line {line_no}: node {key!r} is outside every phase subgraph"
                        )
                    where[key] = len(phases) - 1
                    current.append(key)
        for sources, targets in itertools.pairwise(groups):
            edges.extend((s, t) for s, _ in sources for t, _ in targets)
    if not seen_header:
        raise MermaidError("the text is empty: expected 'graph LR' and phase subgraphs")
    if current is not None:
        raise MermaidError("a subgraph is missing its 'end'")
    result = tuple(
        Phase(number, name, tuple(Node(key, labels.get(key, key)) for key in keys))
        for number, name, keys in sorted(phases, key=lambda p: p[0])
    )
    return Graph(result, tuple(dict.fromkeys(edges)))
