"""The build: paper listings → knowledge graph outputs, staged so a failure loses nothing.

``build()`` runs read → extract → resolve → graph → export. Every output is
first written into a staging folder inside the output folder; only when
all of them are complete are they moved over the previous ones. A failed
or killed build leaves the previous outputs as they were; one killed while
moving its outputs in (a few renames) is finished by the next build, which
also removes the staging folders killed builds leave behind.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.ingest import InputError, ReadReport, read_inputs
from kg.records import ENTITY_TYPES, Corpus, Paper, PaperExtraction

RDF_SUFFIXES = {"turtle": "kg.ttl", "ntriples": "kg.nt", "jsonld": "kg.jsonld"}
ProgressCallback = Callable[[str, int, int], None]


class UpdateError(Exception):
    """``--update`` asked for, but the output folder holds no earlier build to add to."""


@dataclass(frozen=True)
class BuildOptions:
    """What a build writes, beyond the defaults (Turtle, GraphML, HTML, JSON Lines, store)."""

    rdf_formats: tuple[str, ...] = ("turtle",)
    graphml: bool = True
    gexf: bool = False
    html: bool = True
    store: bool = True
    skip_bad: bool = False
    update: bool = False
    jobs: int = 1
    batch_size: int = 64
    html_max_nodes: int = 1500
    engine: str = "local"  # "local": this machine's processes; "dask": a Dask cluster (kg.extract.dask_engine)
    scheduler: str | None = None  # the Dask scheduler's address; None starts a LocalCluster of ``jobs`` workers


@dataclass
class BuildSummary:
    """The figures of one build, printed by the CLI and written as ``summary.json``.

    ``seconds`` holds each stage's own duration: read, extract, resolve,
    graph, export (every file but the store) and store. The store is loaded
    from the written RDF while the other files are written, so the stages
    add up to more than ``total`` (the wall time); ``store_wait`` is how long
    the build waited for the store once everything else was written.
    """

    papers: int = 0
    papers_read: int = 0
    papers_extracted: int = 0
    duplicates_merged: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    results: int = 0
    skipped: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)


def extract_stream(
    papers: Sequence[Paper], options: BuildOptions = BuildOptions(), progress: ProgressCallback | None = None
) -> Iterator[PaperExtraction]:
    """Extractions of ``papers``, yielded in input order as they are made, by the engine ``options`` name.

    The local engine runs in this process, or on ``options.jobs`` forked
    processes; the Dask engine on a cluster. Every engine yields the same
    records in the same order, so the outputs do not depend on it.
    """
    if options.engine == "dask":
        from kg.extract.dask_engine import extract_on_dask

        yield from extract_on_dask(
            papers, scheduler=options.scheduler, workers=options.jobs, batch_size=options.batch_size, progress=progress
        )
        return
    if options.engine != "local":
        raise ValueError(f"unknown extraction engine {options.engine!r}; use 'local' or 'dask'")
    if options.jobs > 1 and len(papers) > options.batch_size:
        from kg.extract.parallel import extract_in_processes

        yield from extract_in_processes(papers, jobs=options.jobs, batch_size=options.batch_size, progress=progress)
        return
    from kg.extract.pipeline import build_pipeline, extract_papers

    nlp = build_pipeline()
    for done, extraction in enumerate(extract_papers(papers, nlp, batch_size=options.batch_size), 1):
        yield extraction
        if progress and (done % 100 == 0 or done == len(papers)):
            progress("extract", done, len(papers))


def extract_corpus(
    papers: Sequence[Paper], jobs: int = 1, batch_size: int = 64, progress: ProgressCallback | None = None
) -> list[PaperExtraction]:
    """Extraction of every paper, in input order, on ``jobs`` processes."""
    return list(extract_stream(papers, BuildOptions(jobs=jobs, batch_size=batch_size), progress))


def resolve_extractions(extractions: Iterable[PaperExtraction]) -> Corpus:
    """The resolved corpus of ``extractions`` against the curated vocabulary."""
    from kg.extract.vocabulary import load_vocabulary
    from kg.resolve import resolve_corpus

    return resolve_corpus(extractions, load_vocabulary())


def merge_with_previous(
    previous: Sequence[PaperExtraction], papers: Sequence[Paper]
) -> tuple[list[PaperExtraction | None], list[Paper]]:
    """Line up new papers with a previous build's extractions.

    Returns the combined list in order (previous papers first, with sources
    from the new inputs added; ``None`` where a new paper still needs
    extracting) and the papers to extract.
    """
    from kg.ingest.sources import merge_duplicate, title_key

    slots: list[PaperExtraction | None] = list(previous)
    index = {title_key(e.paper.title): i for i, e in enumerate(previous)}
    pending: list[Paper] = []
    for paper in papers:
        key = title_key(paper.title)
        if key in index:
            kept = slots[index[key]]
            assert kept is not None
            merged = merge_duplicate(kept.paper, paper)
            if merged != kept.paper:
                slots[index[key]] = PaperExtraction(merged, kept.mentions, kept.acronyms, kept.proposals, kept.results)
        else:
            index[key] = len(slots)
            slots.append(None)
            pending.append(paper)
    return slots, pending


def build_corpus(
    inputs: Sequence[str | Path],
    options: BuildOptions = BuildOptions(),
    summary: BuildSummary | None = None,
    progress: ProgressCallback | None = None,
    previous: Sequence[PaperExtraction] = (),
) -> tuple[Corpus, list[PaperExtraction]]:
    """Read, extract and resolve ``inputs`` (added to ``previous`` extractions) into a Corpus.

    Returns the corpus and every extraction it was resolved from; no files are written.
    """
    summary = summary if summary is not None else BuildSummary()
    clock = time.perf_counter()
    report = ReadReport()
    papers = read_inputs(inputs, skip_bad=options.skip_bad, report=report)
    if not papers and not previous:
        # With --skip-bad and every input bad, an empty build must not replace a good one.
        raise InputError(", ".join(str(p) for p in inputs), None,
                         f"no papers read ({len(report.skipped)} problems skipped); nothing was written")
    summary.papers_read = report.papers_read
    summary.duplicates_merged = report.duplicates_merged
    summary.skipped = [str(e) for e in report.skipped]
    summary.seconds["read"] = round(time.perf_counter() - clock, 3)
    if progress:
        progress("read", len(papers), len(papers))

    clock = time.perf_counter()
    slots, pending = merge_with_previous(previous, papers)
    fresh = extract_stream(pending, options, progress)
    extractions = [slot if slot is not None else next(fresh) for slot in slots]
    summary.seconds["extract"] = round(time.perf_counter() - clock, 3)
    summary.papers_extracted = len(pending)

    clock = time.perf_counter()
    corpus = resolve_extractions(extractions)
    summary.seconds["resolve"] = round(time.perf_counter() - clock, 3)
    return corpus, extractions


def summarize_corpus(corpus: Corpus, summary: BuildSummary) -> None:
    """Fill the counts of ``summary`` from ``corpus``."""
    summary.papers = len(corpus.papers)
    by_type = Counter(e.type for e in corpus.entities.values())
    summary.entities = {t: by_type.get(t, 0) for t in ENTITY_TYPES}
    summary.results = sum(len(p.results) for p in corpus.papers)
    summary.relations = {
        "mentions": sum(len(p.mentions) for p in corpus.papers),
        "proposes": sum(len(p.proposes) for p in corpus.papers),
        "reports": summary.results,
        "variant_of": sum(1 for e in corpus.entities.values() if e.family),
    }


def write_outputs(corpus: Corpus, output_dir: Path, options: BuildOptions, summary: BuildSummary,
                  progress: ProgressCallback | None = None, extractions: Iterable[PaperExtraction] = ()) -> None:
    """Write every output into a staging folder, then move them all into ``output_dir``.

    ``extractions`` is read once, first, so a caller may hand over a
    stream that lets each record go once saved. The RDF is built once: the
    store is bulk-loaded, piece by piece, from the Turtle (or N-Triples)
    file as it is written, on a second thread (``kg.store.feed``), while
    this one goes on with the other outputs.
    """
    from kg.export.jsonl import write_paper_records
    from kg.extract.records_io import EXTRACTIONS_FILE, write_extractions
    from kg.graph import build_graph

    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output_dir))
    owner = os.open(staging, os.O_RDONLY)
    fcntl.flock(owner, fcntl.LOCK_EX)  # held while this build lives; the kernel drops it when it dies
    feed = None
    try:
        clock = time.perf_counter()
        write_extractions(extractions, staging / EXTRACTIONS_FILE)
        rdf_files = [RDF_SUFFIXES[f] for f in options.rdf_formats]
        feed = _write_rdf_files(corpus, staging, options)
        write_paper_records(corpus, staging / "papers.jsonl")
        exported = time.perf_counter() - clock
        if progress:
            progress("export", 1, 4)

        clock = time.perf_counter()
        graph = build_graph(corpus)
        summary.seconds["graph"] = round(time.perf_counter() - clock, 3)

        clock = time.perf_counter()
        positions = None
        if options.graphml or options.gexf:
            from kg.export.layout import compute_layout

            positions = compute_layout(graph)  # once, shared by GraphML and GEXF
        if options.graphml:
            from kg.export.graphml import write_graphml

            write_graphml(graph, staging / "kg.graphml", positions=positions)
        if options.gexf:
            from kg.export.gexf import write_gexf

            write_gexf(graph, staging / "kg.gexf", positions=positions)
        if options.html:
            from kg.export.html import write_html

            write_html(graph, staging / "kg.html", title="kg: ML research graph", max_nodes=options.html_max_nodes)
        del graph, positions
        if progress:
            progress("export", 3, 4)
        summary.seconds["export"] = round(exported + time.perf_counter() - clock, 3)
        if options.store:
            clock = time.perf_counter()
            if feed is not None:
                feed.result()
                summary.seconds["store"] = round(feed.seconds, 3)
            else:  # no Turtle or N-Triples written to load from
                from kg.store.oxigraph import load_store

                load_store(corpus, staging / "store")
                summary.seconds["store"] = round(time.perf_counter() - clock, 3)
            summary.seconds["store_wait"] = round(time.perf_counter() - clock, 3)
        if progress:
            progress("export", 4, 4)
        summary.outputs = [
            "papers.jsonl", EXTRACTIONS_FILE, *rdf_files,
            *(["kg.graphml"] if options.graphml else []), *(["kg.gexf"] if options.gexf else []),
            *(["kg.html"] if options.html else []), *(["store"] if options.store else []), "summary.json",
        ]  # fmt: skip
        summarize_corpus(corpus, summary)
        (staging / "summary.json").write_text(summary.to_json() + "\n", encoding="utf-8")
        (staging / _MOVING).write_text(json.dumps(summary.outputs), encoding="utf-8")
        _move_into_place(staging, output_dir, summary.outputs)
    finally:
        if feed is not None:
            feed.abort()  # a no-op once the file was complete
            feed.wait()  # never remove the staging folder under a running load
        shutil.rmtree(staging, ignore_errors=True)
        os.close(owner)


#: The store is loaded in pieces of about this size: the bulk loader's memory grows with its input
#: (6M triples at once: 1.7 GB; in 16 MB pieces: about 0.3 GB), and pieces load no slower.
STORE_PIECE_BYTES = 16_000_000


def _write_rdf_files(corpus: Corpus, staging: Path, options: BuildOptions):
    """Write each RDF format; the first Turtle or N-Triples file also feeds the store, when there is one.

    Returns the ``StoreFeed`` loading the store, or None.
    """
    from kg.export.rdf import turtle_prefix_header, write_rdf
    from kg.store.feed import StoreFeed

    feed = None
    for rdf_format in options.rdf_formats:
        path = staging / RDF_SUFFIXES[rdf_format]
        if not options.store or feed is not None or rdf_format not in ("turtle", "ntriples"):
            write_rdf(corpus, path, format=rdf_format)
            continue
        header = turtle_prefix_header() if rdf_format == "turtle" else b""
        with open(path, "wb") as raw:
            feed = StoreFeed(raw, path, staging / "store", rdf_format, header=header, piece_bytes=STORE_PIECE_BYTES)
            write_rdf(corpus, feed, format=rdf_format)
            feed.close()
    return feed


_MOVING = ".moving"  # in a staging folder: its outputs are complete and being moved into place


def clear_interrupted_builds(output_dir: Path) -> None:
    """Deal with what killed builds left in ``output_dir``: finish a move they began, remove the rest.

    A staging folder whose build is gone (nobody holds its lock) and that was
    being moved into place (``.moving`` lists its outputs) has the outputs
    still in it moved in, so the folder holds one build again; any other is
    removed, as are stores swapped out by a killed move once a store is back.
    """
    for staging in sorted(output_dir.glob(".staging-*")):
        try:
            handle = os.open(staging, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a build that is still running
            os.close(handle)
            continue
        try:
            try:
                names = json.loads((staging / _MOVING).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                names = []
            _move_into_place(staging, output_dir, [name for name in names if (staging / name).exists()])
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            os.close(handle)
    if (output_dir / "store" / "CURRENT").is_file():
        for old in output_dir.glob(".store.old-*"):
            shutil.rmtree(old, ignore_errors=True)


def _move_into_place(staging: Path, output_dir: Path, names: Iterable[str]) -> None:
    """Rename each staged output over its previous version (a folder is swapped, then removed)."""
    from kg.export.atomic import current_umask

    mask = current_umask()
    for name in names:
        source, target = staging / name, output_dir / name
        if source.is_dir():
            os.chmod(source, 0o777 & ~mask)  # staged in a private temp folder; published with the usual mode
            old = None
            if target.exists():
                old = output_dir / f".{name}.old-{os.getpid()}"
                os.replace(target, old)
            os.replace(source, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(source, target)


def _draining(items: list[PaperExtraction]) -> Iterator[PaperExtraction]:
    """The items of ``items`` in order, each removed from the list as it is handed out."""
    items.reverse()
    while items:
        yield items.pop()


#: Allocations between two young-generation collections during a build (CPython's default: 700).
GC_YOUNG_THRESHOLD = 20_000


@contextmanager
def fewer_collections(young: int = GC_YOUNG_THRESHOLD) -> Iterator[None]:
    """Collect garbage less often while a build runs; the previous thresholds come back after.

    A build holds millions of long-lived records (papers, mentions, entities),
    and every full collection walks them all: at 10k papers the default
    thresholds ran 9 to 11 full collections and spent 2 s collecting, 13% of
    reading, extracting and resolving. With a larger young generation
    short-lived garbage (spaCy Docs are reference cycles) is still freed
    young, and no full collection ran.
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(young, previous[0]), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def build(
    inputs: Sequence[str | Path],
    output_dir: str | Path = "outputs",
    options: BuildOptions = BuildOptions(),
    progress: ProgressCallback | None = None,
) -> BuildSummary:
    """Build the knowledge graph of ``inputs`` into ``output_dir``; return its summary.

    With ``options.update`` the inputs are added to the build already in
    ``output_dir``: only papers it has not seen are extracted, a paper seen
    again gains the new source, and the graph is resolved and written again
    as a full build over all those papers would write it.

    Raises ``kg.ingest.InputError`` for bad input (unless ``options.skip_bad``),
    before any output is touched.
    """
    with fewer_collections():
        return _build(inputs, output_dir, options, progress)


