"""The graph as Gephi-family files want it: scalar attributes of one type each, unique edge ids.

GraphML and GEXF hold only strings, numbers and booleans, one declared type
per attribute; networkx raises on tuples and None and, for a MultiDiGraph,
numbers edges 0, 1, … per node pair, so Gephi drops every edge whose id
repeats and graphology throws (notes/clients.md §a–b). ``flat_copy`` returns
a new graph that fixes all of that and never touches the input.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import networkx as nx

Scalar = str | int | float | bool
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LIST_SEPARATOR = "; "


def flat_value(value: Any) -> Scalar | None:
    """One attribute value as a GraphML/GEXF scalar, or None to leave the attribute out.

    Tuples and lists become "; "-joined strings, Decimals floats, NaN and
    empty sequences nothing; booleans stay booleans.

    >>> flat_value(("a", "b")), flat_value(Decimal("3.55")), flat_value(True), flat_value(None)
    ('a; b', 3.55, True, None)
    """
    if value is None:
        return None
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        parts = [xml_safe(str(v)) for v in items if v is not None]
        return LIST_SEPARATOR.join(parts) if parts else None
    return xml_safe(str(value))


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters from PDFs, lone surrogates).

    lxml refuses to write them and a browser's XML parser stops at them.

    >>> xml_safe("a\\x0cb\\x00c")
    'abc'
    """
    return _XML_FORBIDDEN.sub("", text)


def flat_attributes(data: dict[str, Any]) -> dict[str, Scalar]:
    """A dict of attributes with every value flattened and the empty ones left out."""
    flat = {}
    for name, value in data.items():
        scalar = flat_value(value)
        if scalar is not None:
            flat[name] = scalar
    return flat


def unify_types(rows: Iterable[dict[str, Scalar]]) -> None:
    """Give each attribute one type across all rows, in place: int and float → float, any mix with str → str.

    Gephi declares one type per column and fails to parse a "3.5" in an
    integer column; networkx would otherwise declare two keys of one name.
    """
    rows = list(rows)
    types: dict[str, set[type]] = defaultdict(set)
    for row in rows:
        for name, value in row.items():
            types[name].add(type(value))
    target: dict[str, Callable[[Scalar], Scalar]] = {}
    for name, found in types.items():
        if len(found) == 1:
            continue
        if unified_type(found) is float:
            target[name] = float
        else:
            target[name] = lambda v: str(v).lower() if isinstance(v, bool) else str(v)
    if not target:
        return
    for row in rows:
        for name, convert in target.items():
            if name in row:
                row[name] = convert(row[name])


def unified_type(types: set[type]) -> type:
    """The one type ``unify_types`` gives an attribute found with ``types``.

    >>> unified_type({int}), unified_type({int, float}), unified_type({bool, int})
    (<class 'int'>, <class 'float'>, <class 'str'>)
    """
    if len(types) == 1:
        return next(iter(types))
    return float if types <= {int, float} else str


def flat_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A new MultiDiGraph with flat attributes and edges keyed "e0", "e1", … in the graph's edge order.

    The relation stays in each edge's ``relation`` attribute; the new keys
    become the file's edge ids. Writers then add their visual attributes to
    the copy, which is theirs to change.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("p", "d", key="mentions", relation="mentions", evidence=None)
    'mentions'
    >>> g.add_edge("p", "d", key="proposes", relation="proposes", cues=("a", "b"))
    'proposes'
    >>> list(flat_copy(g).edges(keys=True, data=True))
    [('p', 'd', 'e0', {'relation': 'mentions'}), ('p', 'd', 'e1', {'relation': 'proposes', 'cues': 'a; b'})]
    """
    node_rows = [(node, flat_attributes(data)) for node, data in graph.nodes(data=True)]
    edge_rows = [
        (u, v, f"e{number}", flat_attributes(data)) for number, (u, v, data) in enumerate(graph.edges(data=True))
    ]
    unify_types(row for _, row in node_rows)
    unify_types(row for *_, row in edge_rows)
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(node_rows)
    copy.add_edges_from(edge_rows)
    return copy
