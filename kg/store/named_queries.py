"""Named SPARQL queries: the ``kg/queries/*.rq`` files, their parameters, and safe binding.

Each file starts with comment lines that describe it::

    # description: Results for a metric on a dataset, best first.
    # param: metric = FID -- metric name or alias, case-insensitive
    # param: title -- required: a parameter without "=" has no default
    # param: limit:integer = 20

and uses each parameter as a ``$name`` variable in its body, so the file is
valid SPARQL on its own (the parameters are then simply unbound).
``bind_parameters`` replaces each ``$name`` with the value written as a
SPARQL literal: a string is quoted and escaped, an integer is checked to be
one. A value never becomes query syntax.

>>> query = parse_named_query("demo", '''# description: Titles containing a text.
... # param: text = diffusion
... SELECT ?t WHERE { ?p dcterms:title ?t FILTER(CONTAINS(LCASE(?t), LCASE($text))) }''')
>>> query.parameters[0]
QueryParameter(name='text', default='diffusion', kind='string', description='')
>>> print(bind_parameters(query, {"text": 'a "b" } DROP ALL #'}).splitlines()[-1])
SELECT ?t WHERE { ?p dcterms:title ?t FILTER(CONTAINS(LCASE(?t), LCASE("a \\"b\\" } DROP ALL #"))) }
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PARAMETER_KINDS = ("string", "integer")

_HEADER = re.compile(r"#\s*(description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<kind>\w+))?(?:\s*=\s*(?P<default>.*))?$")
_PARAM_DESCRIPTION = re.compile(r"(?:^|\s)--(?:\s|$)")
# Strings, IRIs and comments are matched first so that a "$name" inside them stays as it is.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[$?](?P<var>[A-Za-z_][A-Za-z0-9_]*)",
    re.DOTALL,
)


@dataclass(frozen=True)
class QueryParameter:
    """A parameter of a named query: its name, default (``None``: required), kind and description."""

    name: str
    default: str | None
    kind: str = "string"
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A named SPARQL query: name (file stem), description, parameters and text."""

    name: str
    description: str
    parameters: tuple[QueryParameter, ...]
    text: str

    def parameter(self, name: str) -> QueryParameter:
        """The parameter called ``name``; ``KeyError`` if there is none."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)


def list_named_queries() -> tuple[NamedQuery, ...]:
    """Every query shipped in ``kg/queries``, by name."""
    folder = resources.files("kg") / "queries"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return tuple(parse_named_query(f.name[: -len(".rq")], f.read_text(encoding="utf-8")) for f in files)


def load_named_query(name: str) -> NamedQuery:
    """The shipped query called ``name`` ("leaderboard"), or the ``.rq`` file at a path.

    Raises ``KeyError`` naming the known queries when there is no such query.
    """
    if name.endswith(".rq") and Path(name).is_file():
        path = Path(name)
        return parse_named_query(path.stem, path.read_text(encoding="utf-8"))
    for query in list_named_queries():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in list_named_queries())
    raise KeyError(f"no named query {name!r}; known: {known}")


def parse_named_query(name: str, text: str) -> NamedQuery:
    """A ``NamedQuery`` from the text of an ``.rq`` file (its header comments and body)."""
    description: list[str] = []
    parameters: list[QueryParameter] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        header = _HEADER.match(stripped)
        if header is None:
            continue
        field, value = header.group(1), header.group(2).strip()
        if field == "description":
            description.append(value)
            continue
        spec, *comment = _PARAM_DESCRIPTION.split(value, maxsplit=1)
        param = _PARAM.match(spec.strip())
        if param is None:
            raise ValueError(f"{name}: cannot read parameter line {line!r}")
        kind = param.group("kind") or "string"
        if kind not in PARAMETER_KINDS:
            raise ValueError(f"{name}: parameter kind {kind!r} is not one of {PARAMETER_KINDS}")
        default = param.group("default")
        parameters.append(
            QueryParameter(
                name=param.group("name"),
                default=None if default is None else default.strip(),
                kind=kind,
                description=comment[0].strip() if comment else "",
            )
        )
    return NamedQuery(name, " ".join(description), tuple(parameters), text)


def bind_parameters(query: NamedQuery, values: Mapping[str, object] | None = None) -> str:
    """The query text with every parameter replaced by its value as a SPARQL literal.

    Missing values take the parameter's default. Raises ``ValueError`` for
    an unknown parameter, a missing required one, or an integer parameter
    whose value is not an integer.
    """
    values = dict(values or {})
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ValueError(f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
    literals: dict[str, str] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            raise ValueError(f"query {query.name!r} needs a value for {parameter.name!r}")
        literals[parameter.name] = _literal(parameter, value)

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        name = match.group("var")
        if name is not None and token[0] == "$" and name in literals:
            return literals[name]
        return token

    return _TOKENS.sub(substitute, query.text)


def _literal(parameter: QueryParameter, value: object) -> str:
    if parameter.kind == "integer":
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?[0-9]+", text):
            raise ValueError(f"parameter {parameter.name!r} must be an integer, not {value!r}")
        return str(int(text))
    return sparql_string(str(value))


def sparql_string(text: str) -> str:
    r"""``text`` as a quoted SPARQL string literal, with quotes, backslashes and line breaks escaped.

    >>> print(sparql_string('say "hi"\n\\o/'))
    "say \"hi\"\n\\o/"
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
    )
    return f'"{escaped}"'
