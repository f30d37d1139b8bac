"""The on-disk store: loading and swapping, queries, named queries, remote endpoints."""

from __future__ import annotations

import threading
import urllib.parse
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from kg.export.rdf import corpus_triples, write_rdf
from kg.store.named_queries import bind_parameters, list_named_queries, load_named_query
from kg.store.oxigraph import (
    EndpointError,
    StoreError,
    load_store,
    open_store,
    query_endpoint,
    run_query,
    with_prefixes,
)
from kg.store.results import IRI

NAMED_QUERY_NAMES = [q.name for q in list_named_queries()]


def leaderboard(store, **params):
    return run_query(store, bind_parameters(load_named_query("leaderboard"), params))


def count_triples(directory) -> int:
    return len(open_store(directory))


# -- loading -------------------------------------------------------------


def test_store_holds_every_exported_triple(store, corpus):
    assert len(store) == sum(1 for _ in corpus_triples(corpus))


def test_loading_an_ntriples_file_gives_the_same_store(tmp_path, corpus, store):
    path = tmp_path / "kg.nt"
    write_rdf(corpus, path, "ntriples")
    assert load_store(path, tmp_path / "store") == len(store)
    assert run_query(open_store(tmp_path / "store"), "SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }").rows == ((3,),)


@pytest.mark.parametrize("rdf_format, suffix", [("turtle", "ttl"), ("ntriples", "nt")])
@pytest.mark.parametrize("piece_bytes", [1, 300, 10**9])
def test_loading_a_written_file_in_pieces_gives_the_same_store(tmp_path, corpus, store, rdf_format, suffix, piece_bytes):
    path = tmp_path / f"kg.{suffix}"
    write_rdf(corpus, path, rdf_format)
    assert load_store(path, tmp_path / "store", piece_bytes=piece_bytes) == len(store)
    assert set(open_store(tmp_path / "store")) == set(store)


def test_reload_replaces_the_store_and_leaves_no_temporary_directories(tmp_path, corpus):
    directory = tmp_path / "store"
    load_store(corpus, directory)
    smaller = type(corpus)(entities=corpus.entities, papers=corpus.papers[:1])
    count = load_store(smaller, directory)
    assert count_triples(directory) == count < sum(1 for _ in corpus_triples(corpus))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "store"]


def test_failed_load_leaves_the_previous_store_intact(tmp_path, corpus):
    directory = tmp_path / "store"
    before = load_store(corpus, directory)
    broken = tmp_path / "broken.nt"
    broken.write_text('<urn:a> <urn:b> "fine" .\n<urn:a> <urn:b> "unterminated .\n')
    with pytest.raises(SyntaxError):
        load_store(broken, directory)
    assert count_triples(directory) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "broken.nt", "store"]


def test_load_interrupted_while_streaming_a_corpus_leaves_the_previous_store(tmp_path, corpus, monkeypatch):
    directory = tmp_path / "store"
    before = load_store(corpus, directory)

    from kg.export.rdf import corpus_quads

    def failing_quads(corpus_):
        quads = corpus_quads(corpus_)
        for _ in range(20):
            yield next(quads)
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-load

    monkeypatch.setattr("kg.store.oxigraph.corpus_quads", failing_quads)
    with pytest.raises(KeyboardInterrupt):
        load_store(corpus, directory)
    assert count_triples(directory) == before
    assert not list(tmp_path.glob(".store.loading-*"))


@pytest.mark.parametrize("old_name", [".store.old", ".store.old-4242"])
def test_crash_between_the_two_renames_is_recovered_on_open(tmp_path, corpus, old_name):
    directory = tmp_path / "store"
    before = load_store(corpus, directory)
    directory.rename(tmp_path / old_name)  # the state a crash mid-swap leaves
    assert count_triples(directory) == before


def test_load_refuses_to_replace_a_directory_that_is_not_a_store(tmp_path, corpus):
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "graph.ttl").write_text("keep me")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        load_store(corpus, tmp_path / "outputs")
    assert (tmp_path / "outputs" / "graph.ttl").read_text() == "keep me"


def test_open_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no Oxigraph store"):
        open_store(tmp_path / "nowhere")


def test_read_only_store_refuses_updates(store):
    with pytest.raises(Exception):
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


# -- queries --------------------------------------------------------------


def test_predeclared_prefixes_and_python_values(store):
    result = run_query(store, "SELECT ?v WHERE { kg:result\\/fid-1 kgo:value ?v ; kgo:metric ?m . ?m skos:prefLabel 'FID' }")
    assert result.kind == "select" and result.rows == ((Decimal("9.5"),),)


def test_query_may_redeclare_a_prefix(store):
    query = "PREFIX kg: <urn:elsewhere:> ASK { ?s a kgo:Paper FILTER(STRSTARTS(STR(?s), STR(kg:))) }"
    assert run_query(store, query).boolean is False


def test_construct_gives_a_graph_result(store):
    result = run_query(store, "CONSTRUCT { ?d rdfs:label ?n } WHERE { ?d a kgo:Dataset ; rdfs:label ?n }")
    assert result.kind == "graph" and result.variables == ("subject", "predicate", "object")
    assert sorted(row[2] for row in result.rows) == ["CIFAR-10", "ImageNet"]
    assert isinstance(result.rows[0][0], IRI)


def test_malformed_query_raises_syntax_error(store):
    with pytest.raises(SyntaxError):
        run_query(store, "SELECT ?x WHERE { ?x")


