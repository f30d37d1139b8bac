"""write_gexf: GEXF with viz colours, sizes and positions, edge kinds and a timeline."""

import re

import networkx as nx
import pytest
from lxml import etree

from kg.export.gexf import write_gexf
from kg.export.style import hex_to_rgb, kind_color

NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}


@pytest.fixture
def written(graph, tmp_path):
    path = tmp_path / "kg.gexf"
    write_gexf(graph, path)
    return path


def test_gexf_reads_back_with_every_node_and_edge(graph, written):
    back = nx.read_gexf(written)
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert set(back.nodes) == set(graph.nodes)


def test_gexf_nodes_carry_viz_colour_size_and_position(graph, written):
    back = nx.read_gexf(written)
    for node, data in back.nodes(data=True):
        kind = graph.nodes[node]["kind"]
        assert data["label"] == graph.nodes[node]["label"]
        assert data["type"] == kind
        color = data["viz"]["color"]
        assert (color["r"], color["g"], color["b"]) == hex_to_rgb(kind_color(kind))
        assert data["viz"]["size"] >= 5
        assert abs(data["viz"]["position"]["x"]) <= 1000
    hexes = [c.get("hex") for c in etree.parse(str(written)).iterfind(".//viz:color", NS)]
    assert len(hexes) == graph.number_of_nodes() and all(re.fullmatch(r"#[0-9a-f]{6}", h) for h in hexes)


def test_gexf_edges_have_unique_ids_and_relation_as_kind(graph, written):
    edges = list(etree.parse(str(written)).iterfind(".//g:edge", NS))
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == graph.number_of_edges()
    assert sorted(e.get("kind") for e in edges) == sorted(d["relation"] for _, _, d in graph.edges(data=True))
    titles = [a.get("title") for a in etree.parse(str(written)).iterfind(".//g:attribute", NS)]
    assert "networkx_key" not in titles


def test_gexf_dates_papers_and_what_they_bring_for_the_timeline(written):
    tree = etree.parse(str(written))
    graph_element = tree.find("g:graph", NS)
    assert graph_element.get("mode") == "dynamic" and graph_element.get("timeformat") == "date"
    starts = {n.get("id"): n.get("start") for n in tree.iterfind(".//g:node", NS)}
    assert starts["paper/aaa"] == "2023-03-02"
    assert starts["paper/bbb"] is None, "an undated paper is always visible"
    assert starts["dataset/cifar-10"] == "2021-05-11", "an entity starts with its earliest paper"
    assert starts["result/r1"] == "2023-03-02"
    assert starts["task/unnamed"] is None


def test_gexf_flattens_attributes(written):
    back = nx.read_gexf(written)
    assert back.nodes["dataset/cifar-10"]["aliases"] == "CIFAR10; CIFAR 10"
    assert back.nodes["result/r1"]["value"] == 3.55
    assert back.nodes["paper/bbb"]["code_urls"] == "javascript:alert(1); https://github.com/x/y"
    for _, data in back.nodes(data=True):
        assert not any(v is None or isinstance(v, (list, tuple)) for k, v in data.items() if k != "viz")


def test_gexf_export_leaves_the_graph_unchanged(graph, graph_before, take_snapshot, tmp_path):
    write_gexf(graph, tmp_path / "kg.gexf")
    assert take_snapshot(graph) == graph_before


def test_gexf_is_static_when_no_paper_has_a_readable_date(graph, tmp_path):
    for _, data in graph.nodes(data=True):
        if data["kind"] == "Paper":
            data["date"] = "Mar 13"
    write_gexf(graph, tmp_path / "kg.gexf")
    graph_element = etree.parse(str(tmp_path / "kg.gexf")).find("g:graph", NS)
    assert graph_element.get("mode") == "static" and graph_element.get("timeformat") is None
