"""The shared span group: cue and confidence helpers, outermost spans."""

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from kg.extract.spans import (
    add_span,
    ensure_extensions,
    kg_spans,
    mark_span,
    outermost_spans,
    set_spans,
    shared_spans,
    span_confidence,
    span_cue,
)

WORDS = "We train Scale - MAE and image and video generation models on ImageNet - 1k today".split()


def make_doc():
    ensure_extensions()
    return spacy.blank("en").make_doc(" ".join(WORDS))


def test_cue_helpers_read_what_the_extension_wrote():
    doc = make_doc()
    span = Span(doc, 2, 5, label="Method")
    span._.kg_cue, span._.kg_confidence = "vocabulary", 0.95
    assert (span_cue(span), span_confidence(span)) == ("vocabulary", 0.95)


def test_extension_reads_what_the_cue_helpers_wrote_for_spans_with_the_same_offsets():
    doc = make_doc()
    mark_span(Span(doc, 2, 5, label="Method"), cue="compound", confidence=0.7)
    other_label = Span(doc, 2, 5, label="Architecture")  # spaCy keys extension values by character offsets
    assert (other_label._.kg_cue, other_label._.kg_confidence) == ("compound", 0.7)
    mark_span(other_label, confidence=0.3)
    assert (other_label._.kg_cue, other_label._.kg_confidence) == ("compound", 0.3)


def test_unset_cue_and_confidence_are_the_extension_defaults():
    span = Span(make_doc(), 0, 1)
    assert (span_cue(span), span_confidence(span)) == (span._.kg_cue, span._.kg_confidence) == (None, 0.0)


def naive_outermost(spans):
    containers = [s for s in spans if s._.kg_cue != "ellipsis"]
    return [
        span for span in spans
        if not any(o.start <= span.start and span.end <= o.end and len(o) > len(span) for o in containers)
    ]


@settings(deadline=None)  # a loaded machine must not fail it
@given(st.lists(st.tuples(st.integers(0, len(WORDS) - 1), st.integers(1, 4), st.booleans()), max_size=12))
def test_outermost_spans_drops_exactly_the_spans_inside_a_longer_one(bounds):
    doc = make_doc()
    spans = []
    for start, length, elided in bounds:
        span = Span(doc, start, min(len(doc), start + length), label="Method")
        span._.kg_cue = "ellipsis" if elided else "vocabulary"
        spans.append(span)
    spans.sort(key=lambda s: (s.start, -s.end))
    assert [(s.start, s.end) for s in outermost_spans(spans)] == [(s.start, s.end) for s in naive_outermost(spans)]


def test_kg_spans_follow_the_group_through_adds_and_replacements():
    doc = make_doc()
    add_span(doc, Span(doc, 8, 10, label="Task"), cue="vocabulary", confidence=0.95)
    add_span(doc, Span(doc, 2, 5, label="Method"), cue="vocabulary", confidence=0.95)
    set_spans(doc, [*shared_spans(doc), Span(doc, 2, 3, label="Architecture")])
    add_span(doc, Span(doc, 0, 1, label="Method"), cue="proposal", confidence=0.7)
    group = sorted(doc.spans["kg"], key=lambda s: (s.start, -s.end))
    assert [(s.start, s.end, s.label_) for s in kg_spans(doc)] == [(s.start, s.end, s.label_) for s in group]
    doc.spans["kg"] = [Span(doc, 4, 6, label="Task")]  # set directly, as spaCy users may
    assert [(s.start, s.end) for s in shared_spans(doc)] == [(4, 6)]
