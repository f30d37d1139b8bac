"""Result formats: the text table, SPARQL CSV and SPARQL JSON, read back by independent readers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.store.formats import format_csv, format_json, format_rdf, format_result, format_table
from kg.store.oxigraph import query_result
from kg.store.results import XSD, IRI, BlankNode, LangString, QueryResult, TypedLiteral, literal_value

VALUES = {
    "iri": IRI("https://w3id.org/kg-ml/id/dataset/cifar-10"),
    "bnode": BlankNode("b0"),
    "string": 'say "hi",\nthen leave',
    "lang": LangString("bonjour", "fr"),
    "typed": TypedLiteral("2024-01-31T10:00:00", XSD + "dateTime"),
    "decimal": Decimal("3.50"),
    "integer": 42,
    "double": 1.5e-07,
    "boolean": False,
    "date": date(2024, 1, 31),
}
MIXED = QueryResult("select", tuple(VALUES), (tuple(VALUES.values()), tuple(None for _ in VALUES)))


def test_json_is_sparql_json_that_pyoxigraph_reads_back_to_equal_values():
    text = format_json(MIXED)
    assert json.loads(text)["head"]["vars"] == list(VALUES)
    assert query_result(ox.parse_query_results(text, ox.QueryResultsFormat.JSON)) == MIXED


def test_json_writes_ask_results_as_boolean():
    assert json.loads(format_json(QueryResult("ask", boolean=True))) == {"head": {}, "boolean": True}
    assert query_result(ox.parse_query_results(format_json(QueryResult("ask", boolean=False)), ox.QueryResultsFormat.JSON)).boolean is False


def test_csv_reads_back_with_the_csv_module():
    rows = list(csv.reader(io.StringIO(format_csv(MIXED), newline="")))
    assert rows[0] == list(VALUES)
    assert rows[1] == [
        "https://w3id.org/kg-ml/id/dataset/cifar-10", "_:b0", 'say "hi",\nthen leave', "bonjour",
        "2024-01-31T10:00:00", "3.50", "42", "1.5e-07", "false", "2024-01-31",
    ]  # fmt: skip
    assert rows[2] == [""] * len(VALUES)
    assert format_csv(MIXED).count("\r\n") == 3


def test_csv_of_ask_result():
    assert format_csv(QueryResult("ask", boolean=True)) == "boolean\r\ntrue\r\n"


def test_table_aligns_columns_and_right_aligns_numbers():
    result = QueryResult(
        "select",
        ("name", "papers", "dataset"),
        (
            ("CIFAR-10", 12, IRI("https://w3id.org/kg-ml/id/dataset/cifar-10")),
            ("ImageNet 64x64", 3, IRI("http://example.org/x")),
            ("MNIST", None, None),
        ),
    )
    lines = format_table(result).splitlines()
    assert lines == [
        "name           papers dataset",
        "-------------- ------ ----------------------",
        "CIFAR-10           12 kg:dataset/cifar-10",
        "ImageNet 64x64      3 <http://example.org/x>",
        "MNIST",
        "(3 rows)",
    ]


def test_table_truncates_long_cells_and_flattens_line_breaks():
    result = QueryResult("select", ("evidence",), (("first line\nsecond\tline " + "x" * 100,),))
    cell = format_table(result, max_width=20).splitlines()[2]
    assert cell == "first line second l…" and len(cell) == 20


def test_table_of_ask_and_empty_results():
    assert format_table(QueryResult("ask", boolean=False)) == "false\n"
    assert format_table(QueryResult("select", ("a", "b"))).splitlines() == ["a b", "- -", "(0 rows)"]


def test_graph_result_as_turtle_reads_back_in_rdflib():
    rows = (
        (IRI("https://w3id.org/kg-ml/id/metric/fid"), IRI("http://www.w3.org/2000/01/rdf-schema#label"), "FID"),
        (IRI("https://w3id.org/kg-ml/id/result/r1"), IRI("https://w3id.org/kg-ml/ontology#value"), Decimal("3.55")),
        (BlankNode("n1"), IRI("http://www.w3.org/2000/01/rdf-schema#label"), LangString("étiquette", "fr")),
    )
    result = QueryResult("graph", ("subject", "predicate", "object"), rows)
    for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt")):
        graph = Graph().parse(data=format_rdf(result, fmt), format=rdflib_format)
        assert len(graph) == 3
        assert {o.toPython() for o in graph.objects()} == {"FID", Decimal("3.55"), "étiquette"}


def test_format_rdf_refuses_select_results():
    with pytest.raises(ValueError, match="graph"):
        format_rdf(MIXED)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_format_result_dispatches_and_ends_in_a_newline(fmt):
    assert format_result(MIXED, fmt).endswith("\n")
    assert format_result(QueryResult("ask", boolean=True), fmt).endswith("\n")
    with pytest.raises(ValueError, match="unknown output format"):
        format_result(MIXED, "xml")


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("3.50", XSD + "decimal", Decimal("3.50")),
        ("-7", XSD + "integer", -7),
        ("1.0E3", XSD + "double", 1000.0),
        ("1", XSD + "boolean", True),
        ("2024-02-29", XSD + "date", date(2024, 2, 29)),
        ("2024-02-30", XSD + "date", TypedLiteral("2024-02-30", XSD + "date")),
        ("abc", XSD + "integer", TypedLiteral("abc", XSD + "integer")),
        ("text", None, "text"),
    ],
)
def test_literal_values(lexical, datatype, expected):
    value = literal_value(lexical, datatype)
    assert value == expected and type(value) is type(expected)
