"""The graph in an on-disk pyoxigraph store, and SPARQL queries against it or any endpoint.

``load_store`` builds a new store in a temporary directory beside the
target with pyoxigraph's bulk loader, then swaps it in by renaming: a load
that fails or is killed leaves the previous store as it was (and at most a
stray ``.<name>.loading-*`` directory). Between the two renames of a swap
the store sits at ``.<name>.old``; ``open_store`` and the next load move it
back if a crash left it there (as they do with ``.<name>.old-<pid>``, the
name ``kg.build`` swaps through).

``run_query`` answers with a ``QueryResult`` of Python values; the prefixes
in ``QUERY_PREFIXES`` (kgo:, kg:, rdfs:, skos:, dcterms:, xsd:, schema:,
rdf:) may be used without declaring them. pyoxigraph has no per-query
timeout; a server that needs one should run ``oxigraph serve-read-only
--timeout-s``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.export.rdf import PREFIXES, corpus_quads
from kg.records import Corpus
from kg.store.results import GRAPH_VARIABLES, IRI, BlankNode, QueryResult, Value, literal_value

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}

#: Where ``kg`` keeps its store unless told otherwise.
DEFAULT_STORE = Path("outputs/store")

_RDF_SUFFIXES = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
}


class StoreError(RuntimeError):
    """The store cannot be built or opened (missing, or the path is not a store)."""


class EndpointError(RuntimeError):
    """A SPARQL endpoint refused a query or could not be reached."""


# --------------------------------------------------------------------------
# Building and opening
# --------------------------------------------------------------------------


def load_store(
    source: Corpus | str | Path | Iterable[bytes],
    directory: str | Path = DEFAULT_STORE,
    *,
    piece_bytes: int | None = None,
    format: str | None = None,
) -> int:
    """Build the store at ``directory`` from a corpus, an RDF file or RDF pieces; return its triple count.

    A corpus is streamed in with ``bulk_extend``; a file (N-Triples,
    Turtle, JSON-LD, N-Quads, TriG or RDF/XML, chosen by suffix) with
    ``bulk_load``; any other iterable is taken as pieces of RDF in
    ``format`` ("turtle" or "ntriples"), each a document of its own, and
    each bulk-loaded as it comes. The new store replaces the old one only
    once complete. Loads into the same directory are serialised by a lock
    file.

    ``piece_bytes`` loads a Turtle or N-Triples file in pieces of about
    that size, each with one ``bulk_load``: the loader's memory grows with
    its input (6M triples in one piece peak at 1.7 GB, in 50 MB pieces at
    0.7 GB). Only for files as ``kg.export.rdf`` writes them: no blank
    nodes, every statement starting at the first column of a line, later
    lines of a statement indented.

    Raises ``StoreError`` if ``directory`` exists and is not a store (so a
    mistyped path never replaces a directory of other files), and the
    loader's ``SyntaxError``/``OSError`` for a bad file.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _load_lock(directory):
        _recover_interrupted_swap(directory)
        if directory.exists() and not is_store(directory):
            raise StoreError(f"{directory} exists and is not an Oxigraph store; not replacing it")
        pieces = None if isinstance(source, (Corpus, str, os.PathLike)) else source
        if pieces is not None:
            fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[format or ""]
        else:
            fmt = None if isinstance(source, Corpus) else _rdf_format(Path(source))
        building = Path(tempfile.mkdtemp(prefix=f".{directory.name}.loading-", dir=directory.parent))
        try:
            store = ox.Store(str(building))
            if isinstance(source, Corpus):
                store.bulk_extend(corpus_quads(source))
            elif pieces is not None or (piece_bytes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)):
                for piece in pieces if pieces is not None else _statement_pieces(Path(source), piece_bytes or 0):
                    store.bulk_load(input=piece, format=fmt)
            else:
                store.bulk_load(path=str(source), format=fmt)
            store.flush()
            count = len(store)
            del store  # closes RocksDB before the directory moves
            _swap_in(building, directory)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    return count


