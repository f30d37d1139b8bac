"""Crash safety: a build killed with SIGKILL at any point loses nothing.

An output folder holds a good build of two pages of the real corpus. A
child ``kg build`` of the whole corpus (or a ``kg build --update`` with the
third page) is started into it and killed (SIGKILL: no ``finally``, no
clean-up) at seeded random points spread over its run: right after the
start, after reading, while extracting, exporting, and loading the store.
After each kill the folder must hold exactly the previous build (every
file byte-identical, the store opening and answering), or, when the child
got as far as moving its outputs in, exactly the new one; never a mix. What
killed builds leave behind (``.staging-*`` folders, ``.*.tmp`` files) must
not disturb the next build, which must succeed and clear the staging
folders away.

A kill inside the move itself (a few renames, milliseconds) is too rare to
hit at random, so ``test_a_build_killed_at_any_rename_of_its_move_is_finished_by_the_next``
stops a build at each rename in turn.

``KG_KILL_SEED`` changes the seed (default below); a failure names it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("KG_KILL_SEED", "20261124"))
#: Where a kill is aimed: after the child prints this progress line (or at once), plus a random delay.
PHASES = (("start", None, 2.5), ("read", "read", 0.5), ("extract", "extract", 1.0),
          ("export", "export 1/4", 0.3), ("store load", "export 3/4", 0.15))

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


def corpus_pages() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def kg_build(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "build", *map(str, args)]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@dataclass(frozen=True)
class Snapshot:
    """A build's visible files (the store's files included), byte for byte, and how many papers it holds."""

    files: dict[str, bytes]
    papers: int


def visible_files(out: Path) -> dict[str, bytes]:
    """Every file of a build folder not hidden (leftovers are hidden), with the store's files as "store/…"."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[str(relative)] = path.read_bytes()
    return files


def store_papers(out: Path) -> int:
    """The number of papers the store answers with (it must open, after whatever happened)."""
    from kg.store.oxigraph import open_store, run_query

    store = open_store(out / "store")
    try:
        return int(run_query(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kgo:Paper }").rows[0][0])
    finally:
        del store


def complete_build_papers(out: Path) -> int:
    """The paper count of a complete, self-consistent build in ``out`` (every output agrees); fails otherwise."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    papers = sum(1 for line in (out / "papers.jsonl").read_text(encoding="utf-8").split("\n") if line)
    extractions = sum(1 for line in (out / "extractions.jsonl").read_text(encoding="utf-8").split("\n") if line)
    paper_type = pyoxigraph.NamedNode("https://w3id.org/kg-ml/ontology#Paper")
    turtle = sum(1 for t in pyoxigraph.parse(path=str(out / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
                 if t.object == paper_type)
    assert (out / "kg.graphml").read_bytes().rstrip().endswith(b"</graphml>")
    assert (out / "kg.html").read_bytes().rstrip().endswith(b"</html>")
    counts = {"summary": summary["papers"], "papers.jsonl": papers, "kg.ttl": turtle, "store": store_papers(out)}
    assert len(set(counts.values())) == 1 and extractions >= papers, f"outputs of different builds: {counts}"
    return papers


def snapshot(out: Path) -> Snapshot:
    return Snapshot(visible_files(out), complete_build_papers(out))


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".staging-", ".store.old")))


def run_and_kill(command: list[str], phase: str, trigger: str | None, delay: float) -> tuple[bool, list[str]]:
    """Start ``command``, SIGKILL it ``delay`` s after it prints ``trigger`` (or starts); return (killed, its lines)."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env(), text=True)
    seen = threading.Event() if trigger else None
    lines: list[str] = []

    def watch() -> None:
        for line in child.stderr:  # type: ignore[union-attr]
            lines.append(line.rstrip())
            if seen is not None and " ".join(line.split()).startswith(trigger):
                seen.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        if seen is not None:
            while not seen.wait(0.01) and child.poll() is None:
                pass
        time.sleep(delay)
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    watcher.join(timeout=5)
    assert killed or child.returncode == 0, f"the {phase} build failed by itself: {lines[-5:]}"
    return killed, lines


def previous_or_complete_new(out: Path, previous: Snapshot, what: str) -> str:
    """Whether the folder holds the previous build byte for byte ("previous") or a complete new one ("new")."""
    if visible_files(out) == previous.files:
        assert store_papers(out) == previous.papers, what
        return "previous"
    complete_build_papers(out)  # every output from the same build, or this fails
    return "new"


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory) -> tuple[Path, Snapshot]:
    """A good build of the first two pages, and its snapshot."""
    out = tmp_path_factory.mktemp("previous") / "out"
    subprocess.run(kg_build(*corpus_pages()[:2], "-o", out, "-q"), check=True, env=child_env(), timeout=300)
    return out, snapshot(out)


