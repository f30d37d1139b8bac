"""Per-paper records as JSON Lines, in the format of the annotation guideline.

Each line: ``id``, ``title``, ``entities`` (name, aliases, type, with the
evidence sentence, cue and confidence), ``proposes`` (names), ``results``
(subject, metric, dataset, value, unit, relative, evidence), and the
paper's ``sources``, ``code_urls``, ``url`` and ``date``.
"""

from __future__ import annotations

import json
from typing import IO, Any

from kg.export.atomic import open_output
from kg.records import Corpus, ResolvedPaper


def _number(value) -> int | float:
    as_float = float(value)
    return int(as_float) if as_float.is_integer() and "." not in str(value) else as_float


def paper_record(resolved: ResolvedPaper, corpus: Corpus) -> dict[str, Any]:
    """The guideline-format record of one resolved paper."""
    entities = corpus.entities

    def name(key: str | None) -> str | None:
        return entities[key].name if key else None

    record_entities = []
    for mention in resolved.mentions:
        entity = entities[mention.entity]
        # The forms this paper uses and the standard ones; not every spelling seen in other papers.
        aliases = [a for a in dict.fromkeys([*mention.surface, *entity.standard_aliases]) if a != entity.name]
        record_entities.append(
            {
                "name": entity.name,
                "aliases": aliases,
                "type": entity.type,
                "evidence": mention.sentence,
                "cue": mention.cue,
                "confidence": round(mention.confidence, 3),
            }
        )
    paper = resolved.paper
    return {
        "id": paper.id,
        "title": paper.title,
        "entities": record_entities,
        "proposes": [name(k) for k in resolved.proposes],
        "results": [
            {
                "subject": name(r.subject),
                "metric": name(r.metric),
                "dataset": name(r.dataset),
                "value": _number(r.value),
                "unit": r.unit,
                "relative": r.relative,
                "evidence": r.sentence,
                "confidence": round(r.confidence, 3),
            }
            for r in resolved.results
        ],
        "sources": [str(s) for s in paper.sources],
        "code_urls": list(paper.code_urls),
        "url": paper.url,
        "date": paper.date,
    }


def write_paper_records(corpus: Corpus, target: str | IO[str]) -> int:
    """Write one JSON line per paper to ``target`` (a path, written atomically, or an open text file)."""
    with open_output(target) as out:
        for resolved in corpus.papers:
            out.write(json.dumps(paper_record(resolved, corpus), ensure_ascii=False, sort_keys=False))
            out.write("\n")
    return len(corpus.papers)
