"""How components share findings on the Doc: typed spans in ``doc.spans["kg"]``.

Each span's label is its entity type, ``kb_id_`` its vocabulary name (if
any), and the extensions ``kg_cue`` and ``kg_confidence`` say which rule
found it and how sure it is. Overlaps are allowed; the resolver decides.
"""

from __future__ import annotations

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


_VERSION = "kg_spans_version"
_SORTED = "kg_spans_sorted"
_BOUNDS = "kg_spans_bounds"


def add_span(doc: Doc, span: Span, cue: str, confidence: float) -> Span:
    """Add ``span`` to the Doc's shared span group with its cue and confidence."""
    span._.kg_cue = cue
    span._.kg_confidence = confidence
    if SPAN_KEY not in doc.spans:
        doc.spans[SPAN_KEY] = []
    doc.spans[SPAN_KEY].append(span)
    doc.user_data[_VERSION] = doc.user_data.get(_VERSION, 0) + 1
    doc.user_data.setdefault(_BOUNDS, []).append((span.start, span.end, span.label_, cue))
    return span


def set_spans(doc: Doc, spans: list[Span], cues: list[str] | None = None) -> None:
    """Replace the shared span group (spans keep their cue and confidence).

    ``cues`` (one per span) saves reading each span's extension again.
    """
    doc.spans[SPAN_KEY] = spans
    doc.user_data[_VERSION] = doc.user_data.get(_VERSION, 0) + 1
    cues = cues if cues is not None else [s._.kg_cue for s in spans]
    doc.user_data[_BOUNDS] = [(s.start, s.end, s.label_, cue) for s, cue in zip(spans, cues)]


def span_bounds(doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, label, cue) of every shared span: cheap to scan, no Span objects made."""
    return doc.user_data.get(_BOUNDS, [])


def kg_spans(doc: Doc) -> list[Span]:
    """The typed spans found so far, in text order (cached until the group changes)."""
    if SPAN_KEY not in doc.spans:
        return []
    version = doc.user_data.get(_VERSION, 0)
    cached = doc.user_data.get(_SORTED)
    if cached is not None and cached[0] == version:
        return cached[1]
    spans = sorted(doc.spans[SPAN_KEY], key=lambda s: (s.start, -s.end))
    doc.user_data[_SORTED] = (version, spans)
    return spans


def outermost_spans(spans: list[Span]) -> list[Span]:
    """``spans`` without those inside a longer one: "MAE" inside "Scale-MAE" is not a mention of MAE.

    Spans with the same extent are all kept (one per type reading), and a span
    rebuilt from an elided head ("image and video generation" → image generation)
    hides nothing: "video generation" is named too.
    """
    kept = []
    containers = [s for s in spans if s._.kg_cue != "ellipsis"]
    for span in spans:
        inside = any(
            other.start <= span.start and span.end <= other.end and (other.end - other.start) > (span.end - span.start)
            for other in containers
        )
        if not inside:
            kept.append(span)
    return kept
