"""Extraction on several processes: coarse chunks of papers, one pipeline per worker.

Each worker builds the pipeline once and takes chunks of a few hundred
papers (spaCy's advice for multiprocessing: coarse tasks, model loaded once
per process). Results are yielded in input order as they arrive, so the
output is the same byte for byte as a single-process build, and the caller
holds extractions, never spaCy Docs.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence

from kg.records import Paper, PaperExtraction

#: Papers per task: big enough that shipping a chunk costs little next to extracting it.
CHUNK_SIZE = 256

_worker_nlp = None


def _start_worker() -> None:
    global _worker_nlp
    from kg.extract.pipeline import build_pipeline

    _worker_nlp = build_pipeline()
    # The pipeline lives as long as the worker: collections need not walk it again, and
    # a worker's garbage is short-lived (a Doc per paper), freed in the young generation.
    gc.freeze()
    gc.set_threshold(max(20_000, gc.get_threshold()[0]), *gc.get_threshold()[1:])


def _extract_chunk(task: tuple[list[Paper], int]) -> list[tuple]:
    from kg.extract.pipeline import extract_papers

    papers, batch_size = task
    return [without_paper(e) for e in extract_papers(papers, _worker_nlp, batch_size=batch_size)]


def without_paper(extraction: PaperExtraction) -> tuple:
    """What a worker sends back: the extraction less the paper, which the sender already holds.

    Sending the paper too would double the bytes shipped and leave the
    receiver holding a second copy of every abstract.
    """
    return extraction.mentions, extraction.acronyms, extraction.proposals, extraction.results


def with_papers(papers: Sequence[Paper], found: Sequence[tuple]) -> list[PaperExtraction]:
    """The extractions of ``papers`` from what ``without_paper`` sent back for them, in order."""
    if len(found) != len(papers):
        raise RuntimeError(f"a worker returned {len(found)} extractions for {len(papers)} papers")
    return [PaperExtraction(paper, *fields) for paper, fields in zip(papers, found)]


def chunked(items: Sequence[Paper], size: int) -> Iterator[list[Paper]]:
    """``items`` cut into lists of at most ``size``, in order.

    >>> [len(c) for c in chunked(list(range(5)), 2)]
    [2, 2, 1]
    """
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def extract_in_processes(
    papers: Sequence[Paper],
    jobs: int,
    batch_size: int = 64,
    progress: Callable[[str, int, int], None] | None = None,
    chunk_size: int | None = None,
) -> Iterator[PaperExtraction]:
    """Extractions of ``papers`` computed on ``jobs`` worker processes, yielded in input order.

    Chunks hold ``chunk_size`` papers (default ``CHUNK_SIZE``). Workers are
    forked, so they start without re-importing kg; the pool is closed when
    the iterator is exhausted or closed.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    context = multiprocessing.get_context("fork")
    done = 0
    with context.Pool(processes=jobs, initializer=_start_worker) as pool:
        tasks = ((chunk, batch_size) for chunk in chunked(papers, chunk_size))
        for start, found in zip(range(0, len(papers), chunk_size), pool.imap(_extract_chunk, tasks)):
            chunk_result = with_papers(papers[start : start + chunk_size], found)
            yield from chunk_result
            done += len(chunk_result)
            if progress:
                progress("extract", done, len(papers))
