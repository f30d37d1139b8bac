"""GEXF for Gephi's timeline: colours, sizes and positions as viz, relations as edge kinds, papers dated.

GEXF carries what GraphML cannot (notes/clients.md §a): an edge ``kind``
(Gephi keeps edges of different kinds between one pair apart) and
``start`` dates, which turn on Gephi's timeline so papers, and the entities
and results they bring, appear in publication order. networkx writes the
viz elements and dates; this module adds the two attributes it cannot
write: ``kind`` on edges and ``hex`` on colours, which graphology (Gephi
Lite) reads as "#rrggbb" instead of an rgba() string.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.export.atomic import is_text_stream, open_output
from kg.export.flatten import flat_copy
from kg.export.layout import compute_layout
from kg.export.style import hex_to_rgb, kind_color, node_size

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: Any) -> str | None:
    """The "YYYY-MM-DD" day of a date string, or None when Gephi could not read it as one.

    >>> iso_date("2024-05-01"), iso_date("2024-05-01T10:00:00Z"), iso_date("Mar 13"), iso_date(None)
    ('2024-05-01', '2024-05-01', None, None)
    """
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value[:10]
    return None


def first_dates(graph: nx.MultiDiGraph) -> dict[Hashable, str]:
    """When each node enters the timeline: a paper's own date; an entity's or result's earliest paper."""
    dates: dict[Hashable, str] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") != "Paper":
            continue
        date = iso_date(data.get("date"))
        if date is None:
            continue
        dates[node] = date
        for neighbour in graph.successors(node):
            if graph.nodes[neighbour].get("kind") != "Paper" and date < dates.get(neighbour, "9999"):
                dates[neighbour] = date
    return dates


def gexf_graph(
    graph: nx.MultiDiGraph, positions: Mapping[Hashable, tuple[float, float]] | None = None
) -> nx.MultiDiGraph:
    """The copy of ``graph`` that is written: flat attributes, ``viz``, ``type`` and ``start``."""
    if positions is None:
        positions = compute_layout(graph)
    dates = first_dates(graph)
    copy = flat_copy(graph)
    for node, data in copy.nodes(data=True):
        kind = data.pop("kind", None)
        red, green, blue = hex_to_rgb(kind_color(kind))
        x, y = positions[node]
        data.setdefault("label", str(node))
        if kind:
            data["type"] = kind
        data["viz"] = {
            "color": {"r": red, "g": green, "b": blue, "a": 1.0},
            "size": node_size(graph.degree(node)),
            "position": {"x": float(x), "y": float(y), "z": 0.0},
        }
        if node in dates:
            data["start"] = dates[node]
    for _, _, key, data in copy.edges(keys=True, data=True):
        data["weight"] = float(data.get("weight", 1.0))
        data["id"] = key
    return copy


def write_gexf(
    graph: nx.MultiDiGraph,
    target: str | Path | IO[Any],
    *,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> None:
    """Write ``graph`` as GEXF 1.2 to a path (atomically) or an open file; the graph is not changed.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper/a", kind="Paper", label="A paper", date="2024-05-01")
    >>> g.add_node("metric/fid", kind="Metric", label="FID")
    >>> g.add_edge("paper/a", "metric/fid", key="mentions", relation="mentions")
    'mentions'
    >>> out = io.BytesIO()
    >>> write_gexf(g, out)
    >>> b'kind="mentions"' in out.getvalue() and b'start="2024-05-01"' in out.getvalue()
    True
    """
    copy = gexf_graph(graph, positions)
    writer = GEXFWriter(encoding="utf-8", prettyprint=False, version="1.2draft")
    writer.add_graph(copy)
    _add_kinds_and_hex_colors(writer, copy)
    _drop_networkx_keys(writer)
    if is_text_stream(target):
        target.write(str(writer))
        return
    with open_output(target, "wb") as fh:
        writer.write(fh)


def _add_kinds_and_hex_colors(writer: GEXFWriter, copy: nx.MultiDiGraph) -> None:
    """Set ``kind`` on each edge element and ``hex`` on each colour, which networkx does not write."""
    relations = {key: data.get("relation") for _, _, key, data in copy.edges(keys=True, data=True)}
    for element in writer.graph_element.iter("edge"):
        relation = relations.get(element.get("id"))
        if relation:
            element.set("kind", str(relation))
    color_tag = f"{{{writer.NS_VIZ}}}color"
    for element in writer.graph_element.iter(color_tag):
        rgb = (int(element.get(channel)) for channel in "rgb")
        element.set("hex", "#{:02x}{:02x}{:02x}".format(*rgb))


def _drop_networkx_keys(writer: GEXFWriter) -> None:
    """Remove the "networkx_key" edge column networkx adds for multigraphs; the edge id already is the key."""
    declared = set()
    for attributes in writer.graph_element.iter("attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                declared.add(attribute.get("id"))
                attributes.remove(attribute)
    if not declared:
        return
    for edge in writer.graph_element.iter("edge"):
        for values in edge.iter("attvalues"):
            for value in list(values):
                if value.get("for") in declared:
                    values.remove(value)
