"""Vocabulary matching as a spaCy component: curated names → typed spans in ``doc.spans["kg"]``.

Short or all-capital aliases ("IS", "FID", "ALIGN") match case-sensitively,
so the English words "is" and "align" stay words; others match in any case.
Hyphen/space and plural variants of every alias are generated here, so the
vocabulary lists each spelling once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract.spans import add_spans, ensure_extensions
from kg.extract.tokenizer import pattern_tokenizer, token_attributes
from kg.extract.vocabulary import VocabularyEntry, load_vocabulary


def folded_letters(text: str) -> str:
    """A name's letters and digits, lower-cased: case and separators folded away, a plural kept.

    >>> folded_letters("I3D-S"), folded_letters("256×256")
    ('i3ds', '256x256')
    """
    return _NOT_LETTERS_OR_DIGITS.sub("", text.lower().replace("×", "x"))


_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def fold_surface(text: str) -> str:
    """A name with case, separators and a plural "s" folded away, for lookups.

    >>> fold_surface("Image Generation") == fold_surface("image-generations")
    True
    """
    letters = folded_letters(text)
    return letters[:-1] if len(letters) > 3 and letters.endswith("s") and not letters.endswith("ss") else letters


def is_case_sensitive(alias: str) -> bool:
    """True for aliases that must match with their exact case.

    >>> is_case_sensitive("IS"), is_case_sensitive("ALIGN"), is_case_sensitive("Inception"), is_case_sensitive("ImageNet")
    (True, True, True, False)
    """
    letters = alias.replace("-", "").replace(" ", "")
    # A capitalised single word is a proper name that is also an English word:
    # "Inception" the network, not "since the inception of"; "Adam", "Replica".
    proper_word = alias.isalpha() and alias[0].isupper() and alias[1:].islower()
    return len(letters) <= 4 or letters.isupper() or proper_word


def surface_variants(alias: str) -> set[str]:
    """Spellings of ``alias`` that differ in hyphens, spaces or a plural "s".

    >>> sorted(surface_variants("diffusion models"))
    ['diffusion model', 'diffusion models', 'diffusion-model', 'diffusion-models']
    >>> sorted(surface_variants("GAN"))
    ['GAN', 'GANs']
    >>> sorted(surface_variants("HPatches")), sorted(surface_variants("PatchMatch"))
    (['HPatch', 'HPatches'], ['PatchMatch', 'PatchMatches'])
    """
    forms = {alias}
    year = re.fullmatch(r"(.+?)[ -]((?:19|20)\d\d)", alias)
    if year:
        forms.add(f"{year.group(2)} {year.group(1)}")  # "ILSVRC 2015" is also written "2015 ILSVRC"
    if "-" in alias:
        forms.add(alias.replace("-", " "))
        if alias.count("-") == 1 and len(alias) > 5:
            forms.add(alias.replace("-", ""))
    if alias.count(" ") in (1, 2):
        forms.add(alias.replace(" ", "-"))
    plural_forms = set()
    for form in forms:
        last = form[-1]
        if form.endswith(_ES_PLURALS) and len(form) > 5:
            plural_forms.add(form[:-2])  # "Gaussian processes" → "Gaussian process", "anchor boxes" → "anchor box"
        elif form.endswith("s") and len(form) > 4 and form[-2].islower() and form[-2] not in "su":
            plural_forms.add(form[:-1])
        elif form.endswith(_ES_SINGULARS) and len(form) > 4 and form[-2].islower():
            plural_forms.add(form + "es")  # "focal loss" → "focal losses", "beam search" → "beam searches"
        elif last.isalpha() and not form.endswith("s") and not _ONE_LETTER_END.search(form):
            plural_forms.add(form + "s")  # not "ImageNet As": a size or version letter has no plural
    return forms | plural_forms


_ES_PLURALS = ("sses", "xes", "ches", "shes", "zes")
_ONE_LETTER_END = re.compile(r"(?:^|[\s-])[A-Za-z]$")
_ES_SINGULARS = ("ss", "x", "ch", "sh", "z")


_CAPITAL_WORD = re.compile(r"\b[A-Z]{5,}\b")


def title_cased_variant(alias: str) -> str | None:
    """A many-part name with its long all-capital words in title case ("Pascal VOC",
    "Cifar-10"), as papers also write them; None for one-word names ("METEOR" is not
    "Meteor") and names without such a word.

    >>> title_cased_variant("PASCAL VOC 2012"), title_cased_variant("CIFAR-10"), title_cased_variant("KITTI")
    ('Pascal VOC 2012', 'Cifar-10', None)
    """
    if not re.search(r"[\s\-]|\d", alias) or not _CAPITAL_WORD.search(alias):
        return None
    return _CAPITAL_WORD.sub(lambda m: m.group(0).title(), alias)


def longest_first(extents: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (start, end) token extents that ``spacy.util.filter_spans`` keeps, in text order:
    the longest first, and of equal lengths the last first, each kept unless it overlaps
    one kept before.

    >>> longest_first([(0, 2), (1, 3), (3, 4), (2, 5)])
    [(0, 2), (2, 5)]
    """
    kept = []
    seen: set[int] = set()
    for start, end in sorted(extents, key=lambda extent: (extent[1] - extent[0], -extent[0]), reverse=True):
        if start not in seen and end - 1 not in seen:
            kept.append((start, end))
            seen.update(range(start, end))
    return sorted(kept)


