"""Sentence boundaries for titles and abstracts, as a spaCy component.

The title is its own sentence (the text is "title\\n\\nabstract"); an
abstract splits after ".", "!" or "?" when the next word starts a sentence.
Abbreviations such as "e.g." and "et al." are single tokens in spaCy's
English tokenizer, so they do not end sentences.
"""

from __future__ import annotations

from itertools import compress

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.doc_view import build_view

_ENDERS = {".", "!", "?"}


class _BreakTable(dict):
    """Token text → may a sentence start after it (an ender or a line break), filled on first
    sight: ``map(table.__getitem__, texts)`` runs in C, where a test per token runs in Python."""

    def __missing__(self, text: str) -> bool:
        if len(self) > 200_000:
            self.clear()
        value = self[text] = text in _ENDERS or ("\n" in text and text.isspace())
        return value


_MAY_BREAK = _BreakTable()


def sentence_starts(texts: list[str]) -> list[int]:
    """Indices of the tokens that start a sentence, given the token texts.

    A token starts a sentence after a line break, or after ".", "!" or "?" unless
    it is a lower-case word.

    >>> sentence_starts(["A", "Title", "\\n\\n", "One", "e.g.", "this", ".", "Two", ".", "and"])
    [0, 3, 7]
    """
    starts = [0]
    last = len(texts) - 1
    # Whitespace tokens are the only ones that can hold a line break (spaCy splits at spaces).
    for i in compress(range(len(texts)), map(_MAY_BREAK.__getitem__, texts)):
        if i < last and (texts[i] not in _ENDERS or not texts[i + 1].islower() or texts[i + 1].isspace()):
            starts.append(i + 1)
    return starts


def mark_sentence_starts(doc: Doc) -> Doc:
    """Set sentence starts on ``doc`` (one array write; a loop over Token objects costs more
    than the rest of the pipeline) and build the Doc's shared view with them."""
    length = len(doc)
    if not length:
        return doc
    view = build_view(doc, sentence_starts)
    # spaCy stores "not a start" as -1 in an unsigned array.
    values = numpy.full((length, 1), -1, dtype="int64")
    values[view.sentence_starts] = 1
    doc.from_array([SENT_START], values.astype("uint64"))
    return doc


@Language.factory("kg_sentences", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str):
    return mark_sentence_starts
