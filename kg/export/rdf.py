"""The corpus as RDF: triples in the kg ontology, written as Turtle, N-Triples or JSON-LD.

Every node gets an IRI under ``ID_BASE``: entities, papers and results use
their record keys ("dataset/cifar-10", "paper/3f2a…", "result/9c1e…"),
each paper–entity link gets a ``kgo:Mention`` node at
"mention/<paper hash>/<entity key>". Keys are percent-encoded, so any name
gives a valid IRI.

Terms are pyoxigraph objects (building Python term objects is the slow
part of an export, and pyoxigraph's are the cheapest to build and the
fastest to serialise and load). The triples come in a canonical order:
entities by key, then each paper (by paper id) followed by its mentions
and results, each subject's triples together. So a Turtle file is
byte-identical for the same corpus and groups each subject's triples.

A sketch of one paper::

    kg:paper\\/3f2a… a kgo:Paper ; dcterms:title "…" ;
        kgo:mentions kg:dataset\\/cifar-10 ;
        kgo:hasMention kg:mention\\/3f2a…\\/dataset\\/cifar-10 ;
        kgo:reportsResult kg:result\\/9c1e… .
    kg:result\\/9c1e… a kgo:Result ; rdfs:label "FID 3.55 on CIFAR-10" ;
        kgo:value 3.55 ; kgo:unit "%" ;
        kgo:relative false ; kgo:metric kg:metric\\/fid ; kgo:evidence "…" .
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit

from kg.export.atomic import is_text_stream, open_output
from kg.graph.model import paper_key, result_label
from kg.namespace import ID_BASE, KGO
from kg.records import Corpus, Entity, ResolvedPaper, Result

log = logging.getLogger(__name__)

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The prefixes a Turtle export declares (and that queries may use undeclared).
PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "kg": ID_BASE,
    "kgo": str(KGO),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": XSD,
}

FORMATS = {
    "turtle": "turtle",
    "ttl": "turtle",
    "ntriples": "ntriples",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
}

#: File suffix of each output format.
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}

_PCT_NOT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------
# IRIs and literal forms
# --------------------------------------------------------------------------


def key_iri(key: str) -> str:
    """The IRI of a record key: ``ID_BASE`` plus the key, percent-encoded.

    Letters, digits, "-", ".", "_", "~" and "/" are kept; everything else
    (spaces, quotes, angle brackets, "%", non-ASCII) is percent-encoded as
    UTF-8; "." or ".." path segments and a final "." are written "%2E"
    (IRI resolvers collapse dot segments, and rdflib cannot read a Turtle
    local name ending in an escaped dot). Distinct keys give distinct IRIs.

    >>> key_iri("dataset/cifar-10")
    'https://w3id.org/kg-ml/id/dataset/cifar-10'
    >>> key_iri('method/say "hi" <now>')
    'https://w3id.org/kg-ml/id/method/say%20%22hi%22%20%3Cnow%3E'
    >>> key_iri("task/../x"), key_iri("method/v2.")
    ('https://w3id.org/kg-ml/id/task/%2E%2E/x', 'https://w3id.org/kg-ml/id/method/v2%2E')
    """
    if not key:
        raise ValueError("empty key has no IRI")
    encoded = quote(key, safe="/")
    if "." in encoded:
        encoded = "/".join(
            seg.replace(".", "%2E") if seg in (".", "..") else seg for seg in encoded.split("/")
        )
        if encoded.endswith("."):
            encoded = encoded[:-1] + "%2E"
    return ID_BASE + encoded


def paper_hash(paper_iri_key: str) -> str:
    """The hash part of a paper key: "paper/3f2a…" gives "3f2a…"."""
    return paper_iri_key.split("/", 1)[1] if "/" in paper_iri_key else paper_iri_key


def mention_key(paper_key: str, entity_key: str) -> str:
    """The key of the Mention node that links a paper to an entity.

    >>> mention_key("paper/3f2a", "dataset/cifar-10")
    'mention/3f2a/dataset/cifar-10'
    """
    return f"mention/{paper_hash(paper_key)}/{entity_key}"


def web_iri(url: str | None) -> str | None:
    """An http(s) URL as a valid IRI, or None when it is not one.

    Characters IRIs forbid (spaces, quotes, ``<>{}|\\^``) and stray "%" are
    percent-encoded; anything that still fails to parse is dropped.

    >>> web_iri("https://github.com/a b/c")
    'https://github.com/a%20b/c'
    >>> web_iri("github.com/x") is None
    True
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    encoded = quote(_PCT_NOT_ESCAPE.sub("%25", url), safe=":/?#[]@!$&'()*+,;=%~")
    try:
        _ox().NamedNode(encoded)
    except ValueError:
        return None
    return encoded


