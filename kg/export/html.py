"""An interactive, offline HTML viewer of the graph: search, filter by type, details, leaderboards.

The page is rendered by pyvis 0.3.2 with our template (``kg/viewer/``) and
vis-network inlined, so it opens with no network at all. Its pitfalls
(notes/clients.md §c) are avoided on purpose:

- nodes and edges are built here, not with ``Network.from_nx`` (which
  changes the graph it reads);
- node ids are opaque ("n0", "n1", …), never titles, and tooltips are plain
  text without "href" (pyvis would switch every tooltip to innerHTML);
- all data the page needs is one JSON blob in a
  ``<script type="application/json">`` element, with ``<``, ``>``, ``&`` and
  ``'`` written as ``\\u003c`` etc.; the page's script reads it with
  ``JSON.parse`` and puts text on the page with DOM APIs (``textContent``),
  so no input text is ever parsed as HTML or script;
- positions are precomputed (``compute_layout``) and physics is off, so a
  1,500-node page is drawn in about a second instead of minutes.

Big graphs are cut to what a browser can draw (``cut_graph``), and the page
says so ("showing 1,500 of 4,321 nodes").
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.export.atomic import open_output
from kg.export.layout import compute_layout
from kg.export.style import KIND_COLORS, kind_color, node_size
from kg.records import ENTITY_TYPES

VIEWER_DIR = Path(__file__).resolve().parents[1] / "viewer"
KINDS = ("Paper", *ENTITY_TYPES, "Result")
# Lists in the details panel stop here; the page says how many more there are.
MAX_LISTED = 50
MAX_EVIDENCE = 8
MAX_LABEL_CHARS = 48
MAX_DRAWN_SIZE = 48.0


@dataclass(frozen=True)
class GraphCut:
    """The part of a graph a page shows: what the filters selected, and what fits the node budget."""

    selected: tuple[Hashable, ...]
    shown: tuple[Hashable, ...]
    total_nodes: int
    total_edges: int
    centres: tuple[Hashable, ...] = ()

    def summary(self, shown_edges: int) -> str:
        """ "showing 1,500 of 4,321 nodes and 5,210 of 12,034 edges" """
        return (
            f"showing {len(self.shown):,} of {self.total_nodes:,} nodes"
            f" and {shown_edges:,} of {self.total_edges:,} edges"
        )


def find_named(graph: nx.MultiDiGraph, name: str) -> list[Hashable]:
    """Nodes whose key, label, name, title or an alias is ``name``, ignoring case.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dataset/cifar-10", kind="Dataset", label="CIFAR-10", aliases=("CIFAR10",))
    >>> find_named(g, "cifar10"), find_named(g, "MNIST")
    (['dataset/cifar-10'], [])
    """
    wanted = name.strip().casefold()
    found = []
    for node, data in graph.nodes(data=True):
        names = [str(node), data.get("label"), data.get("name"), data.get("title"), *(data.get("aliases") or ())]
        if any(isinstance(n, str) and n.strip().casefold() == wanted for n in names):
            found.append(node)
    return found


def cut_graph(
    graph: nx.MultiDiGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_papers: int = 0,
    max_nodes: int = 1500,
) -> GraphCut:
    """Choose the nodes a page shows, in the graph's node order.

    ``around`` keeps the nodes within ``depth`` hops (either direction) of
    the nodes so named; ``types`` keeps entities of those kinds and
    ``min_papers`` entities named by at least that many papers, and with
    either, papers stay when they name a kept entity and results when they
    touch a kept entity or paper. Beyond ``max_nodes``, the nodes with the
    most links among the selected ones stay (named centres always do).
    Raises ValueError for a name no node has or an unknown type.
    """
    order = {node: i for i, node in enumerate(graph.nodes)}
    selected = set(graph.nodes)
    centres: list[Hashable] = []
    if around is not None:
        centres = find_named(graph, around)
        if not centres:
            raise ValueError(f"no node is named {around!r}")
        selected = _within_hops(graph, centres, depth)
    if types is not None or min_papers > 0:
        kinds = _known_kinds(types) if types is not None else set(KINDS)
        selected = _filter_entities(graph, selected, kinds, min_papers) | set(centres)
    shown = selected
    if len(selected) > max_nodes:
        # A subgraph view counts degrees through filters: 20 s at 100k papers when nothing was filtered out.
        degree = graph.degree if len(selected) == graph.number_of_nodes() else graph.subgraph(selected).degree()
        ranked = sorted(selected, key=lambda n: (n not in centres, -degree[n], order[n]))
        shown = set(ranked[: max(max_nodes, 0)])
    return GraphCut(
        selected=tuple(sorted(selected, key=order.__getitem__)),
        shown=tuple(sorted(shown, key=order.__getitem__)),
        total_nodes=graph.number_of_nodes(),
        total_edges=graph.number_of_edges(),
        centres=tuple(centres),
    )


def induced_in_order(graph: nx.MultiDiGraph, nodes: Iterable[Hashable]) -> nx.MultiDiGraph:
    """The subgraph of ``nodes`` as a new graph: nodes in the given order, edges in the graph's order.

    ``graph.subgraph(nodes)`` iterates a set of ``nodes`` when they are
    fewer than half the graph, so the order of its nodes and edges (and the
    layout and page built from them) would change from run to run with
    Python's string hashing.

    >>> g = nx.MultiDiGraph([("b", "a"), ("a", "c"), ("c", "b")])
    >>> list(induced_in_order(g, ["c", "b"]).edges())
    [('c', 'b')]
    """
    order = list(nodes)
    keep = set(order)
    induced = nx.MultiDiGraph()
    induced.add_nodes_from(order)
    adjacency = graph.succ
    for u in order:
        for v, keyed in adjacency[u].items():
            if v in keep:
                for key, data in keyed.items():
                    induced.add_edge(u, v, key, **data)
    return induced


def _within_hops(graph: nx.MultiDiGraph, centres: Iterable[Hashable], depth: int) -> set[Hashable]:
    """Nodes at most ``depth`` links away from a centre, following links either way."""
    reached = set(centres)
    frontier = set(centres)
    for _ in range(max(depth, 0)):
        frontier = {n for node in frontier for n in (*graph.successors(node), *graph.predecessors(node))} - reached
        if not frontier:
            break
        reached |= frontier
    return reached


def _known_kinds(types: Collection[str]) -> set[str]:
    """The canonical kind names for ``types`` ("dataset" → "Dataset"); ValueError for unknown ones."""
    canonical = {kind.casefold(): kind for kind in KINDS}
    unknown = [t for t in types if t.casefold() not in canonical]
    if unknown:
        raise ValueError(f"unknown node types {unknown}; known: {', '.join(KINDS)}")
    return {canonical[t.casefold()] for t in types}


def _papers_naming(graph: nx.MultiDiGraph, entity: Hashable) -> int:
    """How many papers name an entity: its ``papers`` attribute, else its distinct paper neighbours."""
    count = graph.nodes[entity].get("papers")
    if isinstance(count, int):
        return count
    return sum(1 for p in graph.predecessors(entity) if graph.nodes[p].get("kind") == "Paper")


def _filter_entities(
    graph: nx.MultiDiGraph, selected: set[Hashable], kinds: set[str], min_papers: int
) -> set[Hashable]:
    """Entities of ``kinds`` named by ≥ ``min_papers`` papers, plus the papers and results linked to them."""
    entities = {
        n
        for n in selected
        if graph.nodes[n].get("kind") not in ("Paper", "Result")
        and graph.nodes[n].get("kind") in kinds
        and _papers_naming(graph, n) >= min_papers
    }

    def linked(node: Hashable, kept: set[Hashable]) -> bool:
        return any(n in kept for n in (*graph.successors(node), *graph.predecessors(node)))

    papers = {n for n in selected if graph.nodes[n].get("kind") == "Paper" and linked(n, entities)}
    results = {n for n in selected if graph.nodes[n].get("kind") == "Result" and linked(n, entities | papers)}
    return entities | papers | results


def _plain(value: Any) -> Any:
    """A JSON-ready value: Decimal → float, tuple → list, NaN → None."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_plain(v) for v in value]
    return value


