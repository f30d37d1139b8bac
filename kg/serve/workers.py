"""Query processes: a small pool that runs each query in a process of its own, killed past its time limit.

pyoxigraph's Python API has no query timeout, and a thread stuck in Rust
cannot be stopped, so queries run in separate processes. Each process
opens the store read-only once and then answers queries one at a time
over a socket; the HTTP thread waits ``timeout_s`` for the answer and, when
none comes, kills the process (SIGKILL) and starts a replacement in the
background. The other processes keep answering meanwhile.

Why a pool rather than a process per request (measured on the project's
2-vCPU machine, a cheap SELECT, median of 200): in the server's own
process the query takes 0.05 ms and through a pooled process 0.22 ms,
whereas a fresh interpreter per query costs 270 ms (start, imports,
opening RocksDB) and even ``fork`` per query 48 ms (opening RocksDB), and
``fork`` is unsafe in a threaded server anyway. So each pooled process is
a new interpreter running ``python -m kg.serve.workers``, started once
(not ``multiprocessing``'s spawn, which re-imports the caller's
``__main__`` and so breaks scripts without a main guard). Messages are
pickled over a socket pair with ``multiprocessing.connection.Connection``
framing. After a kill, the replacement is ready about 0.25 s later.

A worker also exits by itself when the server goes away (its socket
closes), so killing the server with SIGKILL leaves no stray processes
once their current query ends.
"""

from __future__ import annotations

import logging
import os
import itertools
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.serve.answers import Answer, text_answer
from kg.serve.protocol import QueryRequest

log = logging.getLogger(__name__)

#: How long a new query process may take to open the store and say it is ready.
START_TIMEOUT_S = 60.0


@dataclass
class _Ticket:
    """A query waiting for a process: who sent it, and in which order it came."""

    client: str
    number: int


class WorkerStartError(RuntimeError):
    """A query process could not open the store."""


#: Share of its time limit a query may run before it gives way to a query waiting for a process.
YIELD_AFTER = 0.25
#: How long a client's use of the query processes counts against it when queries wait (its half-life, seconds).
USAGE_HALF_LIFE_S = 10.0


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection
    started: float | None = None  # when its current query was sent
    gave_way: bool = False  # stopped to let a waiting query run