def decimal_lexical(value: Decimal | float | int) -> str:
    """The xsd:decimal lexical form of a number: plain digits, never an exponent.

    >>> decimal_lexical(Decimal("3.50")), decimal_lexical(Decimal("1E+2")), decimal_lexical(1e-05)
    ('3.50', '100', '0.00001')
    """
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{value} has no xsd:decimal form")
    return format(value, "f")


# --------------------------------------------------------------------------
# Triples
# --------------------------------------------------------------------------


@functools.cache
def _ox() -> Any:
    import pyoxigraph

    return pyoxigraph


@dataclass(frozen=True)
class _Vocabulary:
    """The pyoxigraph NamedNodes of every predicate, class and datatype used."""

    type: Any
    label: Any
    pref_label: Any
    alt_label: Any
    description: Any
    title: Any
    abstract: Any
    date: Any
    url: Any
    xsd_decimal: Any
    xsd_boolean: Any
    xsd_date: Any
    true: Any
    false: Any
    kgo: dict[str, Any]


@functools.cache
def _vocabulary() -> _Vocabulary:
    ox = _ox()
    node = ox.NamedNode
    names = [
        "Paper", "Method", "Architecture", "Dataset", "Metric", "Task", "Result", "Mention",
        "mentions", "proposes", "hasMention", "mentionOf", "reportsResult", "metric",
        "dataset", "subject", "variantOf", "codeRepository", "value", "unit", "relative",
        "evidence", "cue", "confidence", "source", "paperId",
    ]  # fmt: skip
    boolean = node(XSD + "boolean")
    return _Vocabulary(
        type=node(RDF_TYPE),
        label=node(PREFIXES["rdfs"] + "label"),
        pref_label=node(PREFIXES["skos"] + "prefLabel"),
        alt_label=node(PREFIXES["skos"] + "altLabel"),
        description=node(PREFIXES["dcterms"] + "description"),
        title=node(PREFIXES["dcterms"] + "title"),
        abstract=node(PREFIXES["dcterms"] + "abstract"),
        date=node(PREFIXES["dcterms"] + "date"),
        url=node(PREFIXES["schema"] + "url"),
        xsd_decimal=node(XSD + "decimal"),
        xsd_boolean=boolean,
        xsd_date=node(XSD + "date"),
        true=ox.Literal("true", datatype=boolean),
        false=ox.Literal("false", datatype=boolean),
        kgo={name: node(str(KGO[name])) for name in names},  # KGO[...] fails on a typo
    )


def corpus_triples(corpus: Corpus) -> Iterator[Any]:
    """The corpus as a stream of ``pyoxigraph.Triple``, in canonical order.

    References to entity keys that are not in ``corpus.entities`` are left
    out, and so is a result's metric that is not a Metric or dataset that is
    not a Dataset (one warning each), so the output always fits
    ``ontology/shapes.ttl``.
    """
    return _corpus_statements(corpus, _ox().Triple)


def corpus_quads(corpus: Corpus) -> Iterator[Any]:
    """The same statements as ``corpus_triples``, as ``pyoxigraph.Quad`` in the default graph.

    What ``Store.bulk_extend`` takes; built directly rather than from the
    triples, since term objects are the cost.
    """
    return _corpus_statements(corpus, _ox().Quad)


#: The entity type a result's role must have (``kgo:metric`` ranges over Metrics, …).
ROLE_TYPES = {"metric": "Metric", "dataset": "Dataset", "subject": None}


class _Statements:
    """What the statement generators share: the term factory, the vocabulary and the entity nodes.

    Also tallies what had to be left out: keys missing from
    ``corpus.entities`` and result roles whose entity has the wrong type.
    """

    def __init__(self, corpus: Corpus, make: Callable[..., Any]) -> None:
        ox = _ox()
        self.corpus = corpus
        self.make = make
        self.v = _vocabulary()
        self.kgo = self.v.kgo
        self.node = ox.NamedNode
        self.literal = ox.Literal
        self.entity_nodes = {key: ox.NamedNode(key_iri(key)) for key in corpus.entities}
        self.dangling: set[str] = set()
        self.mistyped: list[str] = []

    def entity_node(self, key: str | None) -> Any:
        """The node of an entity key; ``None`` (and a tally) when the corpus lacks it."""
        if key is None:
            return None
        found = self.entity_nodes.get(key)
        if found is None:
            self.dangling.add(key)
        return found

    def checked(self, result: Result) -> Result:
        """The result without role keys that are unknown or of the wrong entity type."""
        changes = {}
        for role, wanted in ROLE_TYPES.items():
            key = getattr(result, role)
            if key is None:
                continue
            if self.entity_node(key) is None:
                changes[role] = None
            elif wanted is not None and self.corpus.entities[key].type != wanted:
                self.mistyped.append(f"{result.key} {role} {key}")
                changes[role] = None
        return replace(result, **changes) if changes else result

    def warn(self) -> None:
        if self.dangling:
            log.warning(
                "%d entity keys are referenced but not in corpus.entities and were left out: %s",
                len(self.dangling),
                ", ".join(sorted(self.dangling)[:5]),
            )
        if self.mistyped:
            log.warning(
                "%d result links point to an entity of the wrong type and were left out: %s",
                len(self.mistyped),
                "; ".join(self.mistyped[:5]),
            )


