"""Extraction on Dask: a real two-process LocalCluster on loopback gives what a serial build gives."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.extract import build_pipeline, extract_papers
from kg.ingest import read_inputs

distributed = pytest.importorskip("distributed")

from kg.extract.dask_engine import EngineError, extract_on_dask  # noqa: E402

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", silence_logs=40
    ) as local:
        yield local


@pytest.fixture(scope="module")
def papers():
    return read_inputs([CORPUS])


def test_small_chunks_come_back_in_input_order_equal_to_serial_extraction(cluster, papers):
    sample = papers[:120]
    serial = list(extract_papers(sample, build_pipeline()))
    on_dask = list(extract_on_dask(sample, scheduler=cluster.scheduler_address, chunk_size=7))
    assert on_dask == serial


def test_build_on_the_cluster_writes_the_same_files_as_a_serial_build(cluster, tmp_path):
    serial, dask = tmp_path / "serial", tmp_path / "dask"
    build([CORPUS], serial, BuildOptions(store=False, graphml=False, html=False))
    build([CORPUS], dask, BuildOptions(store=False, graphml=False, html=False, engine="dask",
                                       scheduler=cluster.scheduler_address))
    for name in ("papers.jsonl", "kg.ttl", "extractions.jsonl"):
        assert (dask / name).read_bytes() == (serial / name).read_bytes(), name


def test_workers_with_another_extractor_stop_the_build(cluster, papers, monkeypatch):
    import kg.extract.dask_engine as engine

    monkeypatch.setattr(engine, "pipeline_fingerprint", lambda: "not-the-workers")
    with pytest.raises(EngineError, match="another kg or vocabulary"):
        list(extract_on_dask(papers[:5], scheduler=cluster.scheduler_address))


def test_cli_starts_a_local_cluster_without_a_scheduler(tmp_path):
    page = sorted(CORPUS.glob("*.txt"))[0]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(page), "-o", str(out), "--engine", "dask", "-j", "2",
                                       "--no-store", "--no-html", "-q"])
    assert result.exit_code == 0, result.output
    assert (out / "papers.jsonl").read_text().count("\n") > 10


def test_cli_refuses_a_scheduler_without_the_dask_engine(tmp_path):
    result = CliRunner().invoke(main, ["build", str(CORPUS), "-o", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--engine dask" in result.output
