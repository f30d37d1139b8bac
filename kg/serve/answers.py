"""Answer one SPARQL query on a pyoxigraph store: run it, cut it at the row cap, write the bytes.

This is what a query process does with each request. The answer is
complete (status, Content-Type, body), so the HTTP side only relays it.

Solutions are written here rather than with pyoxigraph's
``QuerySolutions.serialize``, which takes a whole result and cannot stop
at ``max_rows``: SPARQL JSON, XML, CSV and TSV as in the W3C result-format
specs. A cut JSON answer carries a top-level ``"kg": {"truncated": true,
"max_rows": N}`` member, which SPARQL JSON readers ignore. Graphs
(CONSTRUCT, DESCRIBE) are cut the same way and written by pyoxigraph,
Turtle with the ``QUERY_PREFIXES`` declared.

>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("7")))
>>> answer = answer_query(store, QueryRequest("SELECT ?o WHERE { ?s ?p ?o }", accept="text/csv"), max_rows=10)
>>> answer.status, answer.content_type, answer.body
(200, 'text/csv; charset=utf-8', b'o\\r\\n7\\r\\n')
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.serve.protocol import CONTENT_TYPES, GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, QueryRequest, choose_media_type
from kg.store.oxigraph import QUERY_PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

_BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}
_PREFIXED_FORMATS = {"turtle", "n3", "rdfxml"}
# XML 1.0 cannot carry these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to a query: status, Content-Type, body, and whether rows were cut at the cap."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def text_answer(status: int, message: str) -> Answer:
    """A plain-text answer (errors): the message and a newline."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def answer_query(store: Any, request: QueryRequest, max_rows: int) -> Answer:
    """Run the request's query and write the answer in the format its Accept header prefers.

    More than ``max_rows`` solutions (or triples) are cut to ``max_rows``
    and the answer says so (``truncated``). A malformed query is a 400 with
    the parser's message; a failure reading the store a 500.
    """
    try:
        result = store.query(
            request.query,
            prefixes=QUERY_PREFIXES,
            default_graph=[ox.NamedNode(iri) for iri in request.default_graphs] or None,
            named_graphs=[ox.NamedNode(iri) for iri in request.named_graphs] or None,
        )
        if isinstance(result, ox.QueryBoolean):
            fmt = SOLUTION_MEDIA_TYPES[choose_media_type(request.accept, SOLUTION_MEDIA_TYPES)]
            return Answer(200, CONTENT_TYPES[fmt], result.serialize(format=_BOOLEAN_FORMATS[fmt]))
        if isinstance(result, ox.QuerySolutions):
            fmt = SOLUTION_MEDIA_TYPES[choose_media_type(request.accept, SOLUTION_MEDIA_TYPES)]
            variables = [variable.value for variable in result.variables]
            rows, truncated = _take(result, max_rows)
            body = SOLUTION_WRITERS[fmt](variables, rows, max_rows if truncated else None)
            return Answer(200, CONTENT_TYPES[fmt], body, truncated)
        fmt = GRAPH_MEDIA_TYPES[choose_media_type(request.accept, GRAPH_MEDIA_TYPES)]
        triples, truncated = _take(result, max_rows)
        prefixes = QUERY_PREFIXES if fmt in _PREFIXED_FORMATS else None
        body = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
        return Answer(200, CONTENT_TYPES[fmt], body, truncated)
    except SyntaxError as error:
        return text_answer(400, f"malformed query: {error}")
    except ValueError as error:  # an IRI in default-graph-uri / named-graph-uri that does not parse
        return text_answer(400, str(error))
    except OSError as error:
        return text_answer(500, f"the store could not be read: {error}")


def _take(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    """The first ``limit`` items, and whether there were more (read one past the limit, no further)."""
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


# --------------------------------------------------------------------------
# Solutions
# --------------------------------------------------------------------------

Row = Sequence[Any]


def write_json(variables: list[str], rows: Iterable[Row], cut_at: int | None = None) -> bytes:
    """SPARQL 1.1 Query Results JSON; ``cut_at`` adds the ``"kg"`` truncation member.

    >>> print(write_json(["n"], [[ox.Literal("1", language="en")]], cut_at=1).decode(), end="")
    {"head":{"vars":["n"]},"results":{"bindings":[
    {"n":{"type":"literal","value":"1","xml:lang":"en"}}
    ]},"kg":{"truncated":true,"max_rows":1}}
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines = [
        dumps({name: _json_term(term) for name, term in zip(variables, row) if term is not None})
        for row in rows
    ]
    head = dumps({"vars": variables})
    tail = "]}" + ("" if cut_at is None else "," + dumps({"kg": {"truncated": True, "max_rows": cut_at}})[1:-1])
    bindings = "\n" + ",\n".join(lines) + "\n" if lines else ""
    return ('{"head":' + head + ',"results":{"bindings":[' + bindings + tail + "}\n").encode("utf-8")


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {  # an RDF 1.2 triple term
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def write_xml(variables: list[str], rows: Iterable[Row], cut_at: int | None = None) -> bytes:
    """SPARQL Query Results XML (the truncation is only in the HTTP headers).

    >>> print(write_xml(["s"], [[ox.NamedNode("urn:a&b")]]).decode(), end="")
    <?xml version="1.0" encoding="utf-8"?>
    <sparql xmlns="http://www.w3.org/2005/sparql-results#">
    <head><variable name="s"/></head>
    <results>
    <result><binding name="s"><uri>urn:a&amp;b</uri></binding></result>
    </results>
    </sparql>
    """
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<sparql xmlns="{RESULTS_NS}">',
        "<head>" + "".join(f"<variable name={quoteattr(name)}/>" for name in variables) + "</head>",
        "<results>",
    ]
    for row in rows:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row)
            if term is not None
        )
        out.append(f"<result>{bindings}</result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out).encode("utf-8")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def write_csv(variables: list[str], rows: Iterable[Row], cut_at: int | None = None) -> bytes:
    r"""SPARQL 1.1 CSV: values bare (IRIs and lexical forms; blank nodes as ``_:id``), CRLF line ends.

    >>> write_csv(["s", "n"], [[ox.NamedNode("urn:a"), ox.Literal("x, y")], [None, ox.BlankNode("b")]])
    b's,n\r\nurn:a,"x, y"\r\n,_:b\r\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_cell(term) for term in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def write_tsv(variables: list[str], rows: Iterable[Row], cut_at: int | None = None) -> bytes:
    r"""SPARQL 1.1 TSV: "?name" headers, terms in Turtle syntax, LF line ends.

    >>> write_tsv(["s", "label"], [[ox.NamedNode("urn:a"), ox.Literal("a\tb", language="en")]])
    b'?s\t?label\n<urn:a>\t"a\\tb"@en\n'
    """
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if term is None else _tsv_cell(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_cell(term: Any) -> str:
    # pyoxigraph writes terms as N-Triples, which escapes quotes and line breaks; TSV also needs tabs escaped.
    return str(term).replace("\t", "\\t")


SOLUTION_WRITERS: dict[str, Callable[[list[str], Iterable[Row], int | None], bytes]] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
}

