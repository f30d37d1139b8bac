"""A per-Doc cache of token texts and sentences, shared by the components.

Iterating a Doc builds a Python ``Token`` object per token, and every
``span.sent`` walks the sentence again; over a corpus those dominate the
pipeline's time. Components read words and sentences from this view
instead, computed once per Doc (after sentence boundaries are set).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

_KEY = "kg_view"
_TEXT_KEY = "kg_text"  # the text the Doc was made from, when its maker says so


@dataclass
class DocView:
    """Token texts, lower-cased texts and sentences of one Doc."""

    text: str
    texts: list[str]
    lowers: list[str]
    char_starts: list[int]
    sentences: list[Span]
    sentence_starts: list[int]

    def sentence_at(self, index: int) -> Span:
        """The sentence holding token ``index``."""
        return self.sentences[bisect.bisect_right(self.sentence_starts, index) - 1]

    def token_at_char(self, offset: int) -> int | None:
        """The first token starting at or after character ``offset``."""
        index = bisect.bisect_left(self.char_starts, offset)
        return index if index < len(self.char_starts) else None


class _Strings(dict):
    """Orth id → string (or its lower case), filled from the StringStore on first sight.

    A dict lookup costs a fifth of ``StringStore.__getitem__``, which every
    token paid. Orth ids are hashes of the strings themselves, so one table
    serves every vocab; it is emptied when it grows past ``_STRINGS_MAX``.
    """

    def __init__(self, lower: bool):
        super().__init__()
        self.lower = lower

    def __missing__(self, orth: int) -> str:
        if len(self) > _STRINGS_MAX:
            self.clear()
        text = _TEXTS[orth] if self.lower else _STORE[0][orth]
        value = self[orth] = text.lower() if self.lower else text
        return value


_STRINGS_MAX = 500_000
_STORE: list = [None]  # the StringStore of the Doc being read
_TEXTS = _Strings(lower=False)
_LOWERS = _Strings(lower=True)


def remember_text(doc: Doc, text: str) -> Doc:
    """Tell ``build_view`` the text ``doc`` was tokenized from, which saves joining its tokens.

    spaCy's tokenization keeps every character, so the text is the tokens
    with their trailing spaces, joined.
    """
    doc.user_data[_TEXT_KEY] = text
    return doc


def doc_view(doc: Doc) -> DocView:
    """The cached view of ``doc`` (built on first use)."""
    view = doc.user_data.get(_KEY)
    if view is None or len(view.texts) != len(doc):
        view = build_view(doc)
    return view


def build_view(doc: Doc, sentence_starts: Callable[[list[str]], list[int]] | None = None) -> DocView:
    """Build and cache the view of ``doc``: its sentences from ``sentence_starts(token texts)``,
    else from the Doc's sentence starts.

    The sentence splitter passes its rule, so the token texts it reads are those of the view.
    """
    columns = doc.to_array([ORTH, IDX, SPACY] if sentence_starts else [ORTH, IDX, SPACY, SENT_START])
    # Python ints from int64 columns: from uint64 (and transposed) tolist is several times slower.
    orth = columns[:, 0].tolist()
    idx, space = columns[:, 1:3].astype("int64").T.tolist() if len(columns) else ([], [])
    _STORE[0] = doc.vocab.strings
    texts = list(map(_TEXTS.__getitem__, orth))
    lowers = list(map(_LOWERS.__getitem__, orth))
    text = doc.user_data.get(_TEXT_KEY)
    if text is None or len(text) != (idx[-1] + len(texts[-1]) + space[-1] if texts else 0):
        # Doc.text joins every token in Python on each call; built once here.
        text = "".join([t + " " if sp else t for t, sp in zip(texts, space)])
    if sentence_starts:
        starts = sentence_starts(texts)
    else:
        # Sentences from the sentence-start array: Doc.sents walks every token in Python.
        starts = numpy.flatnonzero(columns[:, 3] == 1).tolist()
    starts = starts or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    ends = starts[1:] + [len(texts)]
    sentences = [Span(doc, s, e) for s, e in zip(starts, ends)] if texts else []
    view = DocView(text, texts, lowers, idx, sentences, [s.start for s in sentences])
    doc.user_data[_KEY] = view
    return view