@pytest.fixture
def build_folder(previous_build, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(previous_build[0], out)
    return out


def kill_points(rng: random.Random, count: int) -> list[tuple[str, str | None, float]]:
    """``count`` (phase, trigger, delay), in random order: every phase once before any twice."""
    phases = []
    while len(phases) < count:
        phases += rng.sample(PHASES, min(len(PHASES), count - len(phases)))
    return [(name, trigger, rng.uniform(0, longest)) for name, trigger, longest in phases]


@pytest.mark.parametrize("update", [False, True], ids=["build", "update"])
def test_a_killed_build_leaves_the_previous_outputs_and_the_next_build_succeeds(previous_build, build_folder, update):
    """Full builds of the corpus (or updates with its third page), killed; then one left to finish."""
    _, previous = previous_build
    first = previous
    seed = SEED + update
    iterations = 3 if update else 5
    inputs = ["--update", corpus_pages()[2]] if update else corpus_pages()
    outcomes = []
    for name, trigger, delay in kill_points(random.Random(seed), iterations):
        what = f"seed {seed}: killed {delay:.2f} s after {name}"
        killed, _ = run_and_kill(kg_build(*inputs, "-o", build_folder), name, trigger, delay)
        outcome = previous_or_complete_new(build_folder, previous, what)
        outcomes.append((name, round(delay, 2), "killed" if killed else "finished", outcome))
        if outcome == "new":  # it got through its move: the folder holds a good new build from here on
            previous = snapshot(build_folder)
    intact = sum(1 for *_, how, outcome in outcomes if how == "killed" and outcome == "previous")
    assert intact >= (iterations + 1) // 2, f"seed {seed}: too few kills before the move to prove anything: {outcomes}"
    # Plant what a writer killed mid-rename can leave, then build again: it must succeed and clear the staging.
    (build_folder / ".summary.json.x1y2z3.tmp").write_text("{", encoding="utf-8")
    subprocess.run(kg_build(*inputs, "-o", build_folder, "-q"), check=True, env=child_env(), timeout=300)
    assert complete_build_papers(build_folder) > first.papers
    assert leftovers(build_folder) == []


# --------------------------------------------------------------------------
# Kills inside the move, at each rename in turn (in-process: fast and exact)
# --------------------------------------------------------------------------


class Killed(BaseException):
    """What SIGKILL does to a build, played in-process: it stops where it is, and no clean-up runs."""


def small_corpora():
    from kg.records import Corpus
    from tests.export.conftest_rdf import small_corpus

    after = small_corpus()
    return Corpus(entities=after.entities, papers=after.papers[:2]), after


def outputs_without_store(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in visible_files(out).items()
            if not name.startswith("store/") and name != "summary.json"}


def summary_papers(out: Path) -> int:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["papers"]


def test_a_build_killed_at_any_rename_of_its_move_is_finished_by_the_next(tmp_path, monkeypatch):
    from kg.build import BuildOptions, BuildSummary, clear_interrupted_builds, write_outputs

    before, after = small_corpora()
    reference = {}
    for name, corpus in (("before", before), ("after", after)):
        write_outputs(corpus, tmp_path / name, BuildOptions(), BuildSummary())
        reference[name] = outputs_without_store(tmp_path / name)
    real_replace, real_rmtree = os.replace, shutil.rmtree
    renames = 0
    while True:  # kill before rename 0, 1, 2, … until a build gets through all of them
        out = tmp_path / f"killed-at-{renames}"
        shutil.copytree(tmp_path / "before", out)
        state = {"renames": 0, "dead": False}

        def replace(source, target, out=out, state=state, kill_at=renames):
            if Path(target).parent == out:
                if state["renames"] == kill_at:
                    state["dead"] = True
                    raise Killed
                state["renames"] += 1
            return real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(shutil, "rmtree", lambda *a, state=state, **k: None if state["dead"] else real_rmtree(*a, **k))
        try:
            write_outputs(after, out, BuildOptions(), BuildSummary())
        except Killed:
            pass
        finally:
            monkeypatch.undo()
        if not state["dead"]:
            break
        # Right after the kill: every output is one build's, whole (the store opens, whichever it is) ...
        for name, data in outputs_without_store(out).items():
            assert data in (reference["before"][name], reference["after"][name]), f"{name} after a kill at rename {renames}"
        assert summary_papers(out) in (2, 3) and store_papers(out) in (2, 3)
        # ... and the next build (here, only its first step) finishes the move: the new build, whole.
        clear_interrupted_builds(out)
        assert outputs_without_store(out) == reference["after"], f"after a kill at rename {renames}"
        assert summary_papers(out) == store_papers(out) == 3
        assert leftovers(out) == []
        renames += 1
    assert renames >= 7, "one rename per output, two for the store"


def test_clearing_leaves_the_staging_folder_of_a_running_build_alone(tmp_path):
    from kg.build import clear_interrupted_builds

    running, dead = tmp_path / ".staging-running", tmp_path / ".staging-dead"
    for folder in (running, dead):
        folder.mkdir()
        (folder / "kg.ttl").write_text("partial", encoding="utf-8")
    handle = os.open(running, os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
        clear_interrupted_builds(tmp_path)
        assert running.is_dir() and not dead.exists() and not (tmp_path / "kg.ttl").exists()
    finally:
        os.close(handle)
