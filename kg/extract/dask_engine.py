"""Extraction on a Dask cluster: coarse chunks of papers, one pipeline per worker process.

The build reads the inputs and resolves centrally; only extraction, the
part that is the same for every paper, goes to the workers. It follows
spaCy's advice for clusters (explosion/spaCy#5111): a few hundred papers
per task, the pipeline built once per worker process (lazily, on its first
chunk, and kept), no fine-grained tasks. A few chunks per worker thread are
in flight at a time, so neither the scheduler nor this process ever holds
the whole corpus twice, and results come back in input order, so the
build's outputs are the same byte for byte as a serial build's.

Every worker must run the same kg and vocabulary as the client: each chunk
comes back with a fingerprint of the worker's extraction code and
vocabulary files, and a mismatch stops the build (``EngineError``) instead
of silently mixing two extractors.

Dask is an optional extra (``pip install 'kg[dask]'``) and is imported
only here, only when this engine runs.

Starting a cluster by hand, for example::

    dask scheduler                                   # prints tcp://10.0.0.5:8786
    dask worker tcp://10.0.0.5:8786 --nthreads 1     # on each machine, kg installed
    kg build papers/ --engine dask --scheduler tcp://10.0.0.5:8786
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kg.records import Paper, PaperExtraction

#: Papers per task: spaCy's "coarse chunks"; a chunk of abstracts is a few hundred kB.
CHUNK_SIZE = 256
#: Chunks in flight per worker thread: enough to keep workers busy while results travel back.
CHUNKS_PER_THREAD = 2

_pipeline = None
_pipeline_lock = threading.Lock()


class EngineError(RuntimeError):
    """The Dask engine cannot run: Dask missing, no scheduler, or workers unlike the client."""


@functools.cache
def pipeline_fingerprint() -> str:
    """A digest of what decides an extraction here: kg's version, its extraction code, the vocabulary.

    Two processes with the same fingerprint extract the same records from
    the same paper.
    """
    import kg
    from kg.extract.vocabulary import default_vocabulary_dir

    digest = hashlib.sha256(kg.__version__.encode())
    code_dir = Path(__file__).resolve().parent
    vocabulary_dir = default_vocabulary_dir()
    files = [(f"code/{p.name}", p) for p in sorted(code_dir.glob("*.py"))]
    if vocabulary_dir.is_dir():
        files += [(f"vocabulary/{p.name}", p) for p in sorted(vocabulary_dir.iterdir()) if p.is_file()]
    for name, path in files:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def extract_chunk(papers: list[Paper], batch_size: int = 64) -> tuple[str, list[tuple]]:
    """The extractions of one chunk (less the papers: ``parallel.without_paper``) and this process's
    fingerprint: the task a worker runs.

    The pipeline is built on the first call in a process and kept; a lock
    keeps a worker with several threads to one pipeline, used by one thread
    at a time (extraction is pure Python, so threads would not run it
    faster anyway).
    """
    global _pipeline
    from kg.extract.parallel import without_paper
    from kg.extract.pipeline import build_pipeline, extract_papers

    with _pipeline_lock:
        if _pipeline is None:
            _pipeline = build_pipeline()
        found = [without_paper(e) for e in extract_papers(papers, _pipeline, batch_size=batch_size)]
        return pipeline_fingerprint(), found


def extract_on_dask(
    papers: Sequence[Paper],
    *,
    scheduler: str | None = None,
    workers: int = 2,
    batch_size: int = 64,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str, int, int], None] | None = None,
) -> Iterator[PaperExtraction]:
    """Extractions of ``papers`` computed on a Dask cluster, yielded in input order.

    ``scheduler`` is the address of a running scheduler ("tcp://host:8786");
    without one, a ``LocalCluster`` of ``workers`` single-threaded worker
    processes is started for this call and closed after it. Raises
    ``EngineError`` when Dask is not installed, the scheduler cannot be
    reached, or a worker's pipeline differs from this process's.
    """
    from kg.extract.parallel import with_papers

    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise EngineError("the Dask engine needs Dask: pip install 'kg[dask]'") from error

    chunks = [list(papers[i : i + chunk_size]) for i in range(0, len(papers), chunk_size)]
    if not chunks:
        return
    expected = pipeline_fingerprint()
    cluster = None
    try:
        if scheduler is None:
            # On loopback only; the HTTP routes on a free port (with the dashboard off they would still try 8787).
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", silence_logs=40,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="30s")
    except OSError as error:
        if cluster is not None:
            cluster.close()
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, CHUNKS_PER_THREAD * threads)
        index_of = {}
        pending = as_completed()
        submitted = 0

        def submit_next() -> None:
            nonlocal submitted
            future = client.submit(extract_chunk, chunks[submitted], batch_size, pure=False)
            index_of[future.key] = submitted
            pending.add(future)
            submitted += 1

        while submitted < min(window, len(chunks)):
            submit_next()
        ready: dict[int, list[PaperExtraction]] = {}
        next_index = done = 0
        for future in pending:
            fingerprint, found = future.result()
            if fingerprint != expected:
                raise EngineError(
                    f"a Dask worker runs another kg or vocabulary (fingerprint {fingerprint}, here {expected}); "
                    "install the same kg on every worker"
                )
            index = index_of.pop(future.key)
            ready[index] = with_papers(chunks[index], found)
            future.release()
            if submitted < len(chunks):
                submit_next()
            while next_index in ready:
                chunk_result = ready.pop(next_index)
                chunks[next_index] = []  # sent and answered: let the papers go
                next_index += 1
                yield from chunk_result
                done += len(chunk_result)
                if progress:
                    progress("extract", done, len(papers))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