_HREF = re.compile("href", re.IGNORECASE)


def tooltip(text: str) -> str:
    """Plain tooltip text that cannot make pyvis switch tooltips to HTML (it looks for "href").

    >>> tooltip('see <a href="x">') == 'see <a hre\\u200bf="x">'
    True
    """
    return _HREF.sub(lambda m: m.group(0)[:3] + "\u200b" + m.group(0)[3:], text)


def http_urls(urls: Iterable[Any]) -> list[str]:
    """The http(s) URLs among ``urls``; the page checks again before it makes a link.

    >>> http_urls(["https://github.com/a/b", "javascript:alert(1)", None, " http://x.org "])
    ['https://github.com/a/b', 'http://x.org']
    """
    found = []
    for url in urls:
        if isinstance(url, str) and re.match(r"https?://", url.strip(), re.IGNORECASE):
            found.append(url.strip())
    return found


def _short(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _PageBuilder:
    """Turns a graph cut into the page's data: vis nodes and edges, details, papers, results."""

    def __init__(self, graph: nx.MultiDiGraph, cut: GraphCut, positions: Mapping[Hashable, tuple[float, float]]):
        self.graph = graph
        self.cut = cut
        self.positions = positions
        self.ids = {node: f"n{i}" for i, node in enumerate(cut.shown)}
        self.paper_index: dict[Hashable, int] = {}
        self.papers: list[dict[str, Any]] = []

    def paper_ref(self, paper: Hashable) -> int:
        """The index of a paper in the page's paper table, adding it on first use."""
        if paper not in self.paper_index:
            data = self.graph.nodes[paper]
            self.paper_index[paper] = len(self.papers)
            self.papers.append(
                {
                    "title": str(data.get("title") or data.get("label") or ""),
                    "date": data.get("date"),
                    "url": (http_urls([data.get("url")]) or [None])[0],
                    "code": http_urls(data.get("code_urls") or ()),
                    "node": self.ids.get(paper),
                }
            )
        return self.paper_index[paper]

    def vis_nodes(self) -> list[dict[str, Any]]:
        nodes = []
        for node in self.cut.shown:
            data = self.graph.nodes[node]
            kind = data.get("kind")
            label = str(data.get("label") or node)
            x, y = self.positions[node]
            degree = self.graph.degree(node)
            nodes.append(
                {
                    "id": self.ids[node],
                    "label": _short(label),
                    "title": tooltip(f"{label}\n{kind or 'node'} · {degree:,} links"),
                    "color": kind_color(kind),
                    "size": min(node_size(degree), MAX_DRAWN_SIZE),
                    "x": x,
                    "y": y,
                    "kind": kind or "",
                }
            )
        return nodes

    def vis_edges(self) -> list[dict[str, Any]]:
        edges = []
        for u, v, data in induced_in_order(self.graph, self.cut.shown).edges(data=True):
            relation = str(data.get("relation") or "")
            edges.append({"from": self.ids[u], "to": self.ids[v], "title": tooltip(relation), "relation": relation})
        return edges

    def details(self) -> dict[str, dict[str, Any]]:
        return {self.ids[node]: self.node_details(node) for node in self.cut.shown}

    def node_details(self, node: Hashable) -> dict[str, Any]:
        data = self.graph.nodes[node]
        kind = data.get("kind")
        about: dict[str, Any] = {
            "kind": kind,
            "label": str(data.get("label") or node),
            "links": self.graph.degree(node),
        }
        if kind == "Paper":
            about["paper"] = self.paper_ref(node)
            about["abstract"] = data.get("abstract")
            about["entities"] = self.linked_entities(node)
            about["results"] = [self.result_row(r) for r in self.graph.successors(node) if self.is_result(r)]
        elif kind == "Result":
            about["result"] = self.result_row(node)
        else:
            about.update(self.entity_details(node))
        return {k: _plain(v) for k, v in about.items() if v not in (None, [], ())}

    def is_result(self, node: Hashable) -> bool:
        return self.graph.nodes[node].get("kind") == "Result"

    def linked_entities(self, paper: Hashable) -> list[dict[str, Any]]:
        """The entities a paper names or proposes, each once, proposals flagged."""
        entities: dict[Hashable, dict[str, Any]] = {}
        for _, entity, data in self.graph.out_edges(paper, data=True):
            if data.get("relation") not in ("mentions", "proposes"):
                continue
            row = entities.setdefault(
                entity,
                {
                    "name": str(self.graph.nodes[entity].get("label") or entity),
                    "kind": self.graph.nodes[entity].get("kind"),
                    "node": self.ids.get(entity),
                },
            )
            if data.get("relation") == "proposes":
                row["proposed"] = True
        return list(entities.values())

    def entity_details(self, entity: Hashable) -> dict[str, Any]:
        data = self.graph.nodes[entity]
        papers: list[int] = []
        evidence: list[dict[str, Any]] = []
        naming = 0
        # The adjacency dicts, not in_edges(): a hub has thousands of links and the edge views cost 5 s at 100k papers.
        incoming = [(p, entity, e) for p, keyed in self.graph.pred[entity].items() for e in keyed.values()]
        outgoing = [(entity, t, e) for t, keyed in self.graph.succ[entity].items() for e in keyed.values()]
        for paper, _, edge in incoming:
            if edge.get("relation") == "mentions":
                naming += 1
                if len(papers) < MAX_LISTED:
                    papers.append(self.paper_ref(paper))
                sentence = edge.get("evidence")
                if sentence and len(evidence) < MAX_EVIDENCE:
                    evidence.append({"text": str(sentence), "paper": self.paper_ref(paper)})
        proposed_by = [self.paper_ref(p) for p, _, e in incoming if e.get("relation") == "proposes"]
        family = [self.entity_ref(t) for _, t, e in outgoing if e.get("relation") == "variant_of"]
        variants = [self.entity_ref(s) for s, _, e in incoming if e.get("relation") == "variant_of"]
        return {
            "name": data.get("name"),
            "aliases": list(data.get("aliases") or ()),
            "description": data.get("description"),
            "papers_count": data.get("papers") if isinstance(data.get("papers"), int) else naming,
            "papers": papers,
            "more_papers": max(naming - len(papers), 0),
            "proposed_by": proposed_by[:MAX_LISTED],
            "evidence": evidence,
            "family": family,
            "variants": variants[:MAX_LISTED],
        }

    def entity_ref(self, entity: Hashable) -> dict[str, Any]:
        return {"name": str(self.graph.nodes[entity].get("label") or entity), "node": self.ids.get(entity)}

    def result_row(self, result: Hashable) -> dict[str, Any]:
        data = self.graph.nodes[result]
        paper = data.get("paper")
        row = {
            "value": _plain(data.get("value")),
            "unit": data.get("unit"),
            "relative": bool(data.get("relative")),
            "metric": data.get("metric"),
            "dataset": data.get("dataset"),
            "subject": data.get("subject"),
            "evidence": data.get("evidence"),
            "paper": self.paper_ref(paper) if paper in self.graph else None,
            "node": self.ids.get(result),
        }
        return {k: v for k, v in row.items() if v is not None}

    def leaderboard(self) -> list[dict[str, Any]]:
        """Every result among the selected nodes (not only the drawn ones) with a metric and a value."""
        rows = []
        for node in self.cut.selected:
            data = self.graph.nodes[node]
            value = _plain(data.get("value"))
            if data.get("kind") == "Result" and data.get("metric") and isinstance(value, float | int):
                rows.append(self.result_row(node))
        return rows

    def legend(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for node in nodes:
            counts[node["kind"]] = counts.get(node["kind"], 0) + 1
        known = [k for k in KIND_COLORS if k in counts]
        others = sorted(k for k in counts if k not in KIND_COLORS)
        return [{"kind": k or "other", "color": kind_color(k), "count": counts[k]} for k in known + others]


def viewer_data(
    graph: nx.MultiDiGraph, cut: GraphCut, title: str, positions: Mapping[Hashable, tuple[float, float]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """The page's vis nodes, vis edges and everything else it shows, as JSON-ready values."""
    if positions is None:
        positions = compute_layout(induced_in_order(graph, cut.shown))
    builder = _PageBuilder(graph, cut, positions)
    nodes = builder.vis_nodes()
    edges = builder.vis_edges()
    page = {
        "title": title,
        "cut": {
            "summary": cut.summary(len(edges)),
            "shown_nodes": len(cut.shown),
            "selected_nodes": len(cut.selected),
            "total_nodes": cut.total_nodes,
            "shown_edges": len(edges),
            "total_edges": cut.total_edges,
            "centres": [builder.ids[c] for c in cut.centres if c in builder.ids],
        },
        "legend": builder.legend(nodes),
        "details": builder.details(),
        "results": builder.leaderboard(),
    }
    page["papers"] = builder.papers  # last: details and results add to it
    return nodes, edges, page


def render_html(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], page: dict[str, Any]) -> str:
    """The page's HTML, rendered by pyvis with our template and vis-network inlined."""
    import jinja2
    import pyvis
    from pyvis.network import Network

    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    network.set_template_dir(str(VIEWER_DIR) + "/", "template.html")
    # pyvis's own Environment does not autoescape; ours does, and also finds the
    # vis-network files that pyvis ships, which the template inlines.
    network.templateEnv = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(VIEWER_DIR), jinja2.FileSystemLoader(Path(pyvis.__file__).parent / "templates")]
        ),
        autoescape=True,
    )
    network.templateEnv.globals["page"] = page
    for node in nodes:
        network.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        network.add_edge(edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")})
    return network.generate_html()


def write_html(
    graph: nx.MultiDiGraph,
    target: str | Path | IO[str],
    *,
    title: str = "kg",
    around: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_papers: int = 0,
    max_nodes: int = 1500,
) -> GraphCut:
    """Write the viewer page of ``graph`` (UTF-8) to a path (atomically) or an open text file.

    The cut options are those of ``cut_graph``; the returned cut says what
    the page shows. The graph is not changed.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper/a", kind="Paper", label="<b>A</b>", title="<b>A</b>")
    >>> out = io.StringIO()
    >>> write_html(g, out).summary(0)
    'showing 1 of 1 nodes and 0 of 0 edges'
    >>> "<b>A" in out.getvalue(), "\\\\u003cb\\\\u003eA" in out.getvalue()
    (False, True)
    """
    cut = cut_graph(graph, around=around, depth=depth, types=types, min_papers=min_papers, max_nodes=max_nodes)
    html = render_html(*viewer_data(graph, cut, title))
    with open_output(target, "w") as fh:
        fh.write(html)
    return cut
