"""The KGO namespace matches ontology/kg.ttl, and ontology/shapes.ttl checks what it should."""

from decimal import Decimal
from inspect import get_annotations
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

from kg.namespace import ID_BASE, KGO, ONTOLOGY_IRI, SHAPES

ONTOLOGY_DIR = Path(__file__).parents[1] / "ontology"
TERM_NAMES = sorted(get_annotations(KGO))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


def test_namespace_terms_equal_terms_declared_in_ontology(ontology):
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and s in KGO}
    assert declared == {KGO[name] for name in TERM_NAMES}


def test_ontology_declares_itself_and_every_term_is_a_class_or_property(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert str(KGO) == str(ONTOLOGY_IRI) + "#"
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    untyped = [n for n in TERM_NAMES if not kinds & set(ontology.objects(KGO[n], RDF.type))]
    assert untyped == []


def test_misspelt_term_raises_attribute_error():
    with pytest.raises(AttributeError):
        KGO.Papr


@pytest.mark.parametrize("name", TERM_NAMES)
def test_every_term_has_label_and_comment(ontology, name):
    assert ontology.value(KGO[name], RDFS.label) is not None
    assert ontology.value(KGO[name], RDFS.comment) is not None


def test_instance_and_shape_namespaces_are_apart_from_the_ontology():
    assert not ID_BASE.startswith(str(KGO))
    assert SHAPES.PaperShape not in KGO


# A tiny graph that follows the shapes: one paper, five entities (one a
# variant), one result, one mention.
ID = ID_BASE
PAPER = URIRef(ID + "paper/000-001")
CAF = URIRef(ID + "method/constant-acceleration-flow")
RESNET = URIRef(ID + "architecture/resnet")
RESNET50 = URIRef(ID + "architecture/resnet-50")
CIFAR10 = URIRef(ID + "dataset/cifar-10")
FID = URIRef(ID + "metric/fid")
TASK = URIRef(ID + "task/image-generation")
RESULT = URIRef(ID + "result/000-001/0")
MENTION = URIRef(ID + "mention/000-001/0")
SENTENCE = "CAF reaches an FID of 3.55 on CIFAR-10."


def conforming_graph() -> Graph:
    g = Graph()
    g.add((PAPER, RDF.type, KGO.Paper))
    g.add((PAPER, DCTERMS.title, Literal("Constant Acceleration Flow")))
    g.add((PAPER, DCTERMS.abstract, Literal(SENTENCE)))
    g.add((PAPER, DCTERMS.date, Literal("2024-11-01", datatype=XSD.date)))
    g.add((PAPER, KGO.paperId, Literal("000-001")))
    g.add((PAPER, KGO.source, Literal("000-papers.txt:3")))
    g.add((PAPER, KGO.codeRepository, URIRef("https://github.com/example/caf")))
    entities = [
        (CAF, KGO.Method, "Constant Acceleration Flow"),
        (RESNET, KGO.Architecture, "ResNet"),
        (RESNET50, KGO.Architecture, "ResNet-50"),
        (CIFAR10, KGO.Dataset, "CIFAR-10"),
        (FID, KGO.Metric, "FID"),
        (TASK, KGO.Task, "image generation"),
    ]
    for entity, cls, name in entities:
        g.add((entity, RDF.type, cls))
        g.add((entity, RDFS.label, Literal(name)))
        g.add((entity, SKOS.prefLabel, Literal(name)))
        g.add((PAPER, KGO.mentions, entity))
    g.add((CAF, SKOS.altLabel, Literal("CAF")))
    g.add((RESNET50, KGO.variantOf, RESNET))
    g.add((PAPER, KGO.proposes, CAF))

    g.add((PAPER, KGO.reportsResult, RESULT))
    g.add((RESULT, RDF.type, KGO.Result))
    g.add((RESULT, KGO.value, Literal(Decimal("3.55"))))
    g.add((RESULT, KGO.relative, Literal(False)))
    g.add((RESULT, KGO.metric, FID))
    g.add((RESULT, KGO.dataset, CIFAR10))
    g.add((RESULT, KGO.subject, CAF))
    g.add((RESULT, KGO.evidence, Literal(SENTENCE)))
    g.add((RESULT, KGO.confidence, Literal(Decimal("0.9"))))

    g.add((PAPER, KGO.hasMention, MENTION))
    g.add((MENTION, RDF.type, KGO.Mention))
    g.add((MENTION, KGO.mentionOf, CAF))
    g.add((MENTION, KGO.evidence, Literal(SENTENCE)))
    g.add((MENTION, KGO.cue, Literal("acronym")))
    g.add((MENTION, KGO.confidence, Literal(Decimal("1.0"))))
    return g


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None):
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology)
    return conforms, report


