"""Readers of JSON Lines and JSON arrays of {title, abstract, id?, url?, date?, authors?}."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.ingest.code_links import find_code_urls
from kg.ingest.errors import InputError, ReadReport
from kg.ingest.text import clean_abstract, length_problem
from kg.records import Paper, SourceLocation


def _text_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"field {name!r} is not a number or text (NaN or infinity)")
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field {name!r} must be a string, not {type(value).__name__}")
    return " ".join(value.split()) or None


def paper_from_record(record: Any, path: Path, line: int, fallback_id: str) -> Paper:
    """A Paper from one decoded JSON object; ValueError says what is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"expected an object with title and abstract, got {type(record).__name__}")
    title = _text_field(record, "title")
    if not title:
        raise ValueError("record has no title")
    abstract = _text_field(record, "abstract") or _text_field(record, "summary") or ""
    too_long = length_problem(title, abstract)
    if too_long:
        raise ValueError(too_long)
    authors = record.get("authors") or ()
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(",")]
    if not isinstance(authors, (list, tuple)):
        raise ValueError("field 'authors' must be a list or a string")
    authors = tuple(str(a.get("name", "") if isinstance(a, dict) else a).strip() for a in authors)
    url = _text_field(record, "url")
    code = find_code_urls(abstract)
    for key in ("code", "code_url", "github"):
        extra = record.get(key)
        if isinstance(extra, str):
            code = code + tuple(u for u in find_code_urls(extra) if u not in code)
    paper = Paper(
        id=_text_field(record, "id") or fallback_id,
        title=title,
        abstract=clean_abstract(abstract),
        sources=(SourceLocation(str(path), line),),
        url=url,
        date=_text_field(record, "date"),
        authors=tuple(a for a in authors if a),
        code_urls=code,
    )
    _check_unicode(paper)
    return paper


def _check_unicode(paper: Paper) -> None:
    """ValueError when a field holds a lone surrogate: a JSON "\\ud800" escape decodes to one, and no
    output (UTF-8 files, RDF, the store) can hold it."""
    fields = {"id": paper.id, "title": paper.title, "abstract": paper.abstract, "url": paper.url,
              "date": paper.date, "authors": " ".join(paper.authors), "code": " ".join(paper.code_urls)}
    for name, text in fields.items():
        try:
            (text or "").encode("utf-8")
        except UnicodeEncodeError as err:
            raise ValueError(f"field {name!r} has a lone surrogate {text[err.start]!r}, which is not Unicode text") from None


def json_problem(error: ValueError | RecursionError) -> str:
    """What is wrong with text that ``json.loads`` refused, in one line.

    Besides syntax errors (``JSONDecodeError``), ``json`` raises
    ``RecursionError`` for arrays or objects nested about a thousand deep and
    a plain ``ValueError`` for an integer of more than 4,300 digits.

    >>> json_problem(RecursionError("maximum recursion depth exceeded"))
    'not JSON: nested too deeply'
    """
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON: {error.msg} (column {error.colno})"
    if isinstance(error, RecursionError):
        return "not JSON: nested too deeply"
    return f"not JSON: {str(error).split(';')[0]}"


def _fail(report: ReadReport, skip_bad: bool, error: InputError) -> None:
    if not skip_bad:
        raise error
    report.skip(error)


def read_json_lines(path: Path, text: str, report: ReadReport, skip_bad: bool) -> Iterator[Paper]:
    """Papers of a JSON Lines file, one object per non-empty line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as err:
            _fail(report, skip_bad, InputError(str(path), number, json_problem(err)))
            continue
        try:
            yield paper_from_record(record, path, number, f"{path.stem}-{number:03d}")
        except ValueError as err:
            _fail(report, skip_bad, InputError(str(path), number, str(err)))


def _line_of_offsets(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def read_json_document(path: Path, text: str, report: ReadReport, skip_bad: bool) -> Iterator[Paper]:
    """Papers of a JSON document: an array of objects, one object, or {"papers": [...]}."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as err:
        line = err.lineno if isinstance(err, json.JSONDecodeError) else None
        raise InputError(str(path), line, json_problem(err)) from err
    if isinstance(document, dict) and isinstance(document.get("papers"), list):
        document = document["papers"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise InputError(str(path), 1, f"expected a list of paper objects, got {type(document).__name__}")
    # Line numbers of array elements: the line where each top-level object starts.
    decoder = json.JSONDecoder()
    starts = _line_of_offsets(text)
    element_lines = _element_lines(text, decoder, starts, len(document))
    for index, record in enumerate(document):
        line = element_lines[index] if index < len(element_lines) else 1
        try:
            yield paper_from_record(record, path, line, f"{path.stem}-{index:03d}")
        except ValueError as err:
            _fail(report, skip_bad, InputError(str(path), line, f"paper {index}: {err}"))


def _element_lines(text: str, decoder: json.JSONDecoder, starts: list[int], count: int) -> list[int]:
    """1-based line numbers where the elements of a top-level array begin."""
    import bisect

    lines: list[int] = []
    position = text.find("[")
    if position < 0:
        return lines
    position += 1
    length = len(text)
    while len(lines) < count and position < length:
        while position < length and text[position] in " \t\n\r,":
            position += 1
        if position >= length or text[position] == "]":
            break
        lines.append(bisect.bisect_right(starts, position))
        try:
            _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
    return lines


# What may follow the "[" of a JSON array: a value or its end. "[Papers of 1 May]" is a page's line.
_JSON_ARRAY_START = re.compile(r"\[\s*(?:[\[{\]\"\d-]|true\b|false\b|null\b|$)")


def starts_json_array(text: str) -> bool:
    """True when ``text`` opens like a JSON array.

    >>> starts_json_array('[{"title": "A"}]'), starts_json_array("[  {"), starts_json_array("[Papers of 1 May]")
    (True, True, False)
    """
    return _JSON_ARRAY_START.match(text) is not None
