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


def _odd_graph() -> nx.MultiDiGraph:
    """Columns of mixed types, missing labels and kinds, markup and carriage returns in text and ids."""
    from decimal import Decimal

    odd = nx.MultiDiGraph()
    odd.add_node('p"&<1>\t', kind="Paper", label=3, x="left", papers=1, type="zz", v=Decimal("NaN"), t=(), l=[None, "q"])
    odd.add_node("b", papers=2.5, flag=True, kind="", extra={"k": 1})
    odd.add_node("c", flag=1, label="c\r<&>", kind="Method", aliases={"b", "a"})
    odd.add_edge('p"&<1>\t', "b", key="mentions", relation="mentions", weight=2, evidence="x\r]]>y")
    odd.add_edge("b", "c", key="z", confidence=1, weight="3")
    odd.add_edge("c", "c")
    return odd


@pytest.mark.parametrize("make", ["fixture", "synthetic", "odd"])
def test_graphml_stream_is_byte_identical_to_networkx_writing_the_gephi_copy(make, graph, make_synthetic_graph):
    from kg.export.graphml import gephi_graph

    source = {"fixture": graph, "synthetic": make_synthetic_graph(papers=300, entities=120), "odd": _odd_graph()}[make]
    positions = {node: (float(i), 0.5 - i) for i, node in enumerate(source.nodes)}
    streamed, reference = io.BytesIO(), io.BytesIO()
    write_graphml(source, streamed, positions=positions)
    nx.write_graphml(gephi_graph(source, positions), reference, encoding="utf-8")
    assert streamed.getvalue() == reference.getvalue()
