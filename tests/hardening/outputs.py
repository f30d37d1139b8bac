"""Every output of a build read back by an independent reader, for the hardening tests.

Turtle with rdflib, GraphML with networkx, JSON Lines and JSON with the
standard library (a line at a time, as ``for line in file`` reads them),
the viewer with lxml's HTML parser (its data blob with ``json``), and the
store with pyoxigraph. Each reader raises if its file does not parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import rdflib
from lxml import html as lxml_html
from rdflib.namespace import DCTERMS

from kg.namespace import KGO

HTML_MARKER = "kg-hostile"  # hostile strings carry it, so injected markup is easy to spot


@dataclass
class BuildOutputs:
    """The parsed outputs of one build."""

    turtle: rdflib.Graph
    graphml: nx.MultiDiGraph
    papers: list[dict[str, Any]]
    extractions: list[dict[str, Any]]
    summary: dict[str, Any]
    viewer_data: Any
    viewer_scripts: list[str]
    store_titles: list[str]

    def titles(self) -> set[str]:
        """Every ``dcterms:title`` of a paper in the Turtle, as Python strings."""
        return {str(title) for paper in self.turtle.subjects(rdflib.RDF.type, KGO.Paper)
                for title in self.turtle.objects(paper, DCTERMS.title)}

    def abstracts(self) -> set[str]:
        return {str(abstract) for abstract in self.turtle.objects(None, DCTERMS.abstract)}

    def graphml_paper_labels(self) -> set[str]:
        return {data["label"] for _, data in self.graphml.nodes(data=True) if data.get("type") == "Paper"}


def json_lines(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def strings_in(value: Any) -> set[str]:
    """Every string anywhere inside a decoded JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values()), set(value))
    if isinstance(value, list):
        return set().union(set(), *(strings_in(v) for v in value))
    return set()


def read_outputs(out: Path) -> BuildOutputs:
    """Parse every output ``kg build`` wrote into ``out`` (Turtle, GraphML, HTML, JSON Lines, JSON, store)."""
    from kg.store.oxigraph import open_store, run_query

    turtle = rdflib.Graph().parse(out / "kg.ttl", format="turtle")
    graphml = nx.read_graphml(out / "kg.graphml", force_multigraph=True)
    page = lxml_html.fromstring((out / "kg.html").read_bytes())
    blobs = page.xpath("//script[@type='application/json']")
    assert len(blobs) == 1, "the viewer has one data blob"
    viewer_data = json.loads(blobs[0].text)
    scripts = [s.text or "" for s in page.xpath("//script[not(@type='application/json')]")]
    store = open_store(out / "store")
    try:
        titles = [row[0] for row in run_query(store, "SELECT ?t WHERE { ?p a kgo:Paper ; dcterms:title ?t }").rows]
    finally:
        del store
    return BuildOutputs(
        turtle=turtle,
        graphml=graphml,
        papers=json_lines(out / "papers.jsonl"),
        extractions=json_lines(out / "extractions.jsonl"),
        summary=json.loads((out / "summary.json").read_text(encoding="utf-8")),
        viewer_data=viewer_data,
        viewer_scripts=scripts,
        store_titles=titles,
    )