def serve_queries(store_dir: str, connection: Connection) -> None:
    """A query process's main loop: open the store, then answer ``(request, max_rows)`` until told to stop.

    Sends ``("ready", None)`` once the store is open, or ``("error",
    message)`` if it cannot be; then one ``Answer`` per request. ``None``
    or a closed socket ends the loop.
    """
    # Ctrl-C reaches the whole process group; the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from kg.serve.answers import answer_query
    from kg.store.oxigraph import open_store

    try:
        store = open_store(store_dir)
    except Exception as error:  # StoreError, OSError: the parent shows the message
        connection.send(("error", f"{type(error).__name__}: {error}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        request, max_rows = message
        try:
            answer = answer_query(store, request, max_rows)
        except Exception as error:  # a bug must not take the process down with the client waiting
            answer = text_answer(500, f"the query failed: {type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except (BrokenPipeError, OSError):
            return


class QueryWorkers:
    """A pool of ``count`` query processes over the store at ``store_dir``.

    ``run`` is thread-safe: each call borrows an idle process for one
    query. Raises ``WorkerStartError`` at construction if the store cannot
    be opened. Use as a context manager or call ``close``.
    """

    def __init__(self, store_dir: str | Path, count: int = 2) -> None:
        if count < 1:
            raise ValueError("a pool needs at least one query process")
        self.store_dir = str(store_dir)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a process freed up, or the line of waiting queries moved
        self._line: list[_Ticket] = []  # queries waiting for a process
        self._numbers = itertools.count()
        self._usage: dict[str, tuple[float, float]] = {}  # client → (process seconds, when counted)
        self._workers: dict[int, _Worker] = {}
        self._closed = False
        self._starting = 0  # replacement processes on their way
        started = [self._launch() for _ in range(count)]
        try:
            for worker in started:
                self._await_ready(worker)
                self._release(worker)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> QueryWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run(self, request: QueryRequest, max_rows: int, timeout_s: float, client: str = "") -> Answer:
        """Answer one query in a pooled process; 503 when it runs past ``timeout_s`` or no process frees up.

        The query gets its whole ``timeout_s`` once a process is free; waiting
        for a free one is bounded by ``timeout_s`` too. Without more, a few
        clients sending expensive queries held every process and everyone
        else's cheap queries waited out their limit. So the queries waiting
        are served lightest ``client`` first (the one that used the processes
        least lately, ``USAGE_HALF_LIFE_S``), and while they wait with every
        process busy, the query that has run longest gives way (stopped, 503)
        once past ``YIELD_AFTER`` of its limit.
        """
        worker = self._borrow(timeout_s, client)
        if worker is None:
            return text_answer(503, f"all {len(self._workers)} query processes are busy; try again shortly")
        worker.started = started = time.monotonic()
        try:
            return self._answer(worker, request, max_rows, timeout_s)
        finally:
            self._charge(client, time.monotonic() - started)

    def _answer(self, worker: _Worker, request: QueryRequest, max_rows: int, timeout_s: float) -> Answer:
        try:
            worker.connection.send((request, max_rows))
            if worker.connection.poll(timeout_s):
                answer = worker.connection.recv()
                if worker.gave_way:  # its answer came as it was being stopped
                    self._replace(worker)
                else:
                    worker.started = None
                    self._release(worker)
                return answer
        except (EOFError, OSError) as error:
            self._replace(worker)
            if worker.gave_way:
                return text_answer(
                    503,
                    f"the query was stopped after {time.monotonic() - (worker.started or 0.0):.1f} s to let waiting "
                    "queries run (the endpoint is busy); retry, or narrow it",
                )
            log.error("query process %s died: %s", worker.process.pid, error)
            return text_answer(500, "the query process died while answering (out of memory?); it has been restarted")
        self._replace(worker)
        return text_answer(
            503,
            f"the query ran longer than the {timeout_s:g} s limit and was stopped; "
            "narrow it (a LIMIT, fewer OPTIONALs, a more selective pattern first) or ask for a longer --timeout",
        )

    def close(self) -> None:
        """Stop every query process (they only read, so killing them loses nothing)."""
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            _stop(worker)

    # ------------------------------------------------------------------

    def _borrow(self, timeout_s: float, client: str) -> _Worker | None:
        """An idle process within ``timeout_s``, lightest client first; None if none frees up in time.

        While it waits, a query makes way for itself (``_make_way_locked``).
        """
        deadline = time.monotonic() + timeout_s
        with self._changed:
            ticket = _Ticket(client, next(self._numbers))
            self._line.append(ticket)
            try:
                while True:
                    if self._idle and ticket is min(self._line, key=self._order_locked):
                        return self._idle.pop()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._make_way_locked(timeout_s * YIELD_AFTER)
                    self._changed.wait(min(remaining, 0.05))
            finally:
                self._line.remove(ticket)
                self._changed.notify_all()

    def _order_locked(self, ticket: _Ticket) -> tuple[float, int]:
        return self._usage_locked(ticket.client), ticket.number

    def _usage_locked(self, client: str) -> float:
        """The process seconds ``client`` used lately, halved every ``USAGE_HALF_LIFE_S``."""
        seconds, at = self._usage.get(client, (0.0, 0.0))
        return seconds * 0.5 ** ((time.monotonic() - at) / USAGE_HALF_LIFE_S)

    def _charge(self, client: str, seconds: float) -> None:
        with self._lock:
            if len(self._usage) > 10_000:  # forget the clients whose use has faded
                self._usage = {c: u for c, u in self._usage.items() if self._usage_locked(c) > 0.01}
            self._usage[client] = (self._usage_locked(client) + seconds, time.monotonic())

    def _release(self, worker: _Worker) -> None:
        with self._changed:
            self._idle.append(worker)
            self._changed.notify_all()

    def _make_way_locked(self, grace_s: float) -> None:
        """Stop the longest-running query once past ``grace_s``, unless a process is already coming for each waiter."""
        coming = self._starting + len(self._idle) + sum(w.gave_way for w in self._workers.values())
        busy = [w for w in self._workers.values() if w.started is not None and not w.gave_way]
        if coming >= len(self._line) or not busy:
            return
        oldest = min(busy, key=lambda w: w.started or 0.0)
        if time.monotonic() - (oldest.started or 0.0) >= grace_s:
            oldest.gave_way = True
            oldest.process.kill()  # its run() sees the socket close, answers 503 and replaces it

    def _launch(self) -> _Worker:
        parent_socket, child_socket = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])  # so the child finds kg even when not installed
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        with child_socket:
            process = subprocess.Popen(
                [sys.executable, "-m", "kg.serve.workers", "--fd", str(child_socket.fileno()), self.store_dir],
                pass_fds=(child_socket.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        # The child's end is closed here, so the worker sees EOF when the server's end closes.
        worker = _Worker(process, Connection(parent_socket.detach()))
        with self._lock:
            if self._closed:
                _stop(worker)
                raise WorkerStartError("the pool is closed")
            self._workers[process.pid] = worker
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.connection.poll(START_TIMEOUT_S):
            raise WorkerStartError(f"a query process did not open {self.store_dir} within {START_TIMEOUT_S:g} s")
        try:
            status, detail = worker.connection.recv()
        except (EOFError, OSError):
            status, detail = "error", f"it exited with code {worker.process.wait(timeout=5)}"
        if status != "ready":
            raise WorkerStartError(f"a query process could not open the store {self.store_dir}: {detail}")

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.pop(worker.process.pid, None)
            self._starting += 1
        _stop(worker)
        threading.Thread(target=self._start_replacement, name="kg-query-restart", daemon=True).start()

    def _start_replacement(self) -> None:
        try:
            self._start_replacement_attempts()
        finally:
            with self._lock:
                self._starting -= 1

    def _start_replacement_attempts(self) -> None:
        for attempt in range(3):
            worker = None
            try:
                worker = self._launch()
                self._await_ready(worker)
            except WorkerStartError as error:
                if worker is not None:
                    with self._lock:
                        self._workers.pop(worker.process.pid, None)
                    _stop(worker)
                if self._closed:
                    return
                log.error("cannot restart a query process (attempt %d): %s", attempt + 1, error)
                time.sleep(1.0)
                continue
            with self._lock:
                if self._closed:
                    _stop(worker)
                    return
            self._release(worker)
            return


def _stop(worker: _Worker) -> None:
    if worker.process.poll() is None:
        worker.process.kill()
    try:
        worker.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        log.error("query process %s did not exit after SIGKILL", worker.process.pid)
    worker.connection.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.serve.workers --fd N STORE_DIR``: a query process talking over socket ``N``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kg.serve.workers", description=main.__doc__)
    parser.add_argument("--fd", type=int, required=True, help="the inherited socket to the server")
    parser.add_argument("store_dir")
    args = parser.parse_args(argv)
    serve_queries(args.store_dir, Connection(args.fd))


if __name__ == "__main__":
    main()
