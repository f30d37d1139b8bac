"""Query results as Python values: ``QueryResult`` and the value types it holds.

A cell is ``None`` (unbound) or a Python value that remembers what RDF term
it came from, so results print and compare naturally yet can be written back
as SPARQL JSON or RDF without guessing:

- ``IRI`` and ``BlankNode`` (``str`` subclasses) for nodes;
- ``str`` for xsd:string, ``LangString`` (with ``.language``) for tagged text;
- ``Decimal`` for xsd:decimal, ``int`` for xsd:integer, ``float`` for
  xsd:double, ``bool`` for xsd:boolean, ``datetime.date`` for xsd:date;
- ``TypedLiteral`` (with ``.datatype``) for any other datatype, or a
  lexical form that does not parse.

>>> literal_value("3.50", XSD + "decimal")
Decimal('3.50')
>>> literal_value("7", XSD + "integer") + 1
8
>>> literal_value("bonjour", language="fr").language
'fr'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal, Union

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class IRI(str):
    """An IRI in a query result; a ``str`` holding the full IRI."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNode(str):
    """A blank node in a query result; a ``str`` holding its id (without "_:")."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNode({str.__repr__(self)})"


class LangString(str):
    """A language-tagged literal: the text, with ``.language`` ("en")."""

    __slots__ = ("language",)

    def __new__(cls, text: str, language: str) -> LangString:
        value = super().__new__(cls, text)
        value.language = language
        return value

    def __repr__(self) -> str:
        return f"LangString({str.__repr__(self)}, {self.language!r})"


class TypedLiteral(str):
    """A literal of a datatype with no Python counterpart: lexical form and ``.datatype`` IRI."""

    __slots__ = ("datatype",)

    def __new__(cls, lexical: str, datatype: str) -> TypedLiteral:
        value = super().__new__(cls, lexical)
        value.datatype = datatype
        return value

    def __repr__(self) -> str:
        return f"TypedLiteral({str.__repr__(self)}, {self.datatype!r})"


Value = Union[IRI, BlankNode, LangString, TypedLiteral, str, Decimal, int, float, bool, date]


def literal_value(lexical: str, datatype: str | None = None, language: str | None = None) -> Value:
    """The Python value of an RDF literal (see the module docstring for the mapping)."""
    if language:
        return LangString(lexical, language)
    if datatype is None or datatype == XSD + "string":
        return lexical
    if datatype == RDF_LANG_STRING:
        return LangString(lexical, "")
    try:
        if datatype == XSD + "decimal":
            number = Decimal(lexical)
            if number.is_finite():
                return number
        elif datatype == XSD + "integer":
            return int(lexical)
        elif datatype == XSD + "double":
            return float(lexical.replace("INF", "inf"))
        elif datatype == XSD + "boolean":
            if lexical in ("true", "1", "false", "0"):
                return lexical in ("true", "1")
        elif datatype == XSD + "date":
            return date.fromisoformat(lexical)
    except (ValueError, InvalidOperation):
        pass
    return TypedLiteral(lexical, datatype)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query, as Python values.

    ``kind`` is "select" (``variables`` and ``rows``), "ask" (``boolean``) or
    "graph" (CONSTRUCT/DESCRIBE: ``rows`` of subject, predicate, object under
    the variables "subject", "predicate", "object").

    >>> r = QueryResult("select", ("name", "papers"), (("CIFAR-10", 3),))
    >>> r.records()
    [{'name': 'CIFAR-10', 'papers': 3}]
    """

    kind: Literal["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Value | None, ...], ...] = ()
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Value | None, ...]]:
        return iter(self.rows)

    def column(self, variable: str) -> list[Value | None]:
        """The values of one variable, row by row."""
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Value | None]]:
        """Each row as a dict from variable to value."""
        return [dict(zip(self.variables, row)) for row in self.rows]


GRAPH_VARIABLES = ("subject", "predicate", "object")
