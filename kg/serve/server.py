"""The HTTP side of the endpoint: fixed routes on the standard library's ``ThreadingHTTPServer``.

Routes, and nothing else (no file is served by a path taken from the URL):

- ``/sparql``: the SPARQL 1.1 Protocol (GET, POST form, POST
  ``application/sparql-query``); see ``kg.serve.protocol``;
- ``/``: the HTML viewer (``kg.html`` beside the store unless told);
- ``/kg.ttl``: the Turtle dump (``kg.ttl`` beside the store unless told).

Each query runs in a pooled process (``kg.serve.workers``) with a time
limit; a cut result carries ``X-KG-Truncated: true`` and ``X-KG-Max-Rows``.
Bodies over ``max_body_bytes`` are refused (413) unread.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from kg.serve.answers import Answer, text_answer
from kg.serve.protocol import ProtocolError, read_query_request
from kg.serve.workers import QueryWorkers

SPARQL_PATH = "/sparql"
HTML_PATH = "/"
TURTLE_PATH = "/kg.ttl"

_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Max-Rows",
    "Access-Control-Max-Age": "86400",
}


@dataclass(frozen=True)
class EndpointSettings:
    """What a running endpoint enforces and serves."""

    timeout_s: float = 30.0
    max_rows: int = 10_000
    cors: bool = False
    html_path: Path | None = None
    turtle_path: Path | None = None
    max_body_bytes: int = 1_000_000


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that owns the query processes; ``server_close`` stops them."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], settings: EndpointSettings, store_dir: Path, workers: int) -> None:
        self.settings = settings
        self.workers: QueryWorkers | None = None
        super().__init__(address, SparqlRequestHandler)  # bind first: a taken port fails before any process starts
        try:
            self.workers = QueryWorkers(store_dir, count=workers)
        except BaseException:
            super().server_close()
            raise

    @property
    def url(self) -> str:
        """The endpoint's URL, e.g. http://127.0.0.1:8000/sparql."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{SPARQL_PATH}"

    def server_close(self) -> None:
        super().server_close()
        if self.workers is not None:
            self.workers.close()


class SparqlRequestHandler(BaseHTTPRequestHandler):
    """One request: route by exact path, answer, close."""

    server: SparqlServer
    server_version = "kg-sparql/0.1"
    timeout = 60  # seconds a client may take to send its request

    # -- methods ---------------------------------------------------------

    def do_GET(self) -> None:
        path = self._route()
        if path == SPARQL_PATH:
            self._answer_query(b"")
        elif path in (HTML_PATH, TURTLE_PATH):
            self._send_file(path, with_body=True)

    def do_HEAD(self) -> None:
        path = self._route()
        if path == SPARQL_PATH:
            self._send_answer(self._method_not_allowed())
        elif path in (HTML_PATH, TURTLE_PATH):
            self._send_file(path, with_body=False)

    def do_POST(self) -> None:
        path = self._route()
        if path == SPARQL_PATH:
            body = self._read_body()
            if body is not None:
                self._answer_query(body)
        elif path is not None:
            self._send_answer(self._method_not_allowed())

    def do_OPTIONS(self) -> None:
        path = self._route()
        if path is None:
            return
        if self.server.settings.cors:
            self.send_response(HTTPStatus.NO_CONTENT)
            self._send_common_headers()
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send_answer(self._method_not_allowed())

    def _refuse_method(self) -> None:
        if self._route() is not None:
            self._send_answer(self._method_not_allowed())

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _refuse_method

    # -- routing ---------------------------------------------------------

    def _route(self) -> str | None:
        """The request's path when it is one of the fixed routes; otherwise answers 404 and gives None."""
        path = urlsplit(self.path).path
        if path in (SPARQL_PATH, HTML_PATH, TURTLE_PATH):
            return path
        self._send_answer(text_answer(404, f"not found; the SPARQL endpoint is at {SPARQL_PATH}"))
        return None

    def _allowed(self) -> str:
        path = urlsplit(self.path).path
        allowed = "GET, POST" if path == SPARQL_PATH else "GET, HEAD"
        return allowed + (", OPTIONS" if self.server.settings.cors else "")

    def _method_not_allowed(self) -> Answer:
        return text_answer(405, f"{self.command} is not allowed here; use {self._allowed()}")

    # -- queries ---------------------------------------------------------

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering 411/413 for a missing or oversized one."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send_answer(text_answer(411, "send the body with a Content-Length, not chunked"))
            return None
        length_header = self.headers.get("Content-Length")
        try:
            length = int(length_header) if length_header is not None else None
        except ValueError:
            length = -1
        if length is None or length < 0:
            self._send_answer(text_answer(411, "a POST needs a valid Content-Length"))
            return None
        limit = self.server.settings.max_body_bytes
        if length > limit:
            self.close_connection = True  # the unread body must not be taken for the next request
            self._send_answer(text_answer(413, f"the request body is {length} bytes; the limit is {limit}"))
            return None
        return self.rfile.read(length)

    def _answer_query(self, body: bytes) -> None:
        settings = self.server.settings
        try:
            request = read_query_request(
                self.command,
                self.headers.get("Content-Type", ""),
                urlsplit(self.path).query,
                body,
                accept=self.headers.get("Accept", ""),
            )
        except ProtocolError as error:
            self._send_answer(text_answer(error.status, error.message))
            return
        answer = self.server.workers.run(  # type: ignore[union-attr]
            request, settings.max_rows, settings.timeout_s, client=self.client_address[0]
        )
        extra = {"Vary": "Accept"}
        if answer.truncated:
            extra.update({"X-KG-Truncated": "true", "X-KG-Max-Rows": str(settings.max_rows)})
        if answer.status == 503:
            extra["Retry-After"] = "1"
        self._send_answer(answer, extra)

    # -- responses -------------------------------------------------------

    def _send_common_headers(self) -> None:
        if self.server.settings.cors:
            for name, value in _CORS_HEADERS.items():
                self.send_header(name, value)

    def _send_answer(self, answer: Answer, extra_headers: dict[str, str] | None = None) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        if answer.status == 405:
            self.send_header("Allow", self._allowed())
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self._send_common_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _send_file(self, route: str, *, with_body: bool) -> None:
        settings = self.server.settings
        path, content_type = (
            (settings.html_path, "text/html; charset=utf-8")
            if route == HTML_PATH
            else (settings.turtle_path, "text/turtle; charset=utf-8")
        )
        try:
            file = open(path, "rb") if path is not None else None  # noqa: SIM115 - closed below
        except OSError:
            file = None
        if file is None:
            what = "HTML viewer" if route == HTML_PATH else "Turtle dump"
            self._send_answer(text_answer(404, f"no {what} here (run kg build with it); SPARQL is at {SPARQL_PATH}"))
            return
        with file:
            size = Path(path).stat().st_size  # type: ignore[arg-type]
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(size))
            self._send_common_headers()
            self.end_headers()
            if with_body:
                shutil.copyfileobj(file, self.wfile)



