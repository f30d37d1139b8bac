"""The public endpoint holds: read-only whatever is sent, limits kept under load, no way out of its routes.

Servers are started as ``tests/serve/test_endpoint.py`` starts them
(``make_server`` on port 0, ``serve_forever`` in a thread) over the store
tests' leaderboard corpus, with ``kg.html`` and ``kg.ttl`` beside the store
and a secret file beside the build folder that no request may reach.

The load test binds its clients to different loopback addresses
(127.0.0.2, 127.0.0.3, …) so the endpoint sees different clients, as it
would on the internet. Set ``KG_PRINT_FIGURES=1`` to print the cheap
query's latency percentiles under load.
"""

from __future__ import annotations

import hashlib
import http.client
import http.server
import json
import os
import socket
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from kg.serve import make_server
from kg.store.oxigraph import open_store, run_query
from tests.store.conftest import write_build_folder

SECRET = "kg-secret-7d1f0c"
CHEAP = "SELECT ?value WHERE { ?r kgo:metric kg:metric\\/fid ; kgo:value ?value } ORDER BY ?value"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"
# Four copies of every triple joined with each other: hours of work.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
INSERT = "PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b ex:c }"


def start(store_dir: Path, **options) -> http.server.HTTPServer:
    settings = {"timeout_s": 1.0, "max_rows": 50, "workers": 2, **options}
    server = make_server(store_dir, port=0, **settings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    """A build folder (store/, kg.html, kg.ttl) inside a folder that also holds a secret."""
    root = tmp_path_factory.mktemp("site")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = root / "outputs"
    folder.mkdir()
    return write_build_folder(folder, "<!doctype html><title>kg</title>\n")


@pytest.fixture(scope="module")
def server(outputs):
    server = start(outputs / "store", max_body_bytes=10_000)
    yield server
    stop(server)


def raw_request(server, data: bytes, source: str | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the status, headers and body of the answer (status 0: the server hung up)."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=timeout, source_address=(source, 0) if source else None) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered before the request was all sent, and hung up: read its answer
            pass
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    response = b"".join(chunks)
    if not response:
        return 0, {}, b""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def request(server, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None,
            source: str | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request with ``target`` sent exactly as given."""
    host, port = server.server_address[:2]
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    headers = dict(headers or {})
    if body or method in ("POST", "PUT", "PATCH"):
        headers.setdefault("Content-Length", str(len(body)))
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return raw_request(server, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body, source, timeout)


def query_target(query: str, **params: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def form(**params: str) -> bytes:
    return urllib.parse.urlencode(params).encode()


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# --------------------------------------------------------------------------
# Read-only under every route and method
# --------------------------------------------------------------------------

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UPDATES = [
    INSERT, "insert data { <urn:ex:a> <urn:ex:b> <urn:ex:c> }", "# a comment\nBASE <urn:b> PREFIX : <urn:x> DELETE WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>", "CLEAR DEFAULT", "DROP ALL", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>",
    "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:ex:a> <urn:ex:b> <urn:ex:c> }",
]
ATTEMPTS = [
    *[(method, route, INSERT.encode(), {"Content-Type": "application/sparql-update"})
      for method in ("PUT", "DELETE", "PATCH", "POST", "PROPFIND", "MKCOL", "COPY", "MOVE")
      for route in ("/sparql", "/", "/kg.ttl", "/store", "/store/CURRENT", "/nothing")],
    *[("POST", "/sparql", form(update=update), FORM) for update in UPDATES],
    *[("POST", "/sparql", form(query=update), FORM) for update in UPDATES],
    *[("GET", query_target(update), b"", {}) for update in UPDATES],
    *[("POST", "/sparql", update.encode(), {"Content-Type": "application/sparql-query"}) for update in UPDATES],
    ("GET", "/sparql?" + urllib.parse.urlencode({"update": INSERT}), b"", {}),
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "update": INSERT}), b"", {}),
    ("POST", "/sparql?" + urllib.parse.urlencode({"update": INSERT}), b"ASK {}", {"Content-Type": "application/sparql-query"}),
    ("POST", "/sparql", INSERT.encode(), {"Content-Type": "APPLICATION/SPARQL-UPDATE; charset=utf-8"}),
    ("POST", "/sparql", INSERT.encode(), {"Content-Type": "text/plain"}),
    ("POST", "/sparql", INSERT.encode(), {}),
    ("POST", "/kg.ttl", INSERT.encode(), {"Content-Type": "text/turtle"}),
    ("POST", "/", form(update=INSERT), FORM),
]


def test_nothing_sent_to_any_route_changes_the_store_or_the_files(server, outputs):
    before = folder_digest(outputs)
    triples = len(run_query(open_store(outputs / "store"), EVERYTHING))
    statuses = {}
    for method, target, body, headers in ATTEMPTS:
        status, _, answer = request(server, method, target, body, headers)
        statuses[(method, target[:40])] = status
        assert 400 <= status < 500 or status == 501, (method, target, status, answer[:200])
    assert folder_digest(outputs) == before
    store = open_store(outputs / "store")
    assert len(run_query(store, EVERYTHING)) == triples
    assert not run_query(store, "ASK { <urn:ex:a> ?p ?o }").boolean
    assert request(server, "GET", query_target(CHEAP))[0] == 200  # and it still answers
    assert set(statuses.values()) <= {400, 403, 404, 405, 411, 415, 501}


class _Listener(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        _Listener.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE ?u {{ ?s ?p ?o }} VALUES ?u {{ <{url}> }} }}",
    "PREFIX x: <{url}#> SELECT * WHERE {{ ?s x:a\\'b ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{url}#> SELECT * WHERE {{ ?s x:a\\#b ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "# SERVICE in a comment does not hide the real one\nSELECT * WHERE {{ ?s ?p 'SERVICE' . SERVICE <{url}> {{ }} }}",
])
def test_federated_queries_are_refused_and_nothing_is_fetched(server, template):
    listener = http.server.HTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    _Listener.hits = []
    try:
        url = f"http://127.0.0.1:{listener.server_address[1]}/sparql"
        query = template.format(url=url)
        for method, target, body, headers in [("GET", query_target(query), b"", {}),
                                              ("POST", "/sparql", form(query=query), FORM),
                                              ("POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-query"})]:
            status, _, answer = request(server, method, target, body, headers)
            assert status == 403 and b"SERVICE" in answer, (status, answer)
        time.sleep(0.2)
        assert _Listener.hits == []
    finally:
        listener.shutdown()
        listener.server_close()


# --------------------------------------------------------------------------
# Time limit and row cap under load
# --------------------------------------------------------------------------


def loopback_aliases_work() -> bool:
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.2", 0))
        return True
    except OSError:
        return False


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


@pytest.mark.skipif(not loopback_aliases_work(), reason="clients cannot bind 127.0.0.2 and up here")
def test_cheap_queries_keep_answering_while_four_clients_send_expensive_ones(outputs):
    timeout_s, max_rows, seconds = 2.0, 20, 8.0
    server = start(outputs / "store", timeout_s=timeout_s, max_rows=max_rows, workers=2)
    expensive: list[tuple[int, float]] = []
    cheap: list[tuple[str, int, float, bytes, dict[str, str]]] = []
    stop_at = time.monotonic() + seconds

    def send_expensive(address: str) -> None:
        while time.monotonic() < stop_at:
            started = time.monotonic()
            status, _, _ = request(server, "GET", query_target(EXPENSIVE), source=address, timeout=30)
            expensive.append((status, time.monotonic() - started))

    try:
        threads = [threading.Thread(target=send_expensive, args=(f"127.0.0.{3 + i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # the expensive queries hold both processes
        number = 0
        while time.monotonic() < stop_at:
            query = EVERYTHING if number % 3 == 2 else CHEAP  # every third one also meets the row cap
            started = time.monotonic()
            status, headers, body = request(server, "GET", query_target(query), source="127.0.0.2", timeout=30)
            cheap.append((query, status, time.monotonic() - started, body, headers))
            number += 1
        for thread in threads:
            thread.join()
    finally:
        stop(server)

    # The time limit held: every expensive query was stopped, none ran (or waited) past its bounds.
    assert expensive and all(status == 503 for status, _ in expensive)
    assert max(elapsed for _, elapsed in expensive) < 2 * timeout_s + 2.0
    # Cheap queries kept answering, correctly, and the row cap held under load.
    answered = [(query, elapsed, body, headers) for query, status, elapsed, body, headers in cheap if status == 200]
    assert len(cheap) >= 4 and len(answered) >= 0.8 * len(cheap), [(s, round(e, 2)) for _, s, e, _, _ in cheap]
    for query, _, body, headers in answered:
        rows = json.loads(body)["results"]["bindings"]
        if query == CHEAP:
            assert [row["value"]["value"] for row in rows] == ["9.5", "10.2", "100"]
        else:
            assert len(rows) == max_rows and headers["X-KG-Truncated"] == "true"
    latencies = [elapsed for _, _, elapsed, _, _ in cheap]
    assert percentile(latencies, 50) < timeout_s
    if os.environ.get("KG_PRINT_FIGURES"):
        print(f"\ncheap query under load ({len(cheap)} sent, {len(answered)} answered; {len(expensive)} expensive "
              f"stopped): p50 {percentile(latencies, 50):.3f} s, p90 {percentile(latencies, 90):.3f} s, "
              f"max {max(latencies):.3f} s")


# --------------------------------------------------------------------------
# Request size limits
# --------------------------------------------------------------------------

BIG = 20_000  # twice the module server's 10,000-byte body limit


@pytest.mark.parametrize(("data", "status"), [
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 20000\r\n\r\n" + b"#" * BIG, 413),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20000\r\n\r\n"
     + b"query=" + b"a" * (BIG - 6), 413),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 100000000000000000000\r\n\r\n", 413),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: -5\r\n\r\nASK {}", 411),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 1e3\r\n\r\nASK {}", 411),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n", 411),
    (b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n\r\nASK {}", 411),
    (b"GET /sparql?query=" + b"%20" * 30_000 + b"ASK%7B%7D HTTP/1.1\r\n\r\n", 414),
    (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\n", 431),
], ids=["body", "form", "huge-length", "negative-length", "float-length", "chunked", "no-length", "long-url",
        "long-header", "many-headers"])
def test_oversized_or_unmeasured_requests_are_refused(server, data, status):
    assert raw_request(server, data)[0] == status
    assert request(server, "GET", query_target(CHEAP))[0] == 200


def test_a_client_that_never_finishes_its_request_holds_up_no_one(server):
    host, port = server.server_address[:2]
    with socket.create_connection((host, port)) as stalled:
        stalled.sendall(b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 500\r\n\r\nASK")
        started = time.monotonic()
        statuses = [request(server, "GET", query_target(CHEAP))[0] for _ in range(5)]
        assert statuses == [200] * 5 and time.monotonic() - started < 5


# --------------------------------------------------------------------------
# Static routes: no way out
# --------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/%252e%252e%252fsecret.txt",
    "/.%2e/secret.txt", "/..\\secret.txt", "/..%5csecret.txt", "//secret.txt", "/kg.ttl/../../secret.txt",
    "/sparql/../../secret.txt", "/store/CURRENT", "/../outputs/store/CURRENT", "/./kg.ttl", "/kg.ttl/", "/KG.TTL",
    "/kg.ttl%00.html", "/kg.html", "/etc/passwd", "/%2fetc%2fpasswd", "ABSOLUTE", "*", "secret.txt",
    "file:///etc/passwd", "http://127.0.0.1/../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_no_path_reaches_a_file_outside_the_fixed_routes(server, outputs, method, target):
    target = str(outputs.parent / "secret.txt") if target == "ABSOLUTE" else target
    status, _, body = request(server, method, target)
    assert status in (400, 404), (target, status)
    assert SECRET.encode() not in body and b"root:" not in body


def test_the_fixed_routes_serve_their_files_whatever_the_query_string(server, outputs):
    status, _, body = request(server, "GET", "/kg.ttl?file=../../secret.txt")
    assert status == 200 and body == (outputs / "kg.ttl").read_bytes()
    status, _, body = request(server, "GET", "/?../secret.txt")
    assert status == 200 and body == (outputs / "kg.html").read_bytes()


# --------------------------------------------------------------------------
# CORS
# --------------------------------------------------------------------------

CORS_PROBES = [
    ("GET", query_target(CHEAP), b"", {}),
    ("GET", query_target("SELECT ?x WHERE {"), b"", {}),
    ("POST", "/sparql", form(update=INSERT), FORM),
    ("POST", "/sparql", form(query=CHEAP), FORM),
    ("GET", "/nothing", b"", {}),
    ("DELETE", "/sparql", b"", {}),
    ("OPTIONS", "/sparql", b"", {"Access-Control-Request-Method": "POST"}),
    ("HEAD", "/kg.ttl", b"", {}),
    ("GET", "/", b"", {}),
    ("POST", "/sparql", b"#" * BIG, {"Content-Type": "application/sparql-query"}),
]


@pytest.mark.parametrize(("method", "target", "body", "headers"), CORS_PROBES, ids=[f"{m} {t[:20]}" for m, t, _, _ in CORS_PROBES])
def test_no_cors_header_on_any_answer_unless_enabled(server, method, target, body, headers):
    status, answer_headers, _ = request(server, method, target, body, {"Origin": "https://evil.example", **headers})
    assert status and not [name for name in answer_headers if name.lower().startswith("access-control-")]


def test_cors_headers_on_every_answer_when_enabled(outputs):
    server = start(outputs / "store", cors=True, workers=1, max_body_bytes=10_000)
    try:
        for method, target, body, headers in CORS_PROBES:
            status, answer_headers, _ = request(server, method, target, body, {"Origin": "https://yasgui.org", **headers})
            assert answer_headers.get("Access-Control-Allow-Origin") == "*", (method, target, status)
    finally:
        stop(server)
