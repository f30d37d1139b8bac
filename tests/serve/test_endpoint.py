"""The SPARQL endpoint over a real socket, talked to by a real client (SPARQLWrapper) and by raw HTTP.

One server (1 s per query, at most 50 rows) serves the store tests' small
leaderboard corpus for the whole module; answers are read back with
independent readers (pyoxigraph's result parsers, rdflib) and compared
with the same query run on the store in-process.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.serve import make_server
from kg.serve.protocol import is_update
from kg.store.oxigraph import open_store, run_query
from tests.store.conftest import write_build_folder

TIMEOUT_S = 1.0
MAX_ROWS = 50
FID_QUERY = "SELECT ?value WHERE { ?r kgo:metric kg:metric\\/fid ; kgo:value ?value } ORDER BY ?value"
FID_VALUES = [Decimal("9.5"), Decimal("10.2"), Decimal("100")]
DATASET_LABELS = "CONSTRUCT { ?d rdfs:label ?name } WHERE { ?d a kgo:Dataset ; rdfs:label ?name }"
# Four copies of every triple joined with each other: 258^4 rows, hours of work.
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HTML = "<!doctype html><title>kg viewer</title>\n"


def _start(store_dir, **options):
    server = make_server(store_dir, port=0, timeout_s=TIMEOUT_S, max_rows=MAX_ROWS, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """A build folder: store/, kg.html and kg.ttl side by side, as kg build leaves them."""
    return write_build_folder(tmp_path_factory.mktemp("outputs"), HTML)


@pytest.fixture(scope="module")
def server(outputs):
    server = _start(outputs / "store")
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def local_store(outputs):
    return open_store(outputs / "store")


def client(server, query, return_format=JSON, method=GET, request_method=URLENCODED):
    sparql = SPARQLWrapper(server.url)
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    sparql.setTimeout(10)
    return sparql


def http_request(server, path, method="GET", body=None, headers=None):
    """Status, headers and body of one raw request (the path is sent exactly as given)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def query_path(query, **params):
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def solution_values(payload, fmt):
    """The first column of a SELECT answer, read by pyoxigraph's own result parser."""
    return [run_value(solution[0]) for solution in ox.parse_query_results(payload, fmt)]


def run_value(term):
    return Decimal(term.value) if term.datatype.value.endswith("#decimal") else term.value