def _statement_pieces(path: Path, size: int) -> Iterator[bytes]:
    """The file in pieces of about ``size`` bytes, each cut before a line that starts a statement.

    Every piece starts with the file's leading ``@prefix`` lines, so it parses on its own.
    """
    with open(path, "rb") as handle:
        header = b""
        while True:
            line = handle.readline()
            if line.startswith((b"@prefix ", b"@base ")) or (header and line.strip() == b""):
                header += line
            else:
                carry = line
                break
        while True:
            block = handle.read(size)
            data = carry + block
            if not block:
                if data.strip():
                    yield header + data
                return
            cut = statements_end(data)
            if cut == 0:
                carry = data
                continue
            yield header + data[:cut]
            carry = data[cut:]


def statements_end(data: bytes | bytearray) -> int:
    """Where the last statement known to be complete in ``data`` ends: just before a line that starts one.

    0 when no such line follows; for files as ``kg.export.rdf`` writes them
    (a statement starts at the first column, its later lines are indented).

    >>> statements_end(b"<a> <p> <b> ;\\n\\t<q> <c> .\\n<d> <p> <e> .\\n<f>")
    39
    >>> statements_end(b"<a> <p> <b> ;\\n\\t<q> <c> .")
    0
    """
    cut = len(data)
    while True:
        cut = data.rfind(b"\n", 0, cut)
        if cut < 0:
            return 0
        if data[cut + 1 : cut + 2] not in (b" ", b"\t", b"\r", b"\n", b""):
            return cut + 1


def open_store(directory: str | Path = DEFAULT_STORE, read_only: bool = True) -> ox.Store:
    """Open the store at ``directory``, read-only unless asked otherwise.

    Any number of processes may hold it open read-only; ``load_store``
    can replace it meanwhile (open handles keep reading the old files).
    """
    directory = Path(directory)
    _recover_interrupted_swap(directory)
    if not is_store(directory):
        raise StoreError(f"no Oxigraph store at {directory}; build one first (kg build / kg load)")
    return ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))


def is_store(directory: Path) -> bool:
    """True when ``directory`` holds a RocksDB (Oxigraph) database."""
    return (directory / "CURRENT").is_file()


def _rdf_format(path: Path) -> Any:
    suffixes = path.suffixes
    fmt = _RDF_SUFFIXES.get(suffixes[-1].lower()) if suffixes else None
    if fmt is None:
        raise ValueError(f"cannot tell the RDF format of {path}; use one of {sorted(_RDF_SUFFIXES)}")
    if not path.is_file():
        raise FileNotFoundError(path)
    return fmt


def _old_path(directory: Path) -> Path:
    return directory.with_name(f".{directory.name}.old")


def _swap_in(building: Path, directory: Path) -> None:
    old = _old_path(directory)
    if old.exists():
        shutil.rmtree(old)
    if directory.exists():
        os.rename(directory, old)
    os.rename(building, directory)
    shutil.rmtree(old, ignore_errors=True)


def _recover_interrupted_swap(directory: Path) -> None:
    if directory.exists():
        return
    # ".store.old" is ours; ".store.old-<pid>" is what kg.build's swap leaves.
    candidates = [_old_path(directory), *directory.parent.glob(f".{directory.name}.old-*")]
    stores = [path for path in candidates if is_store(path)]
    if stores:
        os.rename(max(stores, key=lambda path: path.stat().st_mtime), directory)


