"""Extraction on several processes: coarse chunks of papers, one pipeline per worker.

Each worker builds the pipeline once and takes chunks of a few hundred
papers (spaCy's advice for multiprocessing: coarse tasks, model loaded once
per process). Results come back in input order, so the output is the same
byte for byte as a single-process build.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence

from kg.records import Paper, PaperExtraction

_worker_nlp = None


def _start_worker() -> None:
    global _worker_nlp
    from kg.extract.pipeline import build_pipeline

    _worker_nlp = build_pipeline()


def _extract_chunk(papers: list[Paper]) -> list[PaperExtraction]:
    from kg.extract.pipeline import extract_papers

    return list(extract_papers(papers, _worker_nlp))


def chunked(items: Sequence[Paper], size: int) -> list[list[Paper]]:
    """``items`` cut into lists of at most ``size``, in order.

    >>> [len(c) for c in chunked(list(range(5)), 2)]
    [2, 2, 1]
    """
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def extract_in_processes(
    papers: Sequence[Paper],
    jobs: int,
    batch_size: int = 64,
    progress: Callable[[str, int, int], None] | None = None,
    chunk_size: int = 256,
) -> list[PaperExtraction]:
    """Extractions of ``papers`` computed on ``jobs`` worker processes, in input order."""
    context = multiprocessing.get_context("fork" if hasattr(multiprocessing, "get_context") else None)
    extractions: list[PaperExtraction] = []
    with context.Pool(processes=jobs, initializer=_start_worker) as pool:
        for chunk_result in pool.imap(_extract_chunk, chunked(papers, chunk_size)):
            extractions.extend(chunk_result)
            if progress:
                progress("extract", len(extractions), len(papers))
    return extractions
