"""The curated vocabulary: one entry per entity, read from ``ontology/vocabulary/*.tsv``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.records import EntityType

FILE_TYPES: dict[str, EntityType] = {
    "methods.tsv": "Method",
    "architectures.tsv": "Architecture",
    "datasets.tsv": "Dataset",
    "metrics.tsv": "Metric",
    "tasks.tsv": "Task",
}
_HEADER = ["name", "aliases", "family", "description"]


class VocabularyError(ValueError):
    """A vocabulary file that breaks the format, located at ``file:line``."""


@dataclass(frozen=True)
class VocabularyEntry:
    """One curated entity: canonical name, type, aliases, family, description."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    family: str | None = None
    description: str | None = None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def ontology_dir() -> Path:
    """The folder of the ontology and vocabulary: $KG_ONTOLOGY_DIR, else the checkout's ``ontology/``."""
    configured = os.environ.get("KG_ONTOLOGY_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "ontology"


def default_vocabulary_dir() -> Path:
    return ontology_dir() / "vocabulary"


def read_vocabulary_file(path: Path, entity_type: EntityType) -> list[VocabularyEntry]:
    """Entries of one TSV file; VocabularyError names the file and line of a bad row."""
    entries: list[VocabularyEntry] = []
    header_seen = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        columns = raw.split("\t")
        if not header_seen:
            if [c.strip().lower() for c in columns[:4]] != _HEADER:
                raise VocabularyError(f"{path}:{number}: expected header {' / '.join(_HEADER)}")
            header_seen = True
            continue
        columns += [""] * (4 - len(columns))
        if len(columns) > 4:
            raise VocabularyError(f"{path}:{number}: {len(columns)} columns, expected 4 (tab-separated)")
        name, aliases, family, description = (c.strip() for c in columns)
        if not name:
            raise VocabularyError(f"{path}:{number}: empty name")
        entries.append(
            VocabularyEntry(
                name=name,
                type=entity_type,
                aliases=tuple(a.strip() for a in aliases.split(" | ") if a.strip() and a.strip() != name),
                family=family or None,
                description=description or None,
            )
        )
    return entries


@lru_cache(maxsize=8)
def load_vocabulary(directory: Path | None = None) -> tuple[VocabularyEntry, ...]:
    """Every entry of the vocabulary folder, checked: unique names per type, families that exist."""
    directory = Path(directory) if directory else default_vocabulary_dir()
    entries: list[VocabularyEntry] = []
    for filename, entity_type in FILE_TYPES.items():
        path = directory / filename
        if path.exists():
            entries.extend(read_vocabulary_file(path, entity_type))
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        key = (entry.type, entry.name.casefold())
        if key in seen:
            raise VocabularyError(f"{directory}: {entry.type} {entry.name!r} is listed twice")
        seen.add(key)
    for entry in entries:
        if entry.family and (entry.type, entry.family.casefold()) not in seen:
            raise VocabularyError(f"{directory}: family {entry.family!r} of {entry.name!r} is not an entry")
    return tuple(entries)
