"""Reading every input of a build: files and directories, formats recognised by content."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.ingest.daily_papers import looks_like_daily_papers_page, read_daily_papers_page
from kg.ingest.errors import InputError, ReadReport
from kg.ingest.json_records import read_json_document, read_json_lines, starts_json_array
from kg.ingest.text import read_text
from kg.records import Paper

_NOT_ALNUM = re.compile(r"[\W_]+")
# Files a directory walk picks up; a file named on the command line is read whatever its name.
LISTING_SUFFIXES = {".txt", ".jsonl", ".ndjson", ".json", ""}


def title_key(title: str) -> str:
    """The identity of a paper across inputs: its title folded to letters and digits.

    >>> title_key("InceptionNeXt: When Inception Meets ConvNeXt") == title_key("inceptionnext  when inception meets convnext")
    True
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


def input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named by ``paths``, directories walked recursively in sorted order.

    Walks pick up listing files (.txt, .jsonl, .ndjson, .json, no suffix)
    and leave out hidden files and directories (".git", ".DS_Store").
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                hidden = any(part.startswith(".") for part in relative.parts)
                if child.is_file() and not hidden and child.suffix.lower() in LISTING_SUFFIXES:
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(str(path), None, "no such file or directory")


def read_file(path: Path, report: ReadReport, skip_bad: bool = False) -> Iterator[Paper]:
    """Papers of one file, whatever its format: JSON array, JSON Lines or a daily-papers page."""
    text = read_text(path)
    head = text.lstrip()
    if starts_json_array(head):
        yield from read_json_document(path, text, report, skip_bad)
    elif head.startswith("{"):
        try:
            json.loads(text)
        except (ValueError, RecursionError):  # not one JSON document; read_json_lines says which line is bad
            yield from read_json_lines(path, text, report, skip_bad)
        else:
            yield from read_json_document(path, text, report, skip_bad)
    elif looks_like_daily_papers_page(text):
        yield from read_daily_papers_page(path, text, report, skip_bad)
    else:
        raise InputError(str(path), 1, "not a paper listing (expected a daily-papers page, JSON Lines or JSON)")


def merge_duplicate(first: Paper, *again: Paper) -> Paper:
    """One paper from several readings: the first's fields (the longest abstract), every source, every code link.

    All the readings of a paper are merged at once: merged one at a time, a
    file repeating a paper thousands of times cost a sort of the growing
    source list per repeat (18 s for 4,000 repeats).
    """
    readings = (first, *again)
    return Paper(
        id=first.id,
        title=first.title,
        abstract=max((r.abstract for r in readings), key=len),
        sources=tuple(sorted({source for r in readings for source in r.sources})),
        url=next((r.url for r in readings if r.url), None),
        date=next((r.date for r in readings if r.date), None),
        authors=next((r.authors for r in readings if r.authors), ()),
        code_urls=tuple(dict.fromkeys(url for r in readings for url in r.code_urls)),
    )


def read_inputs(paths: Iterable[str | Path], skip_bad: bool = False, report: ReadReport | None = None) -> list[Paper]:
    """Every paper of ``paths``, each once, in input order.

    A paper read from several inputs is merged into one with all its
    sources. Bad input raises InputError naming the file and line; with
    ``skip_bad`` the problem is recorded in ``report`` and reading goes on.
    """
    report = report if report is not None else ReadReport()
    papers: dict[str, Paper] = {}
    repeats: dict[str, list[Paper]] = {}
    for path in input_files(Path(p) for p in paths):
        try:
            for paper in read_file(path, report, skip_bad):
                report.papers_read += 1
                key = title_key(paper.title)
                if key in papers:
                    repeats.setdefault(key, []).append(paper)
                    report.duplicates_merged += 1
                else:
                    papers[key] = paper
            report.files_read += 1
        except InputError as error:
            if not skip_bad:
                raise
            report.skip(error)
    for key, again in repeats.items():
        papers[key] = merge_duplicate(papers[key], *again)
    return list(papers.values())
