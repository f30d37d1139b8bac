"""write_graphml: GraphML that networkx reads back whole and Gephi/Gephi Lite read as meant."""

import io
import re

import networkx as nx
import pytest
from lxml import etree

from kg.export.graphml import write_graphml
from kg.export.style import kind_color

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture
def written(graph, tmp_path):
    path = tmp_path / "kg.graphml"
    write_graphml(graph, path)
    return path


def test_graphml_reads_back_with_every_node_and_edge(graph, written):
    back = nx.read_graphml(written, force_multigraph=True)
    assert back.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert set(back.nodes) == set(graph.nodes)


def test_graphml_edge_ids_are_unique_across_the_file(written):
    ids = [e.get("id") for e in etree.parse(str(written)).iterfind(".//g:edge", NS)]
    assert all(ids) and len(ids) == len(set(ids))


def test_graphml_keys_declare_for_and_name_and_graph_is_directed(written):
    tree = etree.parse(str(written))
    keys = tree.findall("g:key", NS)
    assert keys and all(k.get("for") in ("node", "edge") and k.get("attr.name") for k in keys)
    assert {k.get("attr.type") for k in keys} <= {"boolean", "int", "long", "float", "double", "string"}
    names = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(names) == len(set(names)), "one key per attribute name and scope"
    assert tree.find("g:graph", NS).get("edgedefault") == "directed"


def test_graphml_nodes_carry_gephi_visual_columns(graph, written):
    back = nx.read_graphml(written, force_multigraph=True)
    for node, data in back.nodes(data=True):
        kind = graph.nodes[node]["kind"]
        assert data["label"] == graph.nodes[node]["label"]
        assert data["type"] == kind and "kind" not in data
        assert re.fullmatch(r"#[0-9a-f]{6}", data["color"]) and data["color"] == kind_color(kind)
        assert (data["r"], data["g"], data["b"]) == tuple(int(data["color"][i : i + 2], 16) for i in (1, 3, 5))
        assert data["size"] >= 5 and abs(data["x"]) <= 1000 and abs(data["y"]) <= 1000
    sizes = {n: d["size"] for n, d in back.nodes(data=True)}
    assert sizes["dataset/cifar-10"] > sizes["task/unnamed"], "size grows with degree"


def test_graphml_edges_keep_relation_and_weight(graph, written):
    back = nx.read_graphml(written, force_multigraph=True)
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    assert relations == sorted(d["relation"] for _, _, d in graph.edges(data=True))
    assert all(d["weight"] == 1.0 for _, _, d in back.edges(data=True))
    parallel = back.get_edge_data("paper/aaa", "method/consistency-model")
    assert sorted(d["relation"] for d in parallel.values()) == ["mentions", "proposes"]


def test_graphml_flattens_tuples_decimals_and_drops_none(graph, written):
    back = nx.read_graphml(written, force_multigraph=True)
    for _, data in back.nodes(data=True):
        assert not any(isinstance(v, (list, tuple, dict)) or v is None for v in data.values())
    assert back.nodes["dataset/cifar-10"]["aliases"] == "CIFAR10; CIFAR 10"
    assert back.nodes["result/r1"]["value"] == 3.55
    assert back.nodes["result/r1"]["relative"] is False
    assert "description" not in back.nodes["dataset/cifar-10"]
    assert back.nodes["paper/bbb"]["label"] == graph.nodes["paper/bbb"]["label"]


def test_graphml_export_leaves_the_graph_unchanged(graph, graph_before, take_snapshot, tmp_path):
    write_graphml(graph, tmp_path / "kg.graphml")
    assert take_snapshot(graph) == graph_before


@pytest.mark.parametrize("stream", [io.BytesIO, io.StringIO])
def test_graphml_writes_to_open_binary_and_text_files(graph, stream):
    out = stream()
    write_graphml(graph, out)
    data = out.getvalue().encode() if isinstance(out, io.StringIO) else out.getvalue()
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert back.number_of_edges() == graph.number_of_edges()


def test_graphml_drops_characters_xml_forbids(graph, tmp_path):
    graph.nodes["paper/aaa"]["abstract"] = "form\x0cfeed and a NUL\x00 byte"
    write_graphml(graph, tmp_path / "kg.graphml")
    back = nx.read_graphml(tmp_path / "kg.graphml", force_multigraph=True)
    assert back.nodes["paper/aaa"]["abstract"] == "formfeed and a NUL byte"


def test_graphml_uses_given_positions(graph, tmp_path):
    positions = {node: (float(i), -float(i)) for i, node in enumerate(graph.nodes)}
    write_graphml(graph, tmp_path / "kg.graphml", positions=positions)
    back = nx.read_graphml(tmp_path / "kg.graphml", force_multigraph=True)
    assert {n: (d["x"], d["y"]) for n, d in back.nodes(data=True)} == positions
