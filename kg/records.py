"""The typed records that pass between stages: read → extract → resolve → graph.

Each record is a frozen dataclass with one meaning. Stages never hand each
other loose dicts or tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EntityType = Literal["Method", "Architecture", "Dataset", "Metric", "Task"]
ENTITY_TYPES: tuple[EntityType, ...] = ("Method", "Architecture", "Dataset", "Metric", "Task")


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a paper was read: a file and the 1-based line of its title."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Paper:
    """One paper as read from an input: title, abstract and where it came from.

    ``id`` follows the gold format for daily-papers pages ("000-003": the
    file's numeric prefix and the paper's 0-based position) and is the
    input's own ``id`` for JSON records.
    """

    id: str
    title: str
    abstract: str
    sources: tuple[SourceLocation, ...]
    url: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    code_urls: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The text the extractor reads: title, a blank line, the abstract."""
        return f"{self.title}\n\n{self.abstract}"


@dataclass(frozen=True)
class Mention:
    """A typed name found in a paper's text, with the evidence that supports it.

    ``start``/``end`` are character offsets into ``Paper.text``; ``cue`` says
    which extraction rule found and typed it ("vocabulary", "acronym",
    "title-prefix", "context:dataset", …); ``canonical`` is the curated
    vocabulary name when the vocabulary knows it.
    """

    text: str
    type: EntityType
    start: int
    end: int
    sentence: str
    cue: str
    confidence: float
    canonical: str | None = None


@dataclass(frozen=True)
class Acronym:
    """An acronym defined in the text: "Frechet Inception Distance (FID)"."""

    short: str
    long: str


@dataclass(frozen=True)
class ResultMention:
    """A number reported for a metric, as read from one sentence.

    Names are surface forms as written; resolution maps them to entities.
    """

    metric: str | None
    value: Decimal
    unit: str | None
    dataset: str | None
    subject: str | None
    relative: bool
    sentence: str
    confidence: float


@dataclass(frozen=True)
class PaperExtraction:
    """Everything the extractor read from one paper."""

    paper: Paper
    mentions: tuple[Mention, ...]
    acronyms: tuple[Acronym, ...]
    proposals: tuple[str, ...]
    results: tuple[ResultMention, ...]


@dataclass(frozen=True)
class Entity:
    """One real-world entity of the graph, resolved across the whole corpus.

    ``key`` is the stable identifier (a slug) used in IRIs and node ids.
    """

    key: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()  # every surface form seen in any paper, and the standard ones
    family: str | None = None  # key of the family entity
    description: str | None = None
    # The standard expansions/abbreviations (from the vocabulary): what a paper's record may
    # list beside the forms that paper itself uses.
    standard_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityMention:
    """A resolved link from a paper to an entity, with its best evidence."""

    entity: str  # Entity.key
    surface: tuple[str, ...]
    sentence: str
    cue: str
    confidence: float


@dataclass(frozen=True)
class Result:
    """A resolved result: a value for a metric, by a subject, on a dataset."""

    key: str
    metric: str | None  # Entity.key
    value: Decimal
    unit: str | None
    dataset: str | None  # Entity.key
    subject: str | None  # Entity.key
    relative: bool
    sentence: str
    confidence: float


@dataclass(frozen=True)
class ResolvedPaper:
    """A paper with its links to resolved entities, proposals and results."""

    paper: Paper
    mentions: tuple[EntityMention, ...]
    proposes: tuple[str, ...]  # Entity.key
    results: tuple[Result, ...]


@dataclass(frozen=True)
class Corpus:
    """The resolved corpus: every entity once, every paper with its links."""

    entities: dict[str, Entity] = field(default_factory=dict)
    papers: tuple[ResolvedPaper, ...] = ()
