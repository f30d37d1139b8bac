"""A store loaded while its RDF file is still being written.

The build serialises the graph once, to ``kg.ttl``. ``StoreFeed`` is the
file object it writes through: the bytes go to the file, and whenever
about ``piece_bytes`` of complete statements have been written, where they
lie in the file goes to a thread that reads them back (from the page
cache) and bulk-loads them into the store. pyoxigraph parses and indexes
without holding the GIL, so the store is built on the second core while
this one goes on serialising and writing the other outputs; at 100k
papers the load (about 45 s) otherwise starts only once the 480 MB file is
complete. Pieces keep the loader's memory flat too (see
``kg.store.oxigraph.load_store``). Nothing is held in memory but the piece
being cut.

Only for Turtle and N-Triples as ``kg.export.rdf`` writes them: no blank
nodes, every statement starting at the first column of a line.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_END = None
_ABORT = "abort"


class FeedAborted(RuntimeError):
    """The RDF file was not finished (its writer failed), so the store was not built."""


class StoreFeed:
    """A binary file writer that also loads what it has written into the store at ``directory``.

    ``close()`` after the last write; ``abort()`` instead if writing
    failed. ``result()`` waits for the store and returns its triple count,
    or raises what loading raised; ``seconds`` is how long loading took.
    """

    def __init__(
        self, file: BinaryIO, path: Path, directory: Path, format: str, header: bytes = b"", piece_bytes: int = 16_000_000
    ) -> None:
        self._file = file
        self._path = path
        self._header = header
        self._piece_bytes = piece_bytes
        self._tail = bytearray()  # written, not yet handed to the loader
        self._start = 0  # where the tail starts in the file
        self._pieces: queue.SimpleQueue = queue.SimpleQueue()
        self._count = 0
        self._error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(
            target=self._load, args=(directory, format), name="kg-store-feed", daemon=True
        )
        self._thread.start()

    # -- the writer's side ------------------------------------------------

    def write(self, data: bytes) -> int:
        self._file.write(data)
        self._tail += data
        if len(self._tail) >= self._piece_bytes:
            self._hand_over(final=False)
        return len(data)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        """The file is complete: flush it to disk and hand over the rest."""
        self._hand_over(final=True)
        os.fsync(self._file.fileno())
        self._pieces.put(_END)

    def abort(self) -> None:
        """The file will not be completed: stop loading and remove the half-built store."""
        self._pieces.put(_ABORT)

    def _hand_over(self, final: bool) -> None:
        from kg.store.oxigraph import statements_end

        cut = len(self._tail) if final else statements_end(self._tail)
        if cut == 0:
            return
        self._file.flush()  # the loader reads the piece back from the file
        self._pieces.put((self._start, self._start + cut))
        self._start += cut
        del self._tail[:cut]

    # -- the loader's side ------------------------------------------------

    def _load(self, directory: Path, format: str) -> None:
        from kg.store.oxigraph import load_store

        started = time.perf_counter()
        try:
            self._count = load_store(self._read_pieces(), directory, format=format)
        except BaseException as error:  # handed to the writer's thread by result()
            self._error = error
        self.seconds = time.perf_counter() - started

    def _read_pieces(self) -> Iterator[bytes]:
        with open(self._path, "rb") as reader:
            while True:
                item = self._pieces.get()
                if item is _END:
                    return
                if item == _ABORT:
                    raise FeedAborted(f"{self._path} was not completed")
                start, end = item
                reader.seek(start)
                piece = reader.read(end - start)
                if start == 0 and self._header and piece.startswith(self._header):
                    piece = piece[len(self._header) :]
                yield self._header + piece

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> int:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._count
