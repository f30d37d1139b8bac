"""The command line end to end on ../shared/corpus: build, query, eval, failure safety, determinism."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "outputs"
    result = CliRunner().invoke(main, ["build", str(CORPUS), "-o", str(out), "-f", "ttl", "-f", "nt"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_writes_every_output_and_a_summary(built):
    out, printed = built
    for name in ("kg.ttl", "kg.nt", "kg.graphml", "kg.html", "papers.jsonl", "summary.json", "store"):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["papers"] > 300 and summary["duplicates_merged"] > 0
    assert all(summary["entities"][t] > 10 for t in ("Method", "Architecture", "Dataset", "Metric", "Task"))
    assert summary["results"] > 50
    assert "papers" in printed and "entities" in printed
    assert not list(out.glob(".staging-*"))


def test_per_paper_records_follow_the_gold_format(built):
    out, _ = built
    records = [json.loads(line) for line in (out / "papers.jsonl").read_text().splitlines()]
    assert len(records) > 300
    first = records[0]
    assert {"id", "title", "entities", "proposes", "results"} <= set(first)
    assert all({"name", "type", "aliases"} <= set(e) for r in records for e in r["entities"])
    assert all(isinstance(res["value"], (int, float)) for r in records for res in r["results"])


def test_turtle_parses_and_counts_papers(built):
    import rdflib

    out, _ = built
    graph = rdflib.Graph().parse(out / "kg.ttl", format="turtle")
    papers = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/kg-ml/ontology#Paper")))
    assert len(papers) == json.loads((out / "summary.json").read_text())["papers"]


def test_query_named_and_raw_sparql_on_the_store(built):
    out, _ = built
    runner = CliRunner()
    datasets = runner.invoke(main, ["query", "--named", "datasets", "-s", str(out / "store"), "-f", "csv"])
    assert datasets.exit_code == 0, datasets.output
    assert "ImageNet" in datasets.output
    raw = runner.invoke(main, ["query", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kgo:Paper }", "-s", str(out / "store"), "-f", "json"])
    assert raw.exit_code == 0, raw.output
    count = json.loads(raw.output)["results"]["bindings"][0]["n"]["value"]
    assert int(count) > 300
    bad = runner.invoke(main, ["query", "SELECT WHERE {", "-s", str(out / "store")])
    assert bad.exit_code != 0 and "query failed" in bad.output


def test_eval_scores_the_build_like_the_reference_scorer(built):
    out, _ = built
    gold = SHARED / "gold" / "dev.jsonl"
    result = CliRunner().invoke(main, ["eval", str(gold), str(out / "papers.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["papers"]["predicted"] == scores["papers"]["gold"]
    assert scores["typed"]["f1"] >= 0.60 and scores["untyped"]["f1"] >= 0.70


def test_failed_build_leaves_previous_outputs_untouched(built, tmp_path):
    out, _ = built
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok", "abstract": "fine"}\n{broken\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(CORPUS), str(bad), "-o", str(out)])
    assert result.exit_code != 0
    assert f"{bad}:2" in result.output and "nothing was written" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


def test_build_is_deterministic_byte_for_byte(built, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["build", str(CORPUS), "-o", str(again), "-f", "ttl", "-f", "nt", "-q"])
    assert result.exit_code == 0, result.output
    for name in ("kg.ttl", "kg.nt", "kg.graphml", "kg.html", "papers.jsonl"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_help_is_instant_and_teaches():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "--skip-bad" in result.output and "--update" in result.output and "Example" in result.output


def test_update_adds_new_pages_like_a_full_build_and_is_idempotent(tmp_path):
    first, second = sorted(CORPUS.glob("*.txt"))[1:3]
    runner = CliRunner()
    updated, full = tmp_path / "updated", tmp_path / "full"
    assert runner.invoke(main, ["build", str(first), "-o", str(updated), "-q", "--no-html"]).exit_code == 0
    result = runner.invoke(main, ["build", "--update", str(second), "-o", str(updated), "--no-html"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["build", str(first), str(second), "-o", str(full), "-q", "--no-html"]).exit_code == 0
    for name in ("kg.ttl", "papers.jsonl", "kg.graphml"):
        assert (updated / name).read_bytes() == (full / name).read_bytes(), name
    before = (updated / "kg.ttl").read_bytes()
    again = runner.invoke(main, ["build", "--update", str(second), "-o", str(updated), "--no-html"])
    assert again.exit_code == 0 and "0 extracted" in again.output
    assert (updated / "kg.ttl").read_bytes() == before


def test_update_of_a_paper_seen_again_adds_its_source_not_a_node(tmp_path):
    page = sorted(CORPUS.glob("*.txt"))[2]
    copy = tmp_path / "copy_of_page.txt"
    copy.write_bytes(page.read_bytes())
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(page), "-o", str(out), "-q", "--no-html"]).exit_code == 0
    count = len((out / "papers.jsonl").read_text().splitlines())
    assert runner.invoke(main, ["build", "-u", str(copy), "-o", str(out), "-q", "--no-html"]).exit_code == 0
    records = [json.loads(line) for line in (out / "papers.jsonl").read_text().splitlines()]
    assert len(records) == count
    assert all(len(r["sources"]) == 2 for r in records)


def test_update_without_an_earlier_build_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "--update", str(CORPUS), "-o", str(tmp_path / "none")])
    assert result.exit_code != 0 and "nothing to update" in result.output


def test_viz_cuts_the_graph_around_a_name(tmp_path):
    page = tmp_path / "around.html"
    result = CliRunner().invoke(main, ["viz", str(CORPUS), "--around", "ResNet-50", "--depth", "1", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.exists() and "ResNet-50" in page.read_text(encoding="utf-8")
    shown, total = (int(x.replace(",", "")) for x in result.output.split(": ")[1].split(" nodes")[0].split(" of "))
    assert 0 < shown < total
    missing = CliRunner().invoke(main, ["viz", str(CORPUS), "--around", "NoSuchThing", "-o", str(page)])
    assert missing.exit_code != 0 and "NoSuchThing" in missing.output


def test_build_conforms_to_the_shacl_shapes(built):
    import pyshacl
    import rdflib

    out, _ = built
    data = rdflib.Graph().parse(out / "kg.ttl", format="turtle")
    shapes = rdflib.Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl", format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, report[:2000]


def test_skip_bad_with_only_bad_input_keeps_the_previous_build(built, tmp_path):
    out, _ = built
    before = (out / "kg.ttl").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(bad), "-o", str(out), "--skip-bad"])
    assert result.exit_code != 0 and "no papers read" in result.output
    assert (out / "kg.ttl").read_bytes() == before


def test_outputs_are_readable_by_others(built):
    import stat

    out, _ = built
    for name in ("kg.ttl", "papers.jsonl", "store"):
        assert (out / name).stat().st_mode & stat.S_IROTH, name
