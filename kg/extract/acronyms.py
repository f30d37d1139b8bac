"""Acronym definitions, "long form (SF)", found with the Schwartz–Hearst algorithm.

The algorithm is a pure function on strings (``find_acronym_definitions``);
the spaCy component only moves its findings to ``doc._.kg_acronyms``.
Schwartz & Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", PSB 2003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.doc_view import doc_view
from kg.extract.spans import ensure_extensions

_PAREN = re.compile(r"\(([^()]{1,20})\)")


@dataclass(frozen=True)
class AcronymDefinition:
    """A short form and its long form, with character offsets in the text."""

    short: str
    long: str
    long_start: int
    long_end: int
    short_start: int
    short_end: int


def _is_short_form(candidate: str) -> bool:
    words = candidate.split()
    if not 1 <= len(words) <= 2 or not 2 <= len(candidate) <= 12:
        return False
    if not candidate[0].isalnum() or not any(c.isalpha() for c in candidate):
        return False
    # At least one capital letter: "(CAF)", "(iFormer)"; not "(see below)".
    return any(c.isupper() for c in candidate)


def best_long_form(short: str, long: str) -> str | None:
    """The shortest end of ``long`` whose letters spell ``short`` (Schwartz–Hearst).

    >>> best_long_form("FID", "the new Frechet Inception Distance")
    'Frechet Inception Distance'
    >>> best_long_form("CAF", "we introduce Constant Acceleration Flow")
    'Constant Acceleration Flow'
    """
    s_index = len(short) - 1
    l_index = len(long) - 1
    while s_index >= 0:
        c = short[s_index].lower()
        if not c.isalnum():
            s_index -= 1
            continue
        while (l_index >= 0 and long[l_index].lower() != c) or (
            s_index == 0 and l_index > 0 and long[l_index - 1].isalnum()
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = long.rfind(" ", 0, l_index + 1) + 1
    candidate = long[start:]
    if len(candidate) <= len(short) or short.lower() in candidate.lower().split():
        return None
    # A long form is a name: a few words, no clause punctuation inside.
    if any(c in candidate for c in ",;:()") or len(candidate.split()) > max(len(short), 2) + 3:
        return None
    return candidate


def find_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Every "long form (SF)" definition in ``text``.

    >>> [(d.short, d.long) for d in find_acronym_definitions("We use Frechet Inception Distance (FID) and Multi-Scale Attention (MSA).")]
    [('FID', 'Frechet Inception Distance'), ('MSA', 'Multi-Scale Attention')]
    """
    found: list[AcronymDefinition] = []
    for match in _PAREN.finditer(text):
        short = match.group(1).strip()
        if ";" in short or "," in short:
            short = re.split(r"[;,]", short)[0].strip()
        if not _is_short_form(short):
            continue
        # A long form lies within a few words of its bracket; a bounded window keeps this linear.
        window_start = max(0, match.start() - 240)
        before = text[window_start : match.start()].rstrip()
        # Look back at most min(|SF| + 5, 2 |SF|) words, within the sentence.
        window_words = min(len(short) + 5, 2 * len(short))
        sentence_start = max(before.rfind(". "), before.rfind("\n"), before.rfind("; "))
        words = before[sentence_start + 1 :].split()[-window_words:]
        window = " ".join(words)
        long = best_long_form(short, window)
        if not long:
            continue
        long_start = before.rfind(long)
        if long_start < 0:
            continue
        long_start += window_start
        found.append(
            AcronymDefinition(
                short=short,
                long=long.strip(" ,;:"),
                long_start=long_start,
                long_end=long_start + len(long.rstrip(" ,;:")),
                short_start=match.start(1) + match.group(1).index(short),
                short_end=match.start(1) + match.group(1).index(short) + len(short),
            )
        )
    return found


def detect_acronyms(doc: Doc) -> Doc:
    doc._.kg_acronyms = find_acronym_definitions(doc_view(doc).text)
    return doc


@Language.factory("kg_acronyms", assigns=["doc._.kg_acronyms"])
def make_acronym_detector(nlp: Language, name: str):
    ensure_extensions()
    return detect_acronyms