@contextlib.contextmanager
def _load_lock(directory: Path) -> Iterator[None]:
    lock_path = directory.with_name(f".{directory.name}.lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# Querying
# --------------------------------------------------------------------------


def run_query(store: ox.Store, sparql: str) -> QueryResult:
    """Run a SPARQL query on a store; ``QUERY_PREFIXES`` are predeclared.

    A prefix the query declares itself wins over the predeclared one.
    Raises ``SyntaxError`` for a malformed query.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode(PREFIXES["kg"] + "dataset/mnist"),
    ...                   ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("MNIST")))
    >>> run_query(store, "SELECT ?name WHERE { kg:dataset\\\\/mnist rdfs:label ?name }").rows
    (('MNIST',),)
    """
    return query_result(store.query(sparql, prefixes=QUERY_PREFIXES))


def query_result(answer: Any) -> QueryResult:
    """A ``QueryResult`` from what pyoxigraph returns (solutions, boolean or triples)."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        rows = tuple(tuple(term_value(solution[i]) for i in range(len(names))) for solution in answer)
        return QueryResult("select", names, rows)
    return graph_result(answer)


def graph_result(triples: Iterable[Any]) -> QueryResult:
    """A "graph" ``QueryResult`` from pyoxigraph triples."""
    rows = tuple((term_value(t.subject), term_value(t.predicate), term_value(t.object)) for t in triples)
    return QueryResult("graph", GRAPH_VARIABLES, rows)


def term_value(term: Any) -> Value | None:
    """The Python value of a pyoxigraph term (``None`` for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNode(term.value)
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value, term.language)
    return str(term)  # an RDF-star triple term


# --------------------------------------------------------------------------
# Remote endpoints
# --------------------------------------------------------------------------

_ACCEPT = ", ".join(
    [
        "application/sparql-results+json",
        "application/sparql-results+xml;q=0.9",
        "application/n-triples;q=0.9",
        "text/turtle;q=0.8",
        "text/tab-separated-values;q=0.5",
    ]
)
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_DECLARED_PREFIX = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")


def with_prefixes(sparql: str, prefixes: dict[str, str] = QUERY_PREFIXES) -> str:
    """The query with PREFIX lines prepended for each predeclared prefix it does not declare.

    >>> with_prefixes("PREFIX kg: <urn:x:> ASK {}", {"kg": "urn:kg:", "xsd": "urn:xsd:"})
    'PREFIX xsd: <urn:xsd:>\\nPREFIX kg: <urn:x:> ASK {}'
    """
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(sparql)}
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items() if name not in declared]
    return "".join(lines) + sparql


def query_endpoint(url: str, sparql: str, *, timeout: float = 60.0) -> QueryResult:
    """Run a query against any SPARQL 1.1 endpoint over HTTP (a POST form, as the protocol allows).

    ``QUERY_PREFIXES`` are prepended unless the query declares them. SELECT
    and ASK answers are read as SPARQL JSON, XML or TSV; CONSTRUCT and
    DESCRIBE answers as N-Triples, Turtle, RDF/XML or JSON-LD. Raises
    ``EndpointError`` when the endpoint answers with an HTTP error (its
    message included) or cannot be reached.
    """
    body = urllib.parse.urlencode({"query": with_prefixes(sparql)}).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Accept": _ACCEPT,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "kg (https://w3id.org/kg-ml)",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            payload = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip()[:1000]
        raise EndpointError(f"{url} answered {error.code} {error.reason}: {detail}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise EndpointError(f"cannot query {url}: {error}") from error
    return endpoint_result(payload, media_type)


def endpoint_result(payload: bytes, media_type: str) -> QueryResult:
    """A ``QueryResult`` from an endpoint's answer body and its media type."""
    if media_type in _RESULT_FORMATS:
        if media_type.endswith("json"):
            _check_json_results(payload)
        return query_result(ox.parse_query_results(payload, _RESULT_FORMATS[media_type]))
    if media_type in _GRAPH_FORMATS:
        return graph_result(ox.parse(payload, _GRAPH_FORMATS[media_type]))
    raise EndpointError(f"the endpoint answered with {media_type!r}, which is not a SPARQL result format")


def _check_json_results(payload: bytes) -> None:
    try:
        document = json.loads(payload)
    except ValueError as error:
        raise EndpointError(f"the endpoint's JSON answer does not parse: {error}") from error
    if not isinstance(document, dict) or not ("boolean" in document or "results" in document):
        raise EndpointError("the endpoint's JSON answer is not a SPARQL result")
