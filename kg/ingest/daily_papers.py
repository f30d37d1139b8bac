"""Reader of daily-papers page text: a title line, then its abstract line.

The pages come in two layouts, with and without blank lines between lines,
and start with boilerplate ("Get trending papers in your email inbox!",
"Subscribe" glued to the first title, "byAK and the research community", a
date such as "Mar 13"). Titles and abstracts are told apart by shape, not by
position, so a title without an abstract is reported instead of silently
shifting every later pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.code_links import find_code_urls
from kg.ingest.errors import InputError, ReadReport
from kg.ingest.json_records import starts_json_array
from kg.ingest.text import clean_abstract, length_problem
from kg.records import Paper, SourceLocation

_BOILERPLATE = {
    "new",
    "get trending papers in your email inbox once a day!",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "by ak and the research community",
}
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_LINE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(,?\s+\d{{4}})?$")
_SUBSCRIBE_PREFIX = "Subscribe"
# An abstract is prose: long, or several sentences. A title is one short line.
_MIN_ABSTRACT_CHARS = 250
_MAX_TITLE_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def is_boilerplate(line: str) -> bool:
    """True for the page furniture that is not part of any paper.

    >>> is_boilerplate("Get trending papers in your email inbox!"), is_boilerplate("Mar 13")
    (True, True)
    >>> is_boilerplate("Consistency Models")
    False
    """
    stripped = line.strip()
    return stripped.casefold() in _BOILERPLATE or bool(_DATE_LINE.match(stripped))


def looks_like_abstract(line: str) -> bool:
    """True when ``line`` reads as an abstract rather than a title.

    >>> looks_like_abstract("InceptionNeXt: When Inception Meets ConvNeXt")
    False
    >>> looks_like_abstract("We study X. We find that Y holds in general and Z. " * 4)
    True
    """
    if len(line) >= _MIN_ABSTRACT_CHARS:
        return True
    return len(line) > _MAX_TITLE_CHARS or len(_SENTENCE_END.findall(line)) >= 2


def looks_like_daily_papers_page(text: str) -> bool:
    """True when ``text`` has the shape of a daily-papers page.

    Recognised by content: boilerplate lines, or short lines alternating with
    long prose lines.
    """
    lines = [line.strip() for line in text.split("\n", 400)[:400] if line.strip()]
    if not lines:
        return False
    if any(is_boilerplate(line) or line.startswith(_SUBSCRIBE_PREFIX) for line in lines[:10]):
        return True
    return any(looks_like_abstract(line) for line in lines) and not (lines[0].startswith("{") or starts_json_array(lines[0]))


def _content_lines(text: str) -> Iterator[_Line]:
    """Non-empty lines with boilerplate removed and the "Subscribe" glue cut."""
    after_boilerplate = True
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if is_boilerplate(line):
            after_boilerplate = True
            continue
        if after_boilerplate and line.startswith(_SUBSCRIBE_PREFIX) and len(line) > len(_SUBSCRIBE_PREFIX):
            rest = line[len(_SUBSCRIBE_PREFIX):]
            if rest[0].isupper() or rest[0].isdigit():
                line = rest.strip()
        after_boilerplate = False
        yield _Line(number, line)


def paper_id_prefix(path: Path) -> str:
    """The id prefix of a page: its leading digits ("000_e9b3….txt" → "000"), else its stem.

    >>> paper_id_prefix(Path("corpus/001_3985826f19fb3989.txt"))
    '001'
    >>> paper_id_prefix(Path("listing.txt"))
    'listing'
    """
    match = re.match(r"\d+", path.stem)
    return match.group(0) if match else path.stem


def read_daily_papers_page(path: Path, text: str, report: ReadReport, skip_bad: bool) -> Iterator[Paper]:
    """Papers of one daily-papers page, in page order.

    ``text`` is the decoded file. A title with no abstract, or an abstract
    with no title, is an InputError naming its line; with ``skip_bad`` it is
    recorded in ``report`` and reading goes on.
    """
    prefix = paper_id_prefix(path)
    position = 0
    pending_title: _Line | None = None

    def problem(line: _Line, message: str) -> None:
        error = InputError(str(path), line.number, message)
        if not skip_bad:
            raise error
        report.skip(error)

    for line in _content_lines(text):
        if looks_like_abstract(line.text):
            if pending_title is None:
                problem(line, "abstract without a title line before it")
                continue
            abstract = line.text
            too_long = length_problem(pending_title.text, abstract)
            if too_long:
                problem(line, too_long)
                pending_title = None
                continue
            yield Paper(
                id=f"{prefix}-{position:03d}",
                title=pending_title.text,
                abstract=clean_abstract(abstract),
                sources=(SourceLocation(str(path), pending_title.number),),
                code_urls=find_code_urls(abstract),
            )
            position += 1
            pending_title = None
        else:
            if pending_title is not None:
                problem(pending_title, f"title without an abstract: {pending_title.text[:80]!r}")
            pending_title = line
    if pending_title is not None:
        problem(pending_title, f"title without an abstract at end of file: {pending_title.text[:80]!r}")