def _corpus_statements(corpus: Corpus, make: Callable[..., Any]) -> Iterator[Any]:
    ctx = _Statements(corpus, make)
    for key in sorted(corpus.entities):
        yield from _entity_statements(ctx, corpus.entities[key])
    keyed = sorted(((paper_key(r.paper.title), r) for r in corpus.papers), key=_paper_order)
    seen: set[str] = set()
    for pkey, resolved in keyed:
        if pkey in seen:
            log.warning("two papers share the key %s; exporting only the first", pkey)
            continue
        seen.add(pkey)
        yield from _paper_statements(ctx, resolved, pkey)
    ctx.warn()


def _paper_order(item: tuple[str, ResolvedPaper]) -> tuple[str, str]:
    key, resolved = item
    return (resolved.paper.id, key)


def _entity_statements(ctx: _Statements, entity: Entity) -> Iterator[Any]:
    make, v, literal = ctx.make, ctx.v, ctx.literal
    subject = ctx.entity_nodes[entity.key]
    yield make(subject, v.type, v.kgo[entity.type])
    name = literal(entity.name)
    yield make(subject, v.label, name)
    yield make(subject, v.pref_label, name)
    for alias in sorted(set(entity.aliases) - {entity.name}):
        yield make(subject, v.alt_label, literal(alias))
    if entity.description:
        yield make(subject, v.description, literal(entity.description))
    if entity.family and entity.family != entity.key:
        family = ctx.entity_node(entity.family)
        if family is not None:
            yield make(subject, v.kgo["variantOf"], family)


def _paper_statements(ctx: _Statements, resolved: ResolvedPaper, pkey: str) -> Iterator[Any]:
    make, v, kgo, node, literal, entity_node = ctx.make, ctx.v, ctx.kgo, ctx.node, ctx.literal, ctx.entity_node
    paper = resolved.paper
    subject = node(key_iri(pkey))
    yield make(subject, v.type, kgo["Paper"])
    yield make(subject, v.title, literal(paper.title))
    if paper.abstract:
        yield make(subject, v.abstract, literal(paper.abstract))
    if paper.date:
        yield make(subject, v.date, _date_literal(paper.date, v))
    url = web_iri(paper.url)
    if url:
        yield make(subject, v.url, node(url))
    yield make(subject, kgo["paperId"], literal(paper.id))
    for source in sorted({str(s) for s in paper.sources}):
        yield make(subject, kgo["source"], literal(source))
    for code_url in sorted({u for u in map(web_iri, paper.code_urls) if u}):
        yield make(subject, kgo["codeRepository"], node(code_url))

    mentions = {}
    for mention in resolved.mentions:
        if entity_node(mention.entity) is not None:
            mentions.setdefault(mention.entity, mention)  # the first is the best evidence
    proposed = sorted({k for k in resolved.proposes if entity_node(k) is not None})
    for key in sorted(mentions.keys() | set(proposed)):
        yield make(subject, kgo["mentions"], entity_node(key))
    for key in proposed:
        yield make(subject, kgo["proposes"], entity_node(key))
    mention_nodes = {key: node(key_iri(mention_key(pkey, key))) for key in sorted(mentions)}
    for mention_node in mention_nodes.values():
        yield make(subject, kgo["hasMention"], mention_node)
    results: dict[str, Result] = {}
    for result in resolved.results:
        results.setdefault(result.key, result)
    result_nodes = {key: node(key_iri(key)) for key in sorted(results)}
    for result_node in result_nodes.values():
        yield make(subject, kgo["reportsResult"], result_node)

    for key, mention_node in mention_nodes.items():
        mention = mentions[key]
        yield make(mention_node, v.type, kgo["Mention"])
        yield make(mention_node, kgo["mentionOf"], entity_node(key))
        yield make(mention_node, kgo["evidence"], literal(mention.sentence))
        yield make(mention_node, kgo["cue"], literal(mention.cue))
        confidence = _confidence_literal(mention.confidence, v)
        if confidence is not None:
            yield make(mention_node, kgo["confidence"], confidence)

    for key, result_node in result_nodes.items():
        yield from _result_statements(ctx, ctx.checked(results[key]), result_node)


