"""Sentence boundaries for titles and abstracts, as a spaCy component.

The title is its own sentence (the text is "title\\n\\nabstract"); an
abstract splits after ".", "!" or "?" when the next word starts a sentence.
Abbreviations such as "e.g." and "et al." are single tokens in spaCy's
English tokenizer, so they do not end sentences.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_LOWER, IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_ENDERS = {".", "!", "?"}


def mark_sentence_starts(doc: Doc) -> Doc:
    """Set sentence starts on ``doc`` in one array operation (a Python loop over tokens costs more
    than the rest of the pipeline)."""
    length = len(doc)
    if not length:
        return doc
    strings = doc.vocab.strings
    orth, is_lower, is_space = doc.to_array([ORTH, IS_LOWER, IS_SPACE]).T
    enders = numpy.isin(orth, [strings.add(e) for e in _ENDERS])
    newline = numpy.zeros(length, dtype=bool)
    for i in numpy.flatnonzero(is_space):
        newline[i] = "\n" in doc[int(i)].text
    starts = numpy.zeros(length, dtype=bool)
    starts[0] = True
    after_ender = enders[:-1] & ((is_lower[1:] == 0) | (is_space[1:] == 1))
    starts[1:] = newline[:-1] | after_ender
    # spaCy stores "not a start" as -1 in an unsigned array.
    values = numpy.where(starts, 1, -1).astype("int64").astype("uint64").reshape(-1, 1)
    doc.from_array([SENT_START], values)
    return doc


@Language.factory("kg_sentences", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str):
    return mark_sentence_starts