@pytest.mark.parametrize(
    ("metric", "dataset", "expected"),
    [
        ("FID", "CIFAR-10", ["9.5", "10.2", "100"]),  # lower is better: ascending, numeric
        ("frechet inception distance", "cifar10", ["9.5", "10.2", "100"]),  # aliases, any case
        ("top-1 accuracy", "ImageNet", ["100", "10.2", "9.5"]),  # higher is better; relative gain left out
        ("Top-1", "imagenet-1k", ["100", "10.2", "9.5"]),
        ("FID", "ImageNet", []),
    ],
)
def test_leaderboard_orders_values_numerically_best_first(store, metric, dataset, expected):
    result = leaderboard(store, metric=metric, dataset=dataset)
    assert [str(v) for v in result.column("value")] == expected


def test_leaderboard_rows_carry_title_subject_unit_and_evidence(store):
    best = leaderboard(store, metric="top-1 accuracy", dataset="ImageNet").records()[0]
    assert best["subject"] == "Model One" and best["unit"] == "%"
    assert best["title"] == "Paper 1: Model 1 for Image Generation"
    assert "100% top-1 accuracy" in best["evidence"]


@pytest.mark.parametrize("hostile", ['FID" ) } } ; DROP ALL #', "FID\\", "FID'", "FID\n} UNION { ?s ?p ?o }"])
def test_parameter_values_are_literals_never_query_syntax(store, hostile):
    assert len(leaderboard(store, metric=hostile, dataset="CIFAR-10")) == 0


@pytest.mark.parametrize("name", NAMED_QUERY_NAMES)
def test_every_named_query_runs_and_finds_something(store, name):
    query = load_named_query(name)
    assert query.description
    values = {p.name: "Paper 1" for p in query.parameters if p.default is None}
    result = run_query(store, bind_parameters(query, values))
    assert result.kind == "select" and len(result) > 0


def test_architecture_family_follows_variants_at_any_depth(store):
    query = bind_parameters(load_named_query("architecture-family"), {"family": "vision transformer"})
    assert sorted(run_query(store, query).column("variant")) == ["ViT", "ViT-B/16@384"]


def test_datasets_counts_papers_per_dataset(store):
    result = run_query(store, bind_parameters(load_named_query("datasets")))
    assert [(r["name"], r["papers"], r["results"]) for r in result.records()] == [("CIFAR-10", 3, 3), ("ImageNet", 2, 4)]


def test_entities_of_a_type_by_paper_count(store):
    result = run_query(store, bind_parameters(load_named_query("entities"), {"type": "architecture"}))
    assert result.records()[0]["papers"] == 1
    assert set(result.column("name")) == {"ViT", "ViT-B/16", "ViT-B/16@384", "ResNet", "ResNet-50"}
    assert dict(zip(result.column("name"), result.column("papers")))["ViT-B/16"] == 0


def test_proposals_filtered_by_title(store):
    result = run_query(store, bind_parameters(load_named_query("proposals"), {"title": "model 2"}))
    assert [(r["name"], r["type"]) for r in result.records()] == [("Model Two", "Method")]


def test_bind_parameters_rejects_unknown_missing_and_non_integer_values():
    with pytest.raises(ValueError, match="no parameter"):
        bind_parameters(load_named_query("datasets"), {"limit": 3})
    with pytest.raises(ValueError, match="needs a value"):
        bind_parameters(load_named_query("paper"))
    from kg.store.named_queries import parse_named_query

    query = parse_named_query("q", "# param: n:integer = 5\nSELECT * WHERE { ?s ?p ?o } LIMIT $n")
    assert bind_parameters(query).endswith("LIMIT 5")
    with pytest.raises(ValueError, match="integer"):
        bind_parameters(query, {"n": "5 } DROP ALL"})


def test_named_query_by_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="leaderboard"):
        load_named_query("leaderbord")


# -- remote endpoints -------------------------------------------------------


class _SparqlHandler(BaseHTTPRequestHandler):
    """A minimal SPARQL 1.1 protocol endpoint over a pyoxigraph store (POST form only)."""

    store: ox.Store

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        try:
            answer = self.store.query(form["query"][0])
        except SyntaxError as error:
            self._reply(400, "text/plain", str(error).encode())
            return
        if isinstance(answer, ox.QueryTriples):
            self._reply(200, "application/n-triples", answer.serialize(format=ox.RdfFormat.N_TRIPLES))
        else:
            self._reply(200, "application/sparql-results+json", answer.serialize(format=ox.QueryResultsFormat.JSON))

    def _reply(self, status, media_type, body):
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def endpoint(store):
    handler = type("Handler", (_SparqlHandler,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_endpoint_answers_equal_local_answers(endpoint, store):
    query = bind_parameters(load_named_query("leaderboard"))
    remote = query_endpoint(endpoint, query)
    assert remote == run_query(store, query)
    assert [str(v) for v in remote.column("value")] == ["9.5", "10.2", "100"]


def test_endpoint_ask_and_construct(endpoint, store):
    assert query_endpoint(endpoint, "ASK { ?p a kgo:Paper }").boolean is True
    construct = "CONSTRUCT { ?d rdfs:label ?n } WHERE { ?d a kgo:Dataset ; rdfs:label ?n }"
    assert sorted(query_endpoint(endpoint, construct).rows) == sorted(run_query(store, construct).rows)


def test_endpoint_error_carries_the_endpoint_message(endpoint):
    with pytest.raises(EndpointError, match="400"):
        query_endpoint(endpoint, "SELECT ?x WHERE { ?x")


def test_unreachable_endpoint_is_an_endpoint_error():
    with pytest.raises(EndpointError, match="cannot query"):
        query_endpoint("http://127.0.0.1:9/sparql", "ASK {}", timeout=2)


def test_with_prefixes_adds_only_undeclared_prefixes():
    text = with_prefixes("prefix kgo: <urn:x#>\nASK {}")
    assert text.count("PREFIX kgo:") == 0 and "PREFIX kg: <https://w3id.org/kg-ml/id/>" in text
