"""The SPARQL 1.1 Protocol as pure functions: read a query request, refuse updates, negotiate a format.

Nothing here touches the store or the network, so every rule of the
protocol is tested on plain strings. A query reaches the endpoint in one
of three ways (W3C SPARQL 1.1 Protocol, section 2.1):

- GET ``/sparql?query=…``;
- POST ``application/x-www-form-urlencoded`` with ``query=…`` in the body;
- POST ``application/sparql-query`` with the query as the whole body.

``default-graph-uri`` and ``named-graph-uri`` may be repeated (in the URL,
or in the form body). Any other parameter is ignored: SPARQLWrapper adds
``format=``, ``output=`` and ``results=`` for endpoints of the Virtuoso
era. A SPARQL Update is refused however it comes (``update=``,
``application/sparql-update``, or an update in ``query=``): the store is
changed by ``kg build`` / ``kg load`` only, never over HTTP. A query with
a SERVICE clause is refused too: the endpoint makes no outgoing requests.

>>> read_query_request("GET", "", "query=ASK%20%7B%7D&format=json", b"").query
'ASK {}'
>>> choose_media_type("text/csv;q=0.5, application/sparql-results+xml", SOLUTION_MEDIA_TYPES)
'application/sparql-results+xml'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

#: Media types a SELECT or ASK answer can be written in, by server preference → format name.
SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}

#: Media types a CONSTRUCT or DESCRIBE answer can be written in, by server preference → format name.
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "text/n3": "n3",
    "text/rdf+n3": "n3",
    "application/n3": "n3",
}

#: The Content-Type each format is answered with.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "n3": "text/n3; charset=utf-8",
}

_UPDATE_KEYWORD = re.compile(r"(?i)(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b")
# What may come before the query form: white space, comments, BASE and PREFIX declarations.
_PROLOGUE_ITEM = re.compile(
    r"\s+|#[^\n]*|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s*[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*\s*:\s*<[^>]*>"
    r"|(?i:PREFIX)\s*:\s*<[^>]*>"
)


class ProtocolError(Exception):
    """A request the endpoint refuses: an HTTP status and the message the client is shown."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query to answer: its text, the client's Accept header, and the dataset it names."""

    query: str
    accept: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def read_query_request(
    method: str, content_type: str, url_query: str, body: bytes, accept: str = ""
) -> QueryRequest:
    """The query a protocol request carries; ``ProtocolError`` when there is none or it is an update.

    ``content_type`` is the request's Content-Type header (parameters such
    as ``charset`` are ignored: the protocol says UTF-8), ``url_query`` the
    part of the URL after "?", ``body`` the request body (empty for GET).

    >>> read_query_request("POST", "application/sparql-query", "default-graph-uri=urn%3Ag", b"SELECT * {}")
    QueryRequest(query='SELECT * {}', accept='', default_graphs=('urn:g',), named_graphs=())
    >>> read_query_request("POST", FORM, "", b"update=DROP+ALL")
    Traceback (most recent call last):
    kg.serve.protocol.ProtocolError: this endpoint is read-only: SPARQL Update is refused (the store is built with kg build / kg load)
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    params = _parse_params(url_query)
    if method == "POST":
        if media_type == SPARQL_UPDATE:
            raise ProtocolError(403, _READ_ONLY)
        if media_type == FORM:
            for name, values in _parse_params(_decode(body)).items():
                params.setdefault(name, []).extend(values)
        elif media_type == SPARQL_QUERY:
            if "query" in params:
                raise ProtocolError(400, "a query sent as application/sparql-query must not also have query= in the URL")
            params["query"] = [_decode(body)]
        else:
            raise ProtocolError(
                415,
                f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}, not as {media_type or 'an untyped body'}",
            )
    if "update" in params:
        raise ProtocolError(403, _READ_ONLY)
    queries = params.get("query", [])
    if len(queries) != 1:
        problem = "no query" if not queries else "more than one query= parameter"
        raise ProtocolError(400, f"{problem}: send exactly one SPARQL query as query=... (GET or POST form) "
                                 f"or as a POST body of type {SPARQL_QUERY}")
    query = queries[0]
    if is_update(query):
        raise ProtocolError(403, _READ_ONLY)
    if uses_service(query):
        raise ProtocolError(403, _NO_SERVICE)
    return QueryRequest(
        query=query,
        accept=accept,
        default_graphs=tuple(params.get("default-graph-uri", ())),
        named_graphs=tuple(params.get("named-graph-uri", ())),
    )


_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused (the store is built with kg build / kg load)"
_NO_SERVICE = "federated queries (SERVICE) are refused: this endpoint makes no requests to other servers"
# Where "SERVICE" is not a keyword: strings, IRIs and comments ("\'" and "\#" are escapes in prefixed names).
_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|(?<!\\)'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|(?<!\\)'(?:[^'\\\n]|\\.)*'" r'|<[^<>"{}|^`\\\x00-\x20]*>|(?<!\\)#[^\n]*'
)
_SERVICE = re.compile(r"(?<![\w?$:@])SERVICE(?![\w:])", re.IGNORECASE)


def _parse_params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the parameters are not valid percent-encoded UTF-8") from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None


def is_update(sparql: str) -> bool:
    """True when the text is a SPARQL Update rather than a query: its first keyword after the prologue.

    >>> is_update("PREFIX ex: <urn:ex:> # add one\\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT ?insert WHERE { ?s ?p ?insert }")
    False
    """
    position = 0
    while match := _PROLOGUE_ITEM.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    return _UPDATE_KEYWORD.match(sparql, position) is not None


def uses_service(sparql: str) -> bool:
    """True when the query has a SERVICE clause, which would make the endpoint send HTTP requests.

    pyoxigraph runs SERVICE by fetching the given URL, so a public endpoint
    that allowed it could be made to reach any host its machine can
    (internal services, cloud metadata): a server-side request forgery.

    >>> uses_service("SELECT * WHERE { SERVICE SILENT <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service("SELECT ?service WHERE { ?service rdfs:label 'SERVICE' } # no SERVICE here")
    False
    """
    return _SERVICE.search(_NOT_KEYWORDS.sub(" ", sparql)) is not None


# --------------------------------------------------------------------------
# Content negotiation
# --------------------------------------------------------------------------


def choose_media_type(accept: str, offered: Iterable[str]) -> str:
    """The offered media type the Accept header prefers; the first offered when it names none.

    The most specific matching range sets a type's quality ("text/csv" over
    "text/*" over "*/*"); ties go to the order of ``offered``. A client that
    accepts nothing we can write gets the default rather than a 406, as
    most SPARQL endpoints do.

    >>> choose_media_type("text/*;q=0.9, */*;q=0.1", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> choose_media_type("image/png", ["text/turtle", "application/n-triples"])
    'text/turtle'
    """
    offered = list(offered)
    ranges = list(_accept_ranges(accept))
    best, best_quality = offered[0], 0.0
    for media_type in offered:
        quality = _quality(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


def _accept_ranges(accept: str) -> Iterator[tuple[str, float]]:
    for part in accept.split(","):
        fields = [field.strip() for field in part.split(";")]
        media_range = fields[0].lower()
        if "/" not in media_range:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        yield media_range, quality


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    kind = media_type.split("/", 1)[0]
    best_specificity, quality = -1, 0.0
    for media_range, q in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{kind}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, quality = specificity, q
    return quality
