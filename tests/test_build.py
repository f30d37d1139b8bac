"""The build's orchestration: any number of jobs, any hash seed, the same bytes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildOptions, build, fewer_collections

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not present")
FILES = ("papers.jsonl", "extractions.jsonl", "kg.ttl", "kg.nt", "kg.graphml", "kg.html")


def summary_without_times(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text())
    summary.pop("seconds")
    return summary


def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path, monkeypatch):
    import kg.extract.parallel

    monkeypatch.setattr(kg.extract.parallel, "CHUNK_SIZE", 16)  # many chunks, finishing out of order
    formats = ("turtle", "ntriples")
    serial, parallel = tmp_path / "j1", tmp_path / "j2"
    build([CORPUS], serial, BuildOptions(rdf_formats=formats, jobs=1))
    build([CORPUS], parallel, BuildOptions(rdf_formats=formats, jobs=2))
    for name in FILES:
        assert (parallel / name).read_bytes() == (serial / name).read_bytes(), name
    assert summary_without_times(parallel) == summary_without_times(serial)
    quads = [set(ox.Store.read_only(str(out / "store"))) for out in (serial, parallel)]
    assert quads[0] == quads[1] and len(quads[0]) > 10000


def test_fewer_collections_gives_back_the_thresholds_it_found_even_on_error():
    import gc

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections(young=before[0] + 5000):
        assert gc.get_threshold() == (before[0] + 5000, *before[1:])
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


def test_outputs_do_not_depend_on_the_string_hash_seed(tmp_path):
    pages = [str(p) for p in sorted(CORPUS.glob("*.txt"))[:2]]
    outs = []
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"seed{seed}"
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", *pages, "-o", str(out), "-f", "ttl", "-f", "nt", "-j", jobs,
             "--no-store", "-q"],
            env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
        )
        outs.append(out)
    for name in FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
