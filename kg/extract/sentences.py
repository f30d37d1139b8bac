"""Sentence boundaries for titles and abstracts, as a spaCy component.

The title is its own sentence (the text is "title\\n\\nabstract"); an
abstract splits after ".", "!" or "?" when the next word starts a sentence.
Abbreviations such as "e.g." and "et al." are single tokens in spaCy's
English tokenizer, so they do not end sentences.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_ENDERS = {".", "!", "?"}


def mark_sentence_starts(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token of ``doc``."""
    if not len(doc):
        return doc
    doc[0].is_sent_start = True
    for i in range(1, len(doc)):
        previous = doc[i - 1]
        token = doc[i]
        if "\n" in previous.text or (previous.is_space and "\n" in previous.text_with_ws):
            starts = True
        elif previous.text in _ENDERS:
            starts = not token.is_lower or token.is_space
        else:
            starts = False
        token.is_sent_start = starts
    return doc


@Language.factory("kg_sentences", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str):
    return mark_sentence_starts