def violations(report: Graph) -> set[tuple[URIRef, str]]:
    """(focus node, path) of each top-level violation; an inverse path is written "^path"."""
    found = set()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = "^" + str(report.value(path, SH.inversePath))
        found.add((report.value(result, SH.focusNode), str(path)))
    return found


@pytest.mark.parametrize("with_ontology", [False, True], ids=["data-only", "ontology-mixed-in"])
def test_shapes_accept_conforming_graph(shapes, ontology, with_ontology):
    conforms, report = validate(conforming_graph(), shapes, ontology if with_ontology else None)
    assert conforms, report.serialize(format="turtle")


def _set(subject, predicate, value):
    def mutate(g: Graph) -> None:
        g.set((subject, predicate, value))

    return mutate


def _add(subject, predicate, value):
    def mutate(g: Graph) -> None:
        g.add((subject, predicate, value))

    return mutate


def _remove(subject, predicate):
    def mutate(g: Graph) -> None:
        g.remove((subject, predicate, None))

    return mutate


def _add_second_paper_reporting_result(g: Graph) -> None:
    other = URIRef(ID + "paper/000-002")
    g.add((other, RDF.type, KGO.Paper))
    g.add((other, DCTERMS.title, Literal("Another paper")))
    g.add((other, KGO.paperId, Literal("000-002")))
    g.add((other, KGO.source, Literal("000-papers.txt:5")))
    g.add((other, KGO.reportsResult, RESULT))


FAILING_CASES = {
    "paper-without-title": (_remove(PAPER, DCTERMS.title), PAPER, DCTERMS.title),
    "paper-with-two-titles": (_add(PAPER, DCTERMS.title, Literal("CAF")), PAPER, DCTERMS.title),
    "paper-without-source": (_remove(PAPER, KGO.source), PAPER, KGO.source),
    "paper-without-id": (_remove(PAPER, KGO.paperId), PAPER, KGO.paperId),
    "entity-without-label": (_remove(FID, RDFS.label), FID, RDFS.label),
    "pref-label-differs-from-label": (
        _set(FID, SKOS.prefLabel, Literal("Frechet Inception Distance")),
        FID,
        SKOS.prefLabel,
    ),
    "variant-of-another-type": (_set(RESNET50, KGO.variantOf, CIFAR10), RESNET50, KGO.variantOf),
    "variant-of-two-families": (_add(RESNET50, KGO.variantOf, URIRef(ID + "architecture/x")), RESNET50, KGO.variantOf),
    "result-value-is-string": (_set(RESULT, KGO.value, Literal("3.55")), RESULT, KGO.value),
    "result-value-is-double": (_set(RESULT, KGO.value, Literal(3.55)), RESULT, KGO.value),
    "result-without-value": (_remove(RESULT, KGO.value), RESULT, KGO.value),
    "result-without-relative": (_remove(RESULT, KGO.relative), RESULT, KGO.relative),
    "result-metric-is-dataset": (_set(RESULT, KGO.metric, CIFAR10), RESULT, KGO.metric),
    "result-dataset-is-metric": (_set(RESULT, KGO.dataset, FID), RESULT, KGO.dataset),
    "result-with-two-subjects": (_add(RESULT, KGO.subject, RESNET50), RESULT, KGO.subject),
    "result-subject-is-not-entity": (_set(RESULT, KGO.subject, PAPER), RESULT, KGO.subject),
    "result-without-evidence": (_remove(RESULT, KGO.evidence), RESULT, KGO.evidence),
    "result-reported-by-no-paper": (_remove(PAPER, KGO.reportsResult), RESULT, "^" + str(KGO.reportsResult)),
    "result-reported-by-two-papers": (_add_second_paper_reporting_result, RESULT, "^" + str(KGO.reportsResult)),
    "mention-without-entity": (_remove(MENTION, KGO.mentionOf), MENTION, KGO.mentionOf),
    "mention-without-cue": (_remove(MENTION, KGO.cue), MENTION, KGO.cue),
    "mention-with-two-evidences": (_add(MENTION, KGO.evidence, Literal("CAF.")), MENTION, KGO.evidence),
    "mention-confidence-above-one": (_set(MENTION, KGO.confidence, Literal(Decimal("1.5"))), MENTION, KGO.confidence),
    "mention-confidence-below-zero": (_set(MENTION, KGO.confidence, Literal(Decimal("-0.1"))), MENTION, KGO.confidence),
}


@pytest.mark.parametrize(("mutate", "focus", "path"), FAILING_CASES.values(), ids=FAILING_CASES.keys())
def test_shapes_reject_broken_graph_at_the_broken_property(shapes, mutate, focus, path):
    data = conforming_graph()
    mutate(data)
    conforms, report = validate(data, shapes)
    assert not conforms
    assert (focus, str(path)) in violations(report)