def make_server(
    store_dir: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout_s: float = 30.0,
    max_rows: int = 10_000,
    cors: bool = False,
    html_path: str | Path | None = None,
    turtle_path: str | Path | None = None,
    workers: int = 2,
    max_body_bytes: int = 1_000_000,
) -> SparqlServer:
    """A read-only SPARQL endpoint over the store at ``store_dir``, bound but not yet serving.

    Call ``serve_forever()`` on it (or use ``serve``), and ``server_close()``
    when done: that also stops its ``workers`` query processes. ``port=0``
    picks a free port (see ``server.url``). The viewer and the Turtle dump
    default to ``kg.html`` and ``kg.ttl`` beside the store, as ``kg build``
    writes them.

    Raises ``kg.store.oxigraph.StoreError`` when there is no store at
    ``store_dir``, ``WorkerStartError`` when it cannot be opened, and
    ``OSError`` when the address cannot be bound.
    """
    from kg.store.oxigraph import StoreError, is_store

    store_dir = Path(store_dir)
    if not is_store(store_dir):
        raise StoreError(f"no Oxigraph store at {store_dir}; build one first (kg build / kg load)")
    if timeout_s <= 0 or max_rows < 1 or max_body_bytes < 1:
        raise ValueError("timeout_s, max_rows and max_body_bytes must be positive")
    settings = EndpointSettings(
        timeout_s=timeout_s,
        max_rows=max_rows,
        cors=cors,
        html_path=Path(html_path) if html_path is not None else store_dir.parent / "kg.html",
        turtle_path=Path(turtle_path) if turtle_path is not None else store_dir.parent / "kg.ttl",
        max_body_bytes=max_body_bytes,
    )
    return SparqlServer((host, port), settings, store_dir, workers)


def serve(store_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, **options: object) -> None:
    """Run the endpoint until interrupted (Ctrl-C); ``options`` are those of ``make_server``."""
    server = make_server(store_dir, host, port, **options)  # type: ignore[arg-type]
    settings = server.settings
    print(
        f"kg: SPARQL endpoint at {server.url} (read-only; {settings.timeout_s:g} s per query, "
        f"at most {settings.max_rows} rows{'; CORS on' if settings.cors else ''}). Ctrl-C stops it.",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
