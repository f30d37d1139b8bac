"""Extractions saved between builds, so ``kg build --update`` extracts only new papers.

One JSON object per paper in ``extractions.jsonl`` beside the other outputs:
the paper with its sources, and what the extractor found in it. Reading
them back gives equal records, so an update resolves exactly as a full build
over the same papers would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from kg.export.atomic import open_output
from kg.records import Acronym, Mention, Paper, PaperExtraction, ResultMention, SourceLocation

EXTRACTIONS_FILE = "extractions.jsonl"
FORMAT_VERSION = 1


def extraction_to_json(extraction: PaperExtraction) -> dict[str, Any]:
    """A JSON-ready dict of one extraction (Decimals as strings, tuples as lists)."""
    paper = extraction.paper
    return {
        "v": FORMAT_VERSION,
        "paper": {
            "id": paper.id, "title": paper.title, "abstract": paper.abstract,
            "sources": [[s.path, s.line] for s in paper.sources], "url": paper.url, "date": paper.date,
            "authors": list(paper.authors), "code_urls": list(paper.code_urls),
        },
        "mentions": [[m.text, m.type, m.start, m.end, m.sentence, m.cue, m.confidence, m.canonical]
                     for m in extraction.mentions],
        "acronyms": [[a.short, a.long] for a in extraction.acronyms],
        "proposals": list(extraction.proposals),
        "results": [[r.metric, str(r.value), r.unit, r.dataset, r.subject, r.relative, r.sentence, r.confidence]
                    for r in extraction.results],
    }


def extraction_from_json(data: dict[str, Any]) -> PaperExtraction:
    """The extraction a dict from ``extraction_to_json`` describes."""
    if data.get("v") != FORMAT_VERSION:
        raise ValueError(f"extraction format {data.get('v')!r}, expected {FORMAT_VERSION}")
    p = data["paper"]
    paper = Paper(
        id=p["id"], title=p["title"], abstract=p["abstract"],
        sources=tuple(SourceLocation(path, line) for path, line in p["sources"]),
        url=p["url"], date=p["date"], authors=tuple(p["authors"]), code_urls=tuple(p["code_urls"]),
    )
    return PaperExtraction(
        paper=paper,
        mentions=tuple(Mention(*m) for m in data["mentions"]),
        acronyms=tuple(Acronym(*a) for a in data["acronyms"]),
        proposals=tuple(data["proposals"]),
        results=tuple(ResultMention(r[0], Decimal(r[1]), *r[2:]) for r in data["results"]),
    )


def write_extractions(extractions: Iterable[PaperExtraction], target: str | Path | IO[str]) -> None:
    """Save extractions as JSON Lines (atomically when ``target`` is a path)."""
    with open_output(target) as out:
        for extraction in extractions:
            out.write(json.dumps(extraction_to_json(extraction), ensure_ascii=False))
            out.write("\n")


def read_extractions(path: str | Path) -> Iterator[PaperExtraction]:
    """Extractions saved by ``write_extractions``; ValueError names the line of a bad record."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield extraction_from_json(json.loads(line))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a saved extraction ({error}); rebuild without --update") from error
