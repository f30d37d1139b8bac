"""GraphML that Gephi and Gephi Lite open as meant: coloured, sized, laid out, every edge kept.

What each client reads is in notes/clients.md §a–b. In short: keys carry
``for`` and ``attr.name`` (networkx writes both), node ``label``, ``size``,
``x``/``y``, ``r``/``g``/``b`` and ``color`` map to Gephi's built-in
properties, graphology folds r/g/b into a "#rrggbb" colour, and edge ids are
unique across the file (``flat_copy`` keys the edges "e0", "e1", …, and
networkx writes a MultiDiGraph's keys as edge ids, so no extra "id" column
appears beside Gephi's own).

``write_graphml`` streams the file: each node and edge is flattened and
written as it is reached, so no copy of the graph is built (at 100k papers
the copy cost 20 s and 750 MB, and networkx's writer another 30 s). The
bytes are those networkx's lxml writer gives for ``gephi_graph(graph)``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.export.atomic import is_text_stream, open_output
from kg.export.flatten import flat_copy, flat_value, unified_type
from kg.export.layout import compute_layout
from kg.export.style import hex_to_rgb, kind_color, node_size


def gephi_graph(
    graph: nx.MultiDiGraph, positions: Mapping[Hashable, tuple[float, float]] | None = None
) -> nx.MultiDiGraph:
    """The copy of ``graph`` that is written: flat attributes plus Gephi's visual columns.

    Nodes get ``label``, ``type`` (the kind), ``size``, ``r``/``g``/``b``,
    ``color`` and ``x``/``y``; edges keep ``relation`` and get ``weight`` 1.0.
    """
    if positions is None:
        positions = compute_layout(graph)
    copy = flat_copy(graph)
    for node, data in copy.nodes(data=True):
        kind = data.pop("kind", None)
        color = kind_color(kind)
        red, green, blue = hex_to_rgb(color)
        x, y = positions[node]
        data.setdefault("label", str(node))
        if kind:
            data["type"] = kind
        data.update(size=node_size(graph.degree(node)), r=red, g=green, b=blue, color=color, x=float(x), y=float(y))
    for _, _, data in copy.edges(data=True):
        data["weight"] = float(data.get("weight", 1.0))
    return copy


def write_graphml(
    graph: nx.MultiDiGraph,
    target: str | Path | IO[Any],
    *,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> None:
    """Write ``graph`` as GraphML to a path (atomically) or an open file; the graph is not changed.

    ``positions`` (node → (x, y)) saves a second layout run when the caller
    writes several formats; by default ``compute_layout`` places the nodes.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dataset/cifar-10", kind="Dataset", label="CIFAR-10", aliases=("CIFAR10",))
    >>> out = io.BytesIO()
    >>> write_graphml(g, out)
    >>> back = nx.read_graphml(io.BytesIO(out.getvalue()))
    >>> back.nodes["dataset/cifar-10"]["color"], back.nodes["dataset/cifar-10"]["aliases"]
    ('#009e73', 'CIFAR10')
    """
    if positions is None:
        positions = compute_layout(graph)
    if is_text_stream(target):
        for part in _graphml_parts(graph, positions):
            target.write(part)
        return
    with open_output(target, "wb") as fh:
        for part in _graphml_parts(graph, positions):
            fh.write(part.encode("utf-8"))


_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_NODE_VISUAL_TYPES = {"size": float, "r": int, "g": int, "b": int, "color": str, "x": float, "y": float}
_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
# Flush the text written so far once this many parts have gathered.
_PARTS_PER_WRITE = 20000


def _xml_text(text: str) -> str:
    """Element text escaped as lxml escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _xml_attribute(text: str) -> str:
    """An attribute value escaped as lxml escapes it."""
    text = _xml_text(text)
    for char, entity in (('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;")):
        if char in text:
            text = text.replace(char, entity)
    return text


class _Columns:
    """The attribute columns of one scope (node or edge): what ``flat_copy`` would make of them.

    ``see`` takes every row once, noting each name's flat types and each
    distinct shape (the names present, in order); ``unify`` then gives each
    name the one type ``unify_types`` would, and ``row`` flattens a row
    with those types.
    """

    def __init__(self) -> None:
        self.types: dict[str, set[type]] = {}
        self.shapes: dict[tuple[tuple[str, ...], bool], None] = {}  # in first-seen order
        self.convert: dict[str, Any] = {}

    def see(self, data: Mapping[str, Any], flag: bool = False) -> None:
        names = []
        for name, value in data.items():
            kind = _flat_type(value)
            if kind is not None:
                self.types.setdefault(name, set()).add(kind)
                names.append(name)
        self.shapes.setdefault((tuple(names), flag))

    def unify(self) -> dict[str, type]:
        final = {}
        for name, found in self.types.items():
            final[name] = unified_type(found)
            if len(found) > 1:
                self.convert[name] = float if final[name] is float else _as_text
        return final

    def row(self, data: Mapping[str, Any]) -> dict[str, Any]:
        row = {}
        for name, value in data.items():
            flat = flat_value(value)
            if flat is not None:
                row[name] = flat
        for name, convert in self.convert.items():
            if name in row:
                row[name] = convert(row[name])
        return row


def _as_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _flat_type(value: Any) -> type | None:
    """The type ``flat_value(value)`` has, found without building it; None when it leaves the attribute out."""
    if value is None:
        return None
    if isinstance(value, str):
        return str
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, (float, Decimal)):
        return float if math.isfinite(value) else None
    if isinstance(value, (tuple, list, set, frozenset)):
        return str if any(v is not None for v in value) else None
    return str


def _graphml_parts(graph: nx.MultiDiGraph, positions: Mapping[Hashable, tuple[float, float]]) -> Iterator[str]:
    """The GraphML document of ``gephi_graph(graph, positions)``, in pieces, without building that copy."""
    nodes, edges = _Columns(), _Columns()
    for _, data in graph.nodes(data=True):
        nodes.see(data, bool(flat_value(data.get("kind"))))
    for _, _, data in graph.edges(data=True):
        edges.see(data)
    node_types, edge_types = nodes.unify(), edges.unify()

    # Key ids in the order networkx's writer meets each (name, type) in the rows of gephi_graph().
    keys: dict[tuple[str, type, str], str] = {}

    def key(name: str, kind: type, scope: str) -> None:
        keys.setdefault((name, kind, scope), f"d{len(keys)}")

    for shape, has_kind in nodes.shapes:
        for name in shape:
            if name in _NODE_VISUAL_TYPES:
                key(name, _NODE_VISUAL_TYPES[name], "node")
            elif name == "type" and has_kind:
                key(name, node_types["kind"], "node")
            elif name != "kind":
                key(name, node_types[name], "node")
        if "label" not in shape:
            key("label", str, "node")
        if has_kind:
            key("type", node_types["kind"], "node")
        for name, kind in _NODE_VISUAL_TYPES.items():
            key(name, kind, "node")
    for shape, _ in edges.shapes:
        for name in shape:
            key(name, float if name == "weight" else edge_types[name], "edge")
        key("weight", float, "edge")

    yield _HEADER
    yield "".join(
        f'<key id="{key_id}" for="{scope}" attr.name="{_xml_attribute(name)}" attr.type="{_XML_TYPES[kind]}"/>\n'
        for (name, kind, scope), key_id in reversed(keys.items())
    )
    yield '<graph edgedefault="directed">'

    parts: list[str] = []
    degree = graph.degree
    for node, data in graph.nodes(data=True):
        row = nodes.row(data)
        kind = row.pop("kind", None)
        color = kind_color(kind)
        red, green, blue = hex_to_rgb(color)
        x, y = positions[node]
        row.setdefault("label", str(node))
        if kind:
            row["type"] = kind
        row.update(size=node_size(degree(node)), r=red, g=green, b=blue, color=color, x=float(x), y=float(y))
        parts.append(_element("node", f'id="{_xml_attribute(str(node))}"', row, keys, "node"))
        if len(parts) >= _PARTS_PER_WRITE:
            yield "".join(parts)
            parts.clear()
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        row = edges.row(data)
        row["weight"] = float(row.get("weight", 1.0))
        attributes = f'source="{_xml_attribute(str(source))}" target="{_xml_attribute(str(target))}" id="e{number}"'
        parts.append(_element("edge", attributes, row, keys, "edge"))
        if len(parts) >= _PARTS_PER_WRITE:
            yield "".join(parts)
            parts.clear()
    parts.append("</graph></graphml>")
    yield "".join(parts)


def _element(tag: str, attributes: str, row: Mapping[str, Any], keys: Mapping[tuple, str], scope: str) -> str:
    if not row:
        return f"<{tag} {attributes}/>\n"
    lines = [f"<{tag} {attributes}>\n"]
    for name, value in row.items():
        text = _xml_text(value) if type(value) is str else str(value)
        lines.append(f'  <data key="{keys[(name, type(value), scope)]}">{text}</data>\n')
    lines.append(f"</{tag}>\n")
    return "".join(lines)
