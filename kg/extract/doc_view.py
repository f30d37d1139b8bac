"""A per-Doc cache of token texts and sentences, shared by the components.

Iterating a Doc builds a Python ``Token`` object per token, and every
``span.sent`` walks the sentence again; over a corpus those dominate the
pipeline's time. Components read words and sentences from this view
instead, computed once per Doc (after sentence boundaries are set).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_KEY = "kg_view"


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


def doc_view(doc: Doc) -> DocView:
    """The cached view of ``doc`` (built on first use)."""
    view = doc.user_data.get(_KEY)
    if view is None or len(view.texts) != len(doc):
        strings = doc.vocab.strings
        orth, idx, sent_start, space = doc.to_array(["ORTH", "IDX", "SENT_START", "SPACY"]).T.tolist()
        texts = [strings[o] for o in orth]
        # Doc.text joins every token in Python on each call; built once here.
        text = "".join([t + " " if sp else t for t, sp in zip(texts, space)])
        # Sentences from the sentence-start array: Doc.sents walks every token in Python.
        starts = [i for i, flag in enumerate(sent_start) if flag == 1] or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        ends = starts[1:] + [len(texts)]
        sentences = [doc[s:e] for s, e in zip(starts, ends)] if texts else []
        view = DocView(text, texts, [t.lower() for t in texts], idx, sentences, [s.start for s in sentences])
        doc.user_data[_KEY] = view
    return view