def _build(
    inputs: Sequence[str | Path],
    output_dir: str | Path,
    options: BuildOptions,
    progress: ProgressCallback | None,
) -> BuildSummary:
    started = time.perf_counter()
    summary = BuildSummary()
    if Path(output_dir).is_dir():
        clear_interrupted_builds(Path(output_dir))
    previous: list[PaperExtraction] = []
    if options.update:
        from kg.extract.records_io import EXTRACTIONS_FILE, read_extractions

        saved = Path(output_dir) / EXTRACTIONS_FILE
        if not saved.exists():
            raise UpdateError(f"nothing to update in {output_dir}: no {EXTRACTIONS_FILE} from an earlier build")
        try:
            previous = list(read_extractions(saved))
        except ValueError as error:
            raise UpdateError(str(error)) from error
    corpus, extractions = build_corpus(inputs, options, summary, progress, previous=previous)
    del previous
    # Each extraction is let go once saved: at 100k papers they would hold 0.5 GB beside the graph.
    write_outputs(corpus, Path(output_dir), options, summary, progress, _draining(extractions))
    summary.seconds["total"] = round(time.perf_counter() - started, 3)
    # summary.json was written before the total was known; rewrite it in place, atomically.
    from kg.export.atomic import atomic_path

    with atomic_path(Path(output_dir) / "summary.json") as tmp:
        tmp.write_text(summary.to_json() + "\n", encoding="utf-8")
    return summary
