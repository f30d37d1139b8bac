"""Resolution: mentions across the whole corpus → one entity per real-world thing.

Names are compared in a folded form (case, Unicode form, separators and a
plural "s" removed: "ImageNet-1k" = "imagenet 1K", "ViTs" = "ViT"). A
vocabulary name brings all its aliases; an acronym defined in a paper joins
its long form ("Constant Acceleration Flow (CAF)"), and an acronym used
without definition joins the long form it is defined with elsewhere, when
that is unambiguous. Size variants ("Atlas-B") are their own entities, linked
to their family ("Atlas") when it exists.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from kg.extract.vocabulary import VocabularyEntry
from kg.records import (
    Corpus,
    Entity,
    EntityMention,
    EntityType,
    Mention,
    PaperExtraction,
    ResolvedPaper,
    Result,
)

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.,/·'’()\[\]]+")
# A dataset at a resolution: "ImageNet 224 x 224" → ImageNet.
_RESOLUTION_VARIANT = re.compile(r"^(?P<family>.+?)[ -]?\d{2,4}\s*[x×]\s*\d{2,4}$")
_SIZE_VARIANT = re.compile(r"^(?P<family>.+?)-(?:T|S|B|L|H|G|XL|XXL|Ti|Tiny|Small|Base|Large|Huge|[TSBLH]\d{1,2})$")
# Mentions below this confidence are weak readings (a cost word with no figure
# beside it); they do not become graph links.
MIN_CONFIDENCE = 0.4
_TYPE_ORDER: tuple[EntityType, ...] = ("Dataset", "Metric", "Architecture", "Method", "Task")


@functools.lru_cache(maxsize=1 << 18)  # names repeat across papers: 1.5M calls for 30k papers, most of them hits
def fold_name(name: str) -> str:
    """The comparison form of a name: case, Unicode form, separators and a plural "s" folded away.

    Only a lower-case "s" after a letter is a plural ("ViTs" → "vit"), so a
    size code survives ("DeiT-S" → "deits").

    >>> fold_name("ImageNet-1k") == fold_name("imagenet 1K")
    True
    >>> fold_name("ViTs"), fold_name("DeiT-S"), fold_name("ImageNet256×256")
    ('vit', 'deits', 'imagenet256x256')
    """
    raw = _SEPARATORS.sub("", unicodedata.normalize("NFKC", name).replace("×", "x"))  # "256×256" = "256x256"
    plural = len(raw) > 3 and raw.endswith("s") and raw[-2].isalpha() and raw[-2] not in "sS"
    folded = raw.casefold()
    return folded[:-1] if plural else folded


def slugify(name: str) -> str:
    """An IRI-safe slug of a name: lower-case ASCII letters, digits and hyphens.

    >>> slugify("ViT-L/14"), slugify("Fréchet Inception Distance"), slugify("<script>")
    ('vit-l-14', 'frechet-inception-distance', 'script')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        slug = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return slug[:80]


