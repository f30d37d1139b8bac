"""Query results as text: an aligned table for people, CSV and SPARQL 1.1 JSON for programs.

Pure functions from a ``QueryResult`` to a ``str``. The table shortens
IRIs with the known prefixes and truncates long cells; CSV and JSON keep
every value whole (CSV as in "SPARQL 1.1 Query Results CSV and TSV
Formats": IRIs and literals bare, blank nodes as ``_:id``; JSON as in
"SPARQL 1.1 Query Results JSON Format"). A graph result (CONSTRUCT or
DESCRIBE) is written as rows of subject, predicate, object, or as
N-Triples or Turtle with ``format_rdf``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kg.store.results import XSD, IRI, BlankNode, LangString, QueryResult, TypedLiteral, Value

OUTPUT_FORMATS = ("table", "csv", "json")

#: Prefixes the table shortens IRIs with (longest namespace first wins).
TABLE_PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/kg-ml/id/",
    "kgo": "https://w3id.org/kg-ml/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": XSD,
    "schema": "https://schema.org/",
}


def format_result(result: QueryResult, fmt: str = "table", **options: object) -> str:
    """The result in one of ``OUTPUT_FORMATS`` ("table", "csv", "json"); every format ends in a newline."""
    if fmt == "table":
        return format_table(result, **options)  # type: ignore[arg-type]
    if fmt == "csv":
        return format_csv(result)
    if fmt == "json":
        return format_json(result)
    raise ValueError(f"unknown output format {fmt!r}; use one of {OUTPUT_FORMATS}")


# --------------------------------------------------------------------------
# Table
# --------------------------------------------------------------------------


def format_table(
    result: QueryResult,
    *,
    max_width: int = 60,
    prefixes: Mapping[str, str] = TABLE_PREFIXES,
) -> str:
    """An aligned text table: a header, a rule, one line per row, and a row count.

    Cells longer than ``max_width`` characters end in "…"; line breaks and
    tabs become spaces; numbers are right-aligned; unbound cells are empty.

    >>> r = QueryResult("select", ("name", "papers"), (("CIFAR-10", 12), ("ImageNet 64x64", 3)))
    >>> print(format_table(r), end="")
    name           papers
    -------------- ------
    CIFAR-10           12
    ImageNet 64x64      3
    (2 rows)
    """
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if not result.variables:
        return f"({len(result.rows)} rows)\n"
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    cells = [[_table_cell(v, namespaces, max_width) for v in row] for row in result.rows]
    columns = list(zip(*cells)) if cells else [() for _ in result.variables]
    widths = [max([len(name), *map(len, column)]) for name, column in zip(result.variables, columns)]
    numeric = [
        bool(result.rows) and all(_is_number(row[i]) or row[i] is None for row in result.rows)
        for i in range(len(result.variables))
    ]

    def line(values: list[str]) -> str:
        parts = [
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric)
        ]
        return " ".join(parts).rstrip()

    lines = [line(list(result.variables)), " ".join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _is_number(value: Value | None) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _table_cell(value: Value | None, namespaces: list[tuple[str, str]], max_width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, IRI):
        text = _shorten(value, namespaces)
    elif isinstance(value, BlankNode):
        text = f"_:{value}"
    else:
        text = lexical_form(value)
    text = " ".join(text.split()) if any(c in text for c in "\n\r\t") else text
    if len(text) > max_width:
        text = text[: max(max_width - 1, 0)] + "…"
    return text


def _shorten(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


# --------------------------------------------------------------------------
# CSV and JSON
# --------------------------------------------------------------------------


def format_csv(result: QueryResult) -> str:
    r"""SPARQL 1.1 CSV: a header of variable names, then one line per row (CRLF line ends).

    An ASK result is a single "boolean" column.

    >>> format_csv(QueryResult("select", ("s", "n"), ((IRI("urn:a"), Decimal("3.50")), (None, "x, y"))))
    's,n\r\nurn:a,3.50\r\n,"x, y"\r\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def _csv_cell(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, BlankNode):
        return f"_:{value}"
    return lexical_form(value)


def format_json(result: QueryResult, *, indent: int | None = 2) -> str:
    """SPARQL 1.1 Query Results JSON (``head``/``results``/``bindings``, or ``boolean``).

    >>> print(format_json(QueryResult("select", ("n",), ((7,),)), indent=None), end="")
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
    """
    if result.kind == "ask":
        document: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {name: json_term(value) for name, value in zip(result.variables, row) if value is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def json_term(value: Value) -> dict[str, str]:
    """One RDF term as a SPARQL JSON results object."""
    if isinstance(value, IRI):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BlankNode):
        return {"type": "bnode", "value": str(value)}
    term = {"type": "literal", "value": lexical_form(value)}
    if isinstance(value, LangString):
        if value.language:
            term["xml:lang"] = value.language
        return term
    datatype = literal_datatype(value)
    if datatype is not None:
        term["datatype"] = datatype
    return term


def lexical_form(value: Value) -> str:
    """The RDF lexical form of a value: "3.50", "true", "2024-01-31", or the text itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value).replace("inf", "INF")
    if isinstance(value, (int, date)):
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def literal_datatype(value: Value) -> str | None:
    """The datatype IRI of a literal value; ``None`` for a plain string."""
    if isinstance(value, TypedLiteral):
        return value.datatype
    if isinstance(value, bool):
        return XSD + "boolean"
    if isinstance(value, Decimal):
        return XSD + "decimal"
    if isinstance(value, int):
        return XSD + "integer"
    if isinstance(value, float):
        return XSD + "double"
    if isinstance(value, date):
        return XSD + "date"
    return None


# --------------------------------------------------------------------------
# RDF (graph results)
# --------------------------------------------------------------------------


def format_rdf(result: QueryResult, fmt: str = "turtle") -> str:
    """A graph result (CONSTRUCT/DESCRIBE) as Turtle or N-Triples text."""
    import pyoxigraph as ox

    if result.kind != "graph":
        raise ValueError("only a CONSTRUCT or DESCRIBE result is a graph")
    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
    if fmt not in formats:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {sorted(formats)}")
    triples = [ox.Triple(*(_ox_term(ox, v) for v in row)) for row in result.rows]
    prefixes = dict(TABLE_PREFIXES) if fmt == "turtle" else None
    return ox.serialize(triples, format=formats[fmt], prefixes=prefixes).decode("utf-8")


def _ox_term(ox: object, value: Value | None) -> object:
    if isinstance(value, IRI):
        return ox.NamedNode(value)  # type: ignore[attr-defined]
    if isinstance(value, BlankNode):
        return ox.BlankNode(value)  # type: ignore[attr-defined]
    if isinstance(value, LangString) and value.language:
        return ox.Literal(str(value), language=value.language)  # type: ignore[attr-defined]
    datatype = literal_datatype(value)  # type: ignore[arg-type]
    if datatype is None:
        return ox.Literal(str(value))  # type: ignore[attr-defined]
    return ox.Literal(lexical_form(value), datatype=ox.NamedNode(datatype))  # type: ignore[attr-defined,arg-type]