class VocabularyMatcher:
    """Finds vocabulary names in a Doc and adds them as typed spans."""

    def __init__(self, nlp: Language, vocabulary_dir: str | None = None):
        self.nlp = nlp
        self.vocabulary_dir = vocabulary_dir
        self.entries: list[VocabularyEntry] = []
        self.by_folded_name: dict[str, VocabularyEntry] = {}
        self.name_words: frozenset[str] = frozenset()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        ensure_extensions()

    def initialize(self, get_examples=None, *, nlp=None, vocabulary_dir: str | None = None):
        directory = vocabulary_dir or self.vocabulary_dir
        self.entries = list(load_vocabulary(Path(directory) if directory else None))
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        exact_patterns: dict[str, list[str]] = {}
        folded_patterns: dict[str, list[str]] = {}
        for index, entry in enumerate(self.entries):
            for alias in entry.surface_forms:
                case_sensitive = is_case_sensitive(alias)
                target = exact_patterns if case_sensitive else folded_patterns
                titled = title_cased_variant(alias) if case_sensitive else None
                forms = surface_variants(alias) | (surface_variants(titled) if titled else set())
                for form in sorted(forms):
                    # "~" marks a generated spelling: a written alias of another entry wins over it.
                    key = str(index) if form == alias else f"{index}~"
                    target.setdefault(key, []).append(form)
        self.by_folded_name = {}
        for entry in self.entries:
            for alias in entry.surface_forms:
                self.by_folded_name.setdefault(fold_surface(alias), entry)
        # Words the field's names are made of: "video", "monocular", "keypoint" (no verbs).
        self.name_words = frozenset(
            word for entry in self.entries for alias in entry.surface_forms for word in re.findall(r"[a-z]+", alias.lower())
        )
        tokenizer = pattern_tokenizer(self.nlp)
        for matcher, attr, patterns in ((self.exact, ORTH, exact_patterns), (self.folded, LOWER, folded_patterns)):
            # Tokenized all at once, as the values of the matcher's attribute.
            forms = [form for key_forms in patterns.values() for form in key_forms]
            values = iter(token_attributes(tokenizer, forms, attr))
            for key, key_forms in patterns.items():
                matcher.add(key, [next(values) for _ in key_forms])

    def lookup(self, text: str) -> VocabularyEntry | None:
        """The entry a written name denotes, compared case- and separator-insensitively."""
        if not self.entries:
            self.initialize()
        return self.by_folded_name.get(fold_surface(text))

    def __call__(self, doc: Doc) -> Doc:
        if not self.entries:
            self.initialize()
        strings = self.nlp.vocab.strings
        best: dict[tuple[int, int], tuple[int, int]] = {}
        for match_id, start, end in [*self.exact(doc), *self.folded(doc)]:
            key = strings[match_id]
            rank = (1 if key.endswith("~") else 0, int(key.rstrip("~")))
            if (start, end) not in best or rank < best[(start, end)]:
                best[(start, end)] = rank
        # Overlaps are settled on (start, end) pairs: a Span is made only for a match that stays.
        found = []
        for start, end in longest_first(best):
            entry = self.entries[best[(start, end)][1]]
            found.append(Span(doc, start, end, label=entry.type, kb_id=entry.name))
        add_spans(doc, found, cue="vocabulary", confidence=0.95)
        return doc


@Language.factory(
    "kg_vocabulary",
    requires=["token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={"vocabulary_dir": None},
)
def make_vocabulary_matcher(nlp: Language, name: str, vocabulary_dir: str | None):
    return VocabularyMatcher(nlp, vocabulary_dir)