class _Candidate:
    """An entity being assembled: its names, type votes and vocabulary entry."""

    def __init__(self) -> None:
        self.surfaces: Counter[str] = Counter()
        self.type_votes: Counter[str] = Counter()
        self.entry: VocabularyEntry | None = None
        self.long_forms: Counter[str] = Counter()

    def best_name(self) -> str:
        if self.entry is not None:
            return self.entry.name
        if self.long_forms:
            return sorted(self.long_forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return sorted(self.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def best_type(self) -> EntityType:
        if self.entry is not None:
            return self.entry.type
        return sorted(self.type_votes.items(), key=lambda kv: (-kv[1], _TYPE_ORDER.index(kv[0])))[0][0]  # type: ignore[return-value]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller string is the root, so the result does not depend on order.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _vocabulary_index(vocabulary: Iterable[VocabularyEntry]) -> dict[tuple[str, str], VocabularyEntry]:
    index: dict[tuple[str, str], VocabularyEntry] = {}
    for entry in vocabulary:
        for form in entry.surface_forms:
            index.setdefault((entry.type, fold_name(form)), entry)
    return index


def resolve_corpus(
    extractions: Iterable[PaperExtraction],
    vocabulary: Iterable[VocabularyEntry] = (),
    min_confidence: float = MIN_CONFIDENCE,
) -> Corpus:
    """One entity per real thing across all papers, and each paper's links to them."""
    extractions = list(extractions)
    vocabulary = list(vocabulary)
    by_name = {(e.type, e.name): e for e in vocabulary}
    vocab_index = _vocabulary_index(vocabulary)
    groups = _UnionFind()

    # Acronym definitions: short → long forms seen anywhere.
    defined: dict[str, Counter[str]] = defaultdict(Counter)
    for extraction in extractions:
        for acronym in extraction.acronyms:
            defined[fold_name(acronym.short)][fold_name(acronym.long)] += 1

    def identity(mention: Mention, local_acronyms: dict[str, str]) -> str:
        if mention.canonical:
            return "v:" + mention.type + ":" + mention.canonical
        folded = fold_name(mention.text)
        entry = vocab_index.get((mention.type, folded))
        if entry is not None:
            return "v:" + entry.type + ":" + entry.name
        if folded in local_acronyms:
            folded = local_acronyms[folded]
        elif folded in defined and len(defined[folded]) == 1:
            folded = next(iter(defined[folded]))
        return "n:" + folded

    candidates: dict[str, _Candidate] = defaultdict(_Candidate)
    paper_identities: list[tuple[PaperExtraction, list[tuple[Mention, str]], dict[str, str]]] = []
    for extraction in extractions:
        local = {fold_name(a.short): fold_name(a.long) for a in extraction.acronyms}
        linked: list[tuple[Mention, str]] = []
        for mention in extraction.mentions:
            if mention.confidence < min_confidence:
                continue
            ident = identity(mention, local)
            linked.append((mention, ident))
            groups.find(ident)
        # An acronym and its long form are one entity even when one of them is in the vocabulary.
        by_fold: dict[str, str] = {}
        for mention, ident in linked:
            by_fold.setdefault(fold_name(mention.text), ident)
        for acronym in extraction.acronyms:
            a, b = by_fold.get(fold_name(acronym.short)), by_fold.get(fold_name(acronym.long))
            if a and b and not (a.startswith("v:") and b.startswith("v:") and a != b):
                groups.union(a, b)
        paper_identities.append((extraction, linked, local))

    for extraction, linked, _ in paper_identities:
        long_forms = {fold_name(a.long) for a in extraction.acronyms}
        for mention, ident in linked:
            candidate = candidates[groups.find(ident)]
            candidate.surfaces[mention.text] += 1
            candidate.type_votes[mention.type] += mention.confidence
            if ident.startswith("v:"):
                _, etype, name = ident.split(":", 2)
                entry = by_name.get((etype, name))
                if entry is not None and (candidate.entry is None or entry.name < candidate.entry.name):
                    candidate.entry = entry
            if fold_name(mention.text) in long_forms:
                candidate.long_forms[mention.text] += 1

    # Entities with stable keys; families from the vocabulary or a size suffix.
    entities: dict[str, Entity] = {}
    key_of_root: dict[str, str] = {}
    for root in sorted(candidates):
        candidate = candidates[root]
        name = candidate.best_name()
        etype = candidate.best_type()
        key = _unique_key(f"{etype.lower()}/{slugify(name)}", name, entities)
        aliases = sorted({s for s in candidate.surfaces if s != name} | set(candidate.entry.aliases if candidate.entry else ()))
        entities[key] = Entity(
            key=key,
            name=name,
            type=etype,
            aliases=tuple(aliases),
            description=candidate.entry.description if candidate.entry else None,
            standard_aliases=tuple(candidate.entry.aliases) if candidate.entry else (),
        )
        key_of_root[root] = key
    _link_families(entities, by_name)

    papers = []
    for extraction, linked, local in paper_identities:
        papers.append(_resolve_paper(extraction, linked, local, groups, key_of_root, entities))
    return Corpus(entities=dict(sorted(entities.items())), papers=tuple(papers))


def _unique_key(key: str, name: str, taken: dict[str, Entity]) -> str:
    if key not in taken:
        return key
    return f"{key}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def _link_families(entities: dict[str, Entity], vocabulary: dict[tuple[str, str], VocabularyEntry]) -> None:
    """Set ``family`` on variants, adding the vocabulary's family entity when no paper names it."""
    by_type_name = {(e.type, fold_name(e.name)): key for key, e in entities.items()}
    for key in sorted(entities):
        entity = entities[key]
        entry = vocabulary.get((entity.type, entity.name))
        family_name = entry.family if entry and entry.family else None
        if family_name is None:
            match = _SIZE_VARIANT.match(entity.name) or _RESOLUTION_VARIANT.match(entity.name)
            if match and (entity.type, fold_name(match.group("family"))) in by_type_name:
                family_name = match.group("family")
        if not family_name:
            continue
        family_key = by_type_name.get((entity.type, fold_name(family_name)))
        if family_key is None:
            family_entry = vocabulary.get((entity.type, family_name))
            if family_entry is None:
                continue
            family_key = _unique_key(f"{entity.type.lower()}/{slugify(family_entry.name)}", family_entry.name, entities)
            entities[family_key] = Entity(
                key=family_key,
                name=family_entry.name,
                type=family_entry.type,
                aliases=family_entry.aliases,
                description=family_entry.description,
                standard_aliases=tuple(family_entry.aliases),
            )
            by_type_name[(entity.type, fold_name(family_entry.name))] = family_key
        if family_key != key:
            entities[key] = Entity(**{**entity.__dict__, "family": family_key})


def _resolve_paper(extraction, linked, local, groups, key_of_root, entities) -> ResolvedPaper:
    best: dict[str, tuple[Mention, list[str]]] = {}
    order: list[str] = []
    surface_to_keys: dict[str, list[str]] = {}
    for mention, ident in linked:
        key = key_of_root[groups.find(ident)]
        keys = surface_to_keys.setdefault(fold_name(mention.text), [])
        if key not in keys:
            keys.append(key)
        if key not in best:
            best[key] = (mention, [mention.text])
            order.append(key)
        else:
            kept, surfaces = best[key]
            if mention.text not in surfaces:
                surfaces.append(mention.text)
            if mention.confidence > kept.confidence:
                best[key] = (mention, surfaces)
    for short, long in local.items():
        if long in surface_to_keys:
            surface_to_keys.setdefault(short, surface_to_keys[long])

    def key_for(surface: str | None, types: tuple[str, ...] = ()) -> str | None:
        """The entity a surface form names in this paper, of one of ``types`` when given."""
        if not surface:
            return None
        keys = surface_to_keys.get(fold_name(surface), [])
        if types:
            keys = [k for k in keys if entities[k].type in types]
        return keys[0] if keys else None

    mentions = tuple(
        EntityMention(
            entity=key,
            surface=tuple(best[key][1]),
            sentence=best[key][0].sentence,
            cue=best[key][0].cue,
            confidence=best[key][0].confidence,
        )
        for key in order
    )
    proposes = tuple(dict.fromkeys(k for k in (key_for(p) for p in extraction.proposals) if k))
    results = []
    seen = set()
    paper_hash = hashlib.sha1(extraction.paper.title.encode("utf-8")).hexdigest()[:10]
    for result in extraction.results:
        metric = key_for(result.metric, ("Metric",))
        dataset = key_for(result.dataset, ("Dataset",))
        subject = key_for(result.subject, ("Method", "Architecture"))
        identity = (metric, str(result.value), result.unit, dataset, subject, result.relative)
        if identity in seen:
            continue
        seen.add(identity)
        digest = hashlib.sha1(repr((paper_hash, identity, len(results))).encode("utf-8")).hexdigest()[:12]
        results.append(
            Result(
                key=f"result/{digest}",
                metric=metric,
                value=Decimal(result.value),
                unit=result.unit,
                dataset=dataset,
                subject=subject,
                relative=result.relative,
                sentence=result.sentence,
                confidence=result.confidence,
            )
        )
    return ResolvedPaper(paper=extraction.paper, mentions=mentions, proposes=proposes, results=tuple(results))
