"""The RDF export: round trips through rdflib, exact literals, valid IRIs, SHACL shapes."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from tests.export.conftest_rdf import HOSTILE_NAMES, hostile_corpus, small_corpus
from kg.export.rdf import PREFIXES, corpus_triples, key_iri, mention_key, write_rdf
from kg.graph.model import paper_key
from kg.namespace import ID_BASE, KGO
from kg.records import Corpus

# A plain Namespace: pytest's collection probes module attributes, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SHAPES = Path(__file__).parents[2] / "ontology" / "shapes.ttl"
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
CORPORA = {"small": small_corpus, "hostile": hostile_corpus}

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own JSON-LD parser


def exported(corpus: Corpus, fmt: str) -> tuple[bytes, int]:
    out = io.BytesIO()
    count = write_rdf(corpus, out, fmt)
    return out.getvalue(), count


def read_back(data: bytes, fmt: str) -> Graph:
    return Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])


@pytest.fixture(scope="module")
def small_graph() -> Graph:
    return read_back(exported(small_corpus(), "turtle")[0], "turtle")


@pytest.mark.parametrize("corpus_name", sorted(CORPORA))
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_every_format_reads_back_as_the_same_graph(corpus_name, fmt):
    corpus = CORPORA[corpus_name]()
    reference = read_back(exported(corpus, "ntriples")[0], "ntriples")
    data, count = exported(corpus, fmt)
    graph = read_back(data, fmt)
    assert len(graph) == count == len(reference)
    assert isomorphic(graph, reference)


def test_triples_stream_matches_written_count():
    corpus = small_corpus()
    assert sum(1 for _ in corpus_triples(corpus)) == exported(corpus, "turtle")[1]


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_output_is_byte_identical_across_runs_and_paper_order(fmt):
    corpus = small_corpus()
    shuffled = Corpus(entities=dict(reversed(corpus.entities.items())), papers=tuple(reversed(corpus.papers)))
    assert exported(corpus, fmt)[0] == exported(corpus, fmt)[0] == exported(shuffled, fmt)[0]


def test_turtle_declares_readable_prefixes_sorted():
    text = exported(small_corpus(), "turtle")[0].decode()
    header = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert header == sorted(header)
    assert {line.split()[1].rstrip(":") for line in header} == set(PREFIXES)
    assert "kg:dataset\\/cifar-10 a kgo:Dataset" in text
    assert text.count("@prefix") == len(PREFIXES)


def test_result_is_a_node_with_decimal_value_metric_dataset_subject(small_graph):
    paper = URIRef(key_iri(paper_key("Consistency Models")))
    result = URIRef(ID_BASE + "result/cm-in64")
    assert (paper, KGO.reportsResult, result) in small_graph
    value = small_graph.value(result, KGO.value)
    assert value.datatype == XSD.decimal and str(value) == "6.20" and value.toPython() == Decimal("6.20")
    assert small_graph.value(result, KGO.metric) == URIRef(ID_BASE + "metric/fid")
    assert small_graph.value(result, KGO.dataset) == URIRef(ID_BASE + "dataset/imagenet-64")
    assert small_graph.value(result, KGO.subject) == URIRef(ID_BASE + "method/consistency-models")
    assert small_graph.value(result, KGO.relative) == Literal(False)
    assert small_graph.value(result, RDFS.label) == Literal("FID 6.20 on ImageNet 64x64")


def test_relative_result_keeps_unit_and_flag(small_graph):
    result = URIRef(ID_BASE + "result/rn-gain")
    assert small_graph.value(result, KGO.relative) == Literal(True)
    assert small_graph.value(result, KGO.unit) == Literal("%")
    assert small_graph.value(result, KGO.subject) is None


def test_each_mention_has_a_mention_node_with_evidence(small_graph):
    pkey = paper_key("Consistency Models")
    paper = URIRef(key_iri(pkey))
    entity = URIRef(ID_BASE + "task/image-generation")
    node = URIRef(key_iri(mention_key(pkey, "task/image-generation")))
    assert (paper, KGO.mentions, entity) in small_graph
    assert (paper, KGO.hasMention, node) in small_graph
    assert (node, RDF.type, KGO.Mention) in small_graph
    assert small_graph.value(node, KGO.mentionOf) == entity
    assert small_graph.value(node, KGO.evidence) == Literal("Consistency models generate images.")
    assert small_graph.value(node, KGO.cue) == Literal("context:task")
    assert small_graph.value(node, KGO.confidence) == Literal("0.55", datatype=XSD.decimal)


def test_proposed_entity_is_also_mentioned(small_graph):
    paper = URIRef(key_iri(paper_key("Deep Residual Learning")))
    resnet = URIRef(ID_BASE + "architecture/resnet")
    assert (paper, KGO.proposes, resnet) in small_graph
    assert (paper, KGO.mentions, resnet) in small_graph


def test_entities_have_labels_aliases_and_families(small_graph):
    cifar = URIRef(ID_BASE + "dataset/cifar-10")
    assert small_graph.value(cifar, RDFS.label) == small_graph.value(cifar, SKOS.prefLabel) == Literal("CIFAR-10")
    assert set(small_graph.objects(cifar, SKOS.altLabel)) == {Literal("CIFAR10")}
    variant = URIRef(ID_BASE + "architecture/resnet-50")
    assert small_graph.value(variant, KGO.variantOf) == URIRef(ID_BASE + "architecture/resnet")


def test_iso_date_is_xsd_date_and_other_dates_stay_strings(small_graph):
    dates = {str(d): d.datatype for d in small_graph.objects(None, URIRef("http://purl.org/dc/terms/date"))}
    assert dates == {"2023-03-02": XSD.date, "Dec 2015": None}


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_hostile_names_give_valid_iris_and_exact_literals(fmt):
    corpus = hostile_corpus()
    graph = read_back(exported(corpus, fmt)[0], fmt)
    forbidden = set(' "<>{}|^`\\\n\r\t')
    iris = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    assert iris and all(not forbidden & set(str(iri)) for iri in iris)
    for key, entity in corpus.entities.items():
        node = URIRef(key_iri(key))
        assert graph.value(node, RDFS.label) == Literal(entity.name)
        assert set(graph.objects(node, SKOS.altLabel)) == {Literal(alias) for alias in entity.aliases}
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert set(HOSTILE_NAMES) <= labels
    resolved = corpus.papers[0]
    paper = URIRef(key_iri(paper_key(resolved.paper.title)))
    assert graph.value(paper, URIRef("http://purl.org/dc/terms/title")) == Literal(resolved.paper.title)
    assert graph.value(paper, KGO.paperId) == Literal('x y"z')
    assert graph.value(paper, URIRef("https://schema.org/url")) == URIRef("https://example.org/a%20b/%22c%22%3Cd%3E?q=%25zz")
    assert set(graph.objects(paper, KGO.codeRepository)) == {URIRef("https://github.com/a/b%20c")}
    result = URIRef(key_iri('result/hostile "1"'))
    assert graph.value(result, KGO.value) == Literal("100", datatype=XSD.decimal)
    assert graph.value(result, KGO.unit) == Literal('"%"')


@pytest.mark.parametrize(
    "key",
    ["dataset/cifar-10", "a b", 'q"uote', "<x>", "100%", "%25", "./..", "end.", "ünï/cöde", "a//b", "tab\tnl\n"],
)
def test_key_iri_is_a_valid_iri_and_injective(key):
    iri = key_iri(key)
    assert iri.startswith(ID_BASE) and iri.isascii()
    assert not set(' "<>{}|^`\\\n\r\t') & set(iri)
    assert all(key_iri(other) != iri for other in ["dataset/cifar-10", "a%20b", "%2525", "end%2E"] if other != key)


def test_dangling_entity_keys_are_left_out_with_a_warning(caplog):
    corpus = small_corpus()
    entities = dict(corpus.entities)
    del entities["metric/fid"]
    graph = read_back(exported(Corpus(entities=entities, papers=corpus.papers), "ntriples")[0], "ntriples")
    fid = URIRef(ID_BASE + "metric/fid")
    assert not any(fid in triple for triple in graph)
    assert "metric/fid" in caplog.text
    assert graph.value(URIRef(ID_BASE + "result/cm-cifar"), RDFS.label) == Literal("value 3.55 on CIFAR-10")


def test_write_rdf_to_path_and_text_stream_agree(tmp_path):
    corpus = hostile_corpus()
    path = tmp_path / "out" / "kg.ttl"
    write_rdf(corpus, path)
    text = io.StringIO()
    write_rdf(corpus, text, "turtle")
    assert path.read_bytes() == text.getvalue().encode("utf-8") == exported(corpus, "turtle")[0]
    assert [p.name for p in path.parent.iterdir()] == ["kg.ttl"]  # no temp file left


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_rdf(small_corpus(), io.BytesIO(), "rdfxml")


@pytest.mark.parametrize("corpus_name", sorted(CORPORA))
def test_export_conforms_to_shacl_shapes(corpus_name):
    pyshacl = pytest.importorskip("pyshacl")
    data = read_back(exported(CORPORA[corpus_name](), "turtle")[0], "turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=str(SHAPES), shacl_graph_format="turtle")
    assert conforms, report


def test_result_link_to_an_entity_of_the_wrong_type_is_left_out(caplog):
    corpus = small_corpus()
    first = corpus.papers[0]
    wrong = replace(first.results[0], metric="dataset/imagenet")
    papers = (replace(first, results=(wrong,)),) + corpus.papers[1:]
    graph = read_back(exported(Corpus(corpus.entities, papers), "ntriples")[0], "ntriples")
    result = URIRef(key_iri(wrong.key))
    assert graph.value(result, KGO.metric) is None
    assert graph.value(result, KGO.dataset) == URIRef(ID_BASE + "dataset/cifar-10")
    assert graph.value(result, RDFS.label) == Literal("value 3.55 on CIFAR-10")
    assert "wrong type" in caplog.text and "metric dataset/imagenet" in caplog.text


def test_shacl_shapes_catch_a_result_whose_metric_is_a_dataset(small_graph):
    pyshacl = pytest.importorskip("pyshacl")
    data = Graph()
    data += small_graph
    data.add((URIRef(ID_BASE + "result/cm-cifar"), KGO.metric, URIRef(ID_BASE + "dataset/imagenet")))
    conforms, _, _ = pyshacl.validate(data, shacl_graph=str(SHAPES), shacl_graph_format="turtle")
    assert not conforms