def _result_statements(ctx: _Statements, result: Result, subject: Any) -> Iterator[Any]:
    make, v, kgo, literal = ctx.make, ctx.v, ctx.kgo, ctx.literal
    yield make(subject, v.type, kgo["Result"])
    yield make(subject, v.label, literal(result_label(result, ctx.corpus)))
    yield make(subject, kgo["value"], literal(decimal_lexical(result.value), datatype=v.xsd_decimal))
    if result.unit:
        yield make(subject, kgo["unit"], literal(result.unit))
    yield make(subject, kgo["relative"], v.true if result.relative else v.false)
    for role in ROLE_TYPES:
        key = getattr(result, role)
        if key is not None:
            yield make(subject, kgo[role], ctx.entity_nodes[key])
    yield make(subject, kgo["evidence"], literal(result.sentence))
    confidence = _confidence_literal(result.confidence, v)
    if confidence is not None:
        yield make(subject, kgo["confidence"], confidence)


def _date_literal(text: str, v: _Vocabulary) -> Any:
    literal = _ox().Literal
    if _ISO_DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return literal(text, datatype=v.xsd_date)
    return literal(text)


def _confidence_literal(value: float | None, v: _Vocabulary) -> Any:
    if value is None:
        return None
    try:
        return _ox().Literal(decimal_lexical(value), datatype=v.xsd_decimal)
    except (ValueError, InvalidOperation):
        return None


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_rdf(corpus: Corpus, target: str | Path | IO[Any], format: str = "turtle") -> int:
    """Write the corpus as Turtle, N-Triples or JSON-LD; return the number of triples.

    ``target`` is a path (written atomically: a temp file renamed over it)
    or an open file, binary or text. Turtle declares the prefixes in
    ``PREFIXES``, sorted, and is byte-identical across runs for the same
    corpus. N-Triples is pyoxigraph's canonical form (one triple a line);
    JSON-LD is expanded (full IRIs), one node object per subject block.
    """
    ox = _ox()
    fmt = FORMATS.get(format.lower())
    if fmt is None:
        raise ValueError(f"unknown RDF format {format!r}; use one of {sorted(set(FORMATS.values()))}")
    counter = _Counter(corpus_triples(corpus))
    with open_output(target, "wb") as raw:
        out: Any = _TextSink(raw) if is_text_stream(raw) else raw
        if fmt == "turtle":
            out.write(turtle_prefix_header())
            ox.serialize(counter, _DropPrefixHeader(out), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        elif fmt == "ntriples":
            ox.serialize(counter, out, ox.RdfFormat.N_TRIPLES)
        else:
            ox.serialize(counter, out, ox.RdfFormat.JSON_LD)
        if isinstance(out, _TextSink):
            out.finish()
    return counter.count


def turtle_prefix_header() -> bytes:
    """The @prefix lines of a Turtle export, sorted by prefix, and a blank line."""
    lines = [f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(PREFIXES.items())]
    return ("".join(lines) + "\n").encode("utf-8")


class _Counter:
    """An iterator that counts what passes through it."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = iter(items)
        self.count = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> Any:
        item = next(self._items)
        self.count += 1
        return item


class _DropPrefixHeader:
    """A binary writer that drops the serializer's leading @prefix lines.

    pyoxigraph writes prefixes in an order of its own choosing; we write
    them ourselves, sorted, so the file does not depend on that order.
    """

    def __init__(self, out: Any) -> None:
        self._out = out
        self._pending = b""
        self._in_header = True

    def write(self, data: bytes) -> int:
        if not self._in_header:
            self._out.write(data)
            return len(data)
        self._pending += bytes(data)
        while self._in_header and self._pending:
            end = self._pending.find(b"\n")
            if self._pending.startswith(b"@") and end < 0:
                break  # maybe a prefix line, not complete yet
            if self._pending.startswith(b"@prefix "):
                self._pending = self._pending[end + 1 :]
            else:
                self._in_header = False
                self._out.write(self._pending)
                self._pending = b""
        return len(data)

    def flush(self) -> None:
        if hasattr(self._out, "flush"):
            self._out.flush()


class _TextSink:
    """A binary writer over a text stream, decoding UTF-8 split across writes."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self._out.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def finish(self) -> None:
        self._out.write(self._decoder.decode(b"", final=True))
