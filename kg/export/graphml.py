"""GraphML that Gephi and Gephi Lite open as meant: coloured, sized, laid out, every edge kept.

What each client reads is in notes/clients.md §a–b. In short: keys carry
``for`` and ``attr.name`` (networkx writes both), node ``label``, ``size``,
``x``/``y``, ``r``/``g``/``b`` and ``color`` map to Gephi's built-in
properties, graphology folds r/g/b into a "#rrggbb" colour, and edge ids are
unique across the file (``flat_copy`` keys the edges "e0", "e1", …, and
networkx writes a MultiDiGraph's keys as edge ids, so no extra "id" column
appears beside Gephi's own).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.export.atomic import is_text_stream, open_output
from kg.export.flatten import flat_copy
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
    copy = gephi_graph(graph, positions)
    if is_text_stream(target):
        for line in nx.generate_graphml(copy):
            target.write(line + "\n")
        return
    with open_output(target, "wb") as fh:
        nx.write_graphml(copy, fh, encoding="utf-8")
