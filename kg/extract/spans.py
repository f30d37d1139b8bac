"""How components share findings on the Doc: typed spans in ``doc.spans["kg"]``.

Each span's label is its entity type, ``kb_id_`` its vocabulary name (if
any), and the extensions ``kg_cue`` and ``kg_confidence`` say which rule
found it and how sure it is. Overlaps are allowed; the resolver decides.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span

SPAN_KEY = "kg"


def ensure_extensions() -> None:
    """Register the Span and Doc extensions our components use (idempotent)."""
    for name, default in (("kg_cue", None), ("kg_confidence", 0.0)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name in ("kg_acronyms", "kg_results", "kg_proposals"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


# Where spaCy keeps a Span extension's value: ``doc.user_data[("._.", name, start_char, end_char)]``
# (spacy/tokens/underscore.py). ``span._.x`` builds an Underscore object per read or write;
# these helpers read and write the same entries directly (tests keep the two equal).
_CUE = "kg_cue"
_CONFIDENCE = "kg_confidence"


def span_cue(span: Span) -> str | None:
    """``span._.kg_cue``, read without building an Underscore object."""
    return span.doc.user_data.get(("._.", _CUE, span.start_char, span.end_char))


def span_confidence(span: Span) -> float:
    """``span._.kg_confidence``, read without building an Underscore object."""
    return span.doc.user_data.get(("._.", _CONFIDENCE, span.start_char, span.end_char), 0.0)


def mark_span(span: Span, cue: str | None = None, confidence: float | None = None) -> Span:
    """Set ``span._.kg_cue`` and/or ``span._.kg_confidence`` (those not None)."""
    user_data, start, end = span.doc.user_data, span.start_char, span.end_char
    if cue is not None:
        user_data[("._.", _CUE, start, end)] = cue
    if confidence is not None:
        user_data[("._.", _CONFIDENCE, start, end)] = confidence
    return span


_VERSION = "kg_spans_version"
_SORTED = "kg_spans_sorted"
_BOUNDS = "kg_spans_bounds"
# The group's spans as Python objects, in group order: iterating a SpanGroup builds new Span objects.
_MEMBERS = "kg_spans_members"


def add_span(doc: Doc, span: Span, cue: str, confidence: float) -> Span:
    """Add ``span`` to the Doc's shared span group with its cue and confidence."""
    add_spans(doc, [span], cue, confidence)
    return span


def add_spans(doc: Doc, spans: list[Span], cue: str, confidence: float) -> None:
    """``add_span`` for each of ``spans`` in turn, all with one cue and confidence, in one go.

    A component that finds many spans at once saves the per-span lookups of
    the group and the Doc's user data.
    """
    if not spans:
        return
    user_data = doc.user_data
    for span in spans:
        start_char, end_char = span.start_char, span.end_char
        user_data[("._.", _CUE, start_char, end_char)] = cue
        user_data[("._.", _CONFIDENCE, start_char, end_char)] = confidence
    if SPAN_KEY not in doc.spans:
        doc.spans[SPAN_KEY] = []
        user_data[_MEMBERS] = []  # known from the start, the members need no rebuilding from the group
    doc.spans[SPAN_KEY].extend(spans)
    members = user_data.get(_MEMBERS)
    if members is not None:
        members.extend(spans)
    user_data[_VERSION] = user_data.get(_VERSION, 0) + len(spans)
    user_data.setdefault(_BOUNDS, []).extend([(s.start, s.end, s.label_, cue) for s in spans])


def set_spans(doc: Doc, spans: list[Span], cues: list[str] | None = None) -> None:
    """Replace the shared span group (spans keep their cue and confidence).

    ``cues`` (one per span) saves reading each span's extension again.
    """
    doc.spans[SPAN_KEY] = spans
    doc.user_data[_MEMBERS] = list(spans)
    doc.user_data[_VERSION] = doc.user_data.get(_VERSION, 0) + 1
    cues = cues if cues is not None else [span_cue(s) for s in spans]
    doc.user_data[_BOUNDS] = [(s.start, s.end, s.label_, cue) for s, cue in zip(spans, cues)]


def span_bounds(doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, label, cue) of every shared span: cheap to scan, no Span objects made."""
    return doc.user_data.get(_BOUNDS, [])


def shared_spans(doc: Doc) -> list[Span]:
    """The spans of the shared group in group order (a new list; the spans are not copied).

    Like ``kg_spans``, this assumes the group changes only through ``add_span`` and
    ``set_spans``; a group set directly is re-read when its length differs.
    """
    if SPAN_KEY not in doc.spans:
        return []
    group = doc.spans[SPAN_KEY]
    members = doc.user_data.get(_MEMBERS)
    if members is None or len(members) != len(group):  # the group was set without set_spans
        members = doc.user_data[_MEMBERS] = list(group)
    return list(members)


def kg_spans(doc: Doc) -> list[Span]:
    """The typed spans found so far, in text order (cached until the group changes)."""
    if SPAN_KEY not in doc.spans:
        return []
    version = doc.user_data.get(_VERSION, 0)
    cached = doc.user_data.get(_SORTED)
    if cached is not None and cached[0] == version:
        return cached[1]
    spans = sorted(shared_spans(doc), key=lambda s: (s.start, -s.end))
    doc.user_data[_SORTED] = (version, spans)
    return spans


def outermost_spans(spans: list[Span]) -> list[Span]:
    """``spans`` without those inside a longer one: "MAE" inside "Scale-MAE" is not a mention of MAE.

    Spans with the same extent are all kept (one per type reading), and a span
    rebuilt from an elided head ("image and video generation" → image generation)
    hides nothing: "video generation" is named too.
    """
    # A container of another extent that starts no later and ends no earlier is longer.
    # Ends of containers, by start: the largest end among those starting before a span,
    # and the largest among those starting with it.
    containers = sorted((s.start, s.end) for s in spans if span_cue(s) != "ellipsis")
    starts = [start for start, _ in containers]
    reach_before: list[int] = []
    for _, end in containers:
        reach_before.append(max(end, reach_before[-1]) if reach_before else end)
    reach_at: dict[int, int] = {}
    for start, end in containers:
        reach_at[start] = max(end, reach_at.get(start, end))
    kept = []
    for span in spans:
        start, end = span.start, span.end
        before = bisect.bisect_left(starts, start)
        inside = (before and reach_before[before - 1] >= end) or reach_at.get(start, end) > end
        if not inside:
            kept.append(span)
    return kept