# --------------------------------------------------------------------------
# Queries, formats and methods
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("return_format", "media_type", "parser_format"),
    [
        (JSON, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        (XML, "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        (CSV, "text/csv", None),
        (TSV, "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_select_answers_in_the_format_sparqlwrapper_asks_for(server, local_store, return_format, media_type,
                                                            parser_format):
    response = client(server, FID_QUERY, return_format).query()
    assert response.info()["content-type"].split(";")[0] == media_type
    payload = response.response.read()
    if parser_format is None:  # CSV loses datatypes: compare lexical forms
        lines = payload.decode("utf-8").split("\r\n")
        assert lines[0] == "value" and lines[1:-1] == [str(v) for v in FID_VALUES] and lines[-1] == ""
    else:
        assert solution_values(payload, parser_format) == FID_VALUES
    assert list(run_query(local_store, FID_QUERY).column("value")) == FID_VALUES


def test_json_answer_converts_to_the_bindings_sparqlwrapper_expects(server):
    converted = client(server, FID_QUERY).queryAndConvert()
    assert converted["head"]["vars"] == ["value"]
    bindings = converted["results"]["bindings"]
    assert [Decimal(b["value"]["value"]) for b in bindings] == FID_VALUES
    assert bindings[0]["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert "kg" not in converted  # not truncated


def test_ask_answers_a_boolean(server):
    assert client(server, "ASK { ?d rdfs:label 'CIFAR-10' }").queryAndConvert()["boolean"] is True
    assert client(server, "ASK { ?d rdfs:label 'MNIST' }").queryAndConvert()["boolean"] is False


def test_construct_is_turtle_with_the_kg_prefixes_declared(server, local_store):
    payload = client(server, DATASET_LABELS, TURTLE).queryAndConvert()
    text = payload.decode("utf-8")
    assert "@prefix kg: <https://w3id.org/kg-ml/id/>" in text
    assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in text
    assert "rdfs:label" in text and "<http://www.w3.org/2000/01/rdf-schema#label>" not in text
    graph = rdflib.Graph().parse(data=text, format="turtle")
    assert {str(o) for o in graph.objects()} == {"CIFAR-10", "ImageNet"}
    assert len(graph) == len(run_query(local_store, DATASET_LABELS))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_in_other_rdf_formats_by_accept(server, accept, rdflib_format):
    status, headers, body = http_request(server, query_path(DATASET_LABELS), headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
    assert {str(o) for o in graph.objects()} == {"CIFAR-10", "ImageNet"}


def test_accept_quality_values_pick_the_format(server):
    accept = "text/csv;q=0.2, application/sparql-results+xml;q=0.9, */*;q=0.1"
    status, headers, _ = http_request(server, query_path(FID_QUERY), headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"


@pytest.mark.parametrize(
    ("method", "request_method"),
    [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)],
    ids=["get", "post-form", "post-direct"],
)
def test_get_and_both_post_forms_give_the_same_answer(server, method, request_method):
    converted = client(server, FID_QUERY, JSON, method, request_method).queryAndConvert()
    assert [Decimal(b["value"]["value"]) for b in converted["results"]["bindings"]] == FID_VALUES


def test_raw_post_forms_are_read_as_the_protocol_says(server):
    form = urllib.parse.urlencode({"query": FID_QUERY}).encode()
    status, _, body = http_request(server, "/sparql", "POST", form,
                                   {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert status == 200 and solution_values(body, ox.QueryResultsFormat.JSON) == FID_VALUES
    status, _, body = http_request(server, "/sparql", "POST", FID_QUERY.encode(),
                                   {"Content-Type": "application/sparql-query"})
    assert status == 200 and solution_values(body, ox.QueryResultsFormat.JSON) == FID_VALUES


def test_unknown_parameters_are_ignored(server):
    sparql = client(server, FID_QUERY)
    sparql.addParameter("frobnicate", "yes")  # on top of the format=, output=, results= it always sends
    assert len(sparql.queryAndConvert()["results"]["bindings"]) == 3
    status, _, body = http_request(server, query_path(FID_QUERY, format="xml", output="csv", timeout="0"))
    assert status == 200 and solution_values(body, ox.QueryResultsFormat.JSON) == FID_VALUES


def test_default_graph_uri_selects_the_dataset(server):
    path = query_path("SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": "urn:kg:no-such-graph"})
    status, _, body = http_request(server, path)
    assert status == 200 and solution_values(body, ox.QueryResultsFormat.JSON) == []


# --------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------


def test_malformed_query_is_a_400_with_the_parser_message(server):
    with pytest.raises(QueryBadFormed) as raised:
        client(server, "SELECT ?x WHERE { ?x kgo:value }").query()
    assert "malformed query" in str(raised.value) and "error at" in str(raised.value)


def test_missing_query_is_a_400(server):
    status, _, body = http_request(server, "/sparql?format=json")
    assert status == 400 and b"no query" in body


INSERT = "PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b ex:c }"


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/sparql", urllib.parse.urlencode({"update": INSERT}).encode(), "application/x-www-form-urlencoded"),
        ("POST", "/sparql", INSERT.encode(), "application/sparql-update"),
        ("GET", query_path(INSERT), None, None),
        ("POST", "/sparql", urllib.parse.urlencode({"query": "DROP ALL"}).encode(), "application/x-www-form-urlencoded"),
    ],
    ids=["update-form", "update-direct", "update-in-query", "drop-in-query-form"],
)
def test_updates_are_refused_with_403(server, local_store, method, path, body, content_type):
    status, _, message = http_request(server, path, method, body, {"Content-Type": content_type} if content_type else {})
    assert status == 403 and b"read-only" in message
    assert not run_query(local_store, "ASK { <urn:ex:a> ?p ?o }").boolean
    assert len(run_query(local_store, "SELECT * WHERE { ?s ?p ?o }")) > 0


def test_sparqlwrapper_update_is_refused(server):
    sparql = client(server, INSERT, method=POST)
    with pytest.raises(urllib.error.HTTPError) as raised:
        sparql.query()
    assert raised.value.code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(server, method):
    status, headers, _ = http_request(server, "/sparql", method, b"", {"Content-Length": "0"})
    assert status == 405 and headers["Allow"] == "GET, POST"


def test_oversized_body_is_a_413_unread(server):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest("POST", "/sparql")
        connection.putheader("Content-Type", "application/sparql-query")
        connection.putheader("Content-Length", str(2_000_000))
        connection.endheaders()  # the body never comes: the limit is checked on the header
        response = connection.getresponse()
        assert response.status == 413 and b"limit" in response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "text",
    ["INSERT DATA { <a:a> <a:b> <a:c> }", "  # note\n PREFIX x: <urn:select> base <urn:b>\ndelete where { ?s ?p ?o }",
     "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "load <http://example.org/x.ttl>", "CLEAR ALL"],
)
def test_updates_are_recognised_after_any_prologue(text):
    assert is_update(text)


@pytest.mark.parametrize(
    "text", ["SELECT ?insert WHERE { ?insert ?p ?o }", "PREFIX insert: <urn:x> ASK {}", "# DROP ALL\nDESCRIBE <urn:a>"]
)
def test_queries_are_not_taken_for_updates(text):
    assert not is_update(text)


# --------------------------------------------------------------------------
# Guards: time limit and row cap
# --------------------------------------------------------------------------


def test_expensive_query_is_stopped_at_the_time_limit_and_the_next_query_works(server):
    started = time.monotonic()
    status, headers, body = http_request(server, query_path(CROSS_JOIN))
    elapsed = time.monotonic() - started
    assert status == 503 and b"1 s limit" in body and headers["Retry-After"] == "1"
    assert elapsed < TIMEOUT_S + 1.0
    started = time.monotonic()
    converted = client(server, FID_QUERY).queryAndConvert()
    assert len(converted["results"]["bindings"]) == 3
    assert time.monotonic() - started < 1.0


def test_more_rows_than_the_cap_are_cut_and_reported(server, local_store):
    total = len(run_query(local_store, "SELECT * WHERE { ?s ?p ?o }"))
    assert total > MAX_ROWS
    response = client(server, "SELECT * WHERE { ?s ?p ?o }").query()
    assert response.info()["X-KG-Truncated"] == "true" and response.info()["X-KG-Max-Rows"] == str(MAX_ROWS)
    converted = response.convert()
    assert len(converted["results"]["bindings"]) == MAX_ROWS
    assert converted["kg"] == {"truncated": True, "max_rows": MAX_ROWS}

    status, headers, body = http_request(server, query_path("SELECT * WHERE { ?s ?p ?o }"),
                                         headers={"Accept": "text/csv"})
    assert headers["X-KG-Truncated"] == "true" and body.count(b"\r\n") == MAX_ROWS + 1

    status, headers, body = http_request(server, query_path("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert headers["X-KG-Truncated"] == "true"
    assert len(rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")) == MAX_ROWS


def test_an_answer_within_the_cap_is_not_marked(server):
    status, headers, _ = http_request(server, query_path(FID_QUERY))
    assert status == 200 and "X-KG-Truncated" not in headers


# --------------------------------------------------------------------------
# Fixed routes, binding, CORS
# --------------------------------------------------------------------------


def test_viewer_and_turtle_dump_are_served(server, local_store):
    status, headers, body = http_request(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and body.decode() == HTML
    status, headers, body = http_request(server, "/kg.ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")) == len(local_store)
    status, headers, body = http_request(server, "/kg.ttl", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


@pytest.mark.parametrize(
    "path", ["/../etc/passwd", "/%2e%2e/etc/passwd", "/store/CURRENT", "/kg.html", "/sparql/../kg.ttl", "/favicon.ico"]
)
def test_only_the_fixed_routes_exist(server, path):
    status, _, body = http_request(server, path)
    assert status == 404 and b"root:" not in body


def test_binds_to_loopback_and_sends_no_cors_headers_by_default(server):
    assert server.server_address[0] == "127.0.0.1"
    status, headers, _ = http_request(server, query_path(FID_QUERY), headers={"Origin": "https://yasgui.org"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert http_request(server, "/sparql", "OPTIONS")[0] == 405


def test_cors_headers_when_asked_for(outputs):
    cors_server = _start(outputs / "store", cors=True, workers=1)
    try:
        status, headers, _ = http_request(cors_server, query_path(FID_QUERY), headers={"Origin": "https://yasgui.org"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert "X-KG-Truncated" in headers["Access-Control-Expose-Headers"]
        status, headers, _ = http_request(cors_server, "/sparql", "OPTIONS", headers={
            "Origin": "https://yasgui.org", "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    finally:
        cors_server.shutdown()
        cors_server.server_close()


def test_a_folder_without_a_store_is_refused(tmp_path):
    from kg.store.oxigraph import StoreError

    with pytest.raises(StoreError):
        make_server(tmp_path / "nothing", port=0)
