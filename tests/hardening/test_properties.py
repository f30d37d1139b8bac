"""Properties that hold for any input, checked with hypothesis on generated text.

- Any text, as a JSON Lines title or abstract, as a page, or as raw bytes,
  reads as papers or raises ``InputError``: never another exception.
- The extraction pipeline never crashes on arbitrary Unicode, and its
  mentions point at the text they quote.
- A build of any small corpus writes outputs that parse (Turtle, GraphML,
  JSON Lines, the viewer, the store), with the titles exact.
- Every IRI ``kg/export/rdf.py`` mints is valid whatever the names, keys and
  URLs, distinct keys give distinct IRIs, and names survive exactly as literals.

Examples are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from kg.build import BuildOptions, build
from kg.export.rdf import corpus_triples, key_iri, web_iri, write_rdf
from kg.graph.model import paper_key
from kg.ingest import InputError, ReadReport, read_inputs
from kg.records import ENTITY_TYPES, Corpus, Entity, EntityMention, Paper, ResolvedPaper, Result, SourceLocation
from kg.resolve.resolver import slugify
from tests.hardening.outputs import read_outputs

QUICK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Any code point, lone surrogates included (a JSON "\ud800" escape makes one).
any_char = st.characters(codec=None, exclude_categories=())
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
#: Words the extractor reacts to, mixed with arbitrary text, so generated abstracts reach its rules.
ML_WORDS = ["We", "propose", "FooNet", "(FN)", "ResNet-50", "ImageNet", "CIFAR-10", "FID", "of", "3.55", "81.2%",
            "top-1", "accuracy", "on", "outperforms", "by", "+2.1", "x", "BLEU", ".", ",", "-", "https://github.com/a/b",
            "Frechet Inception Distance (FID)", "improves", "to", "the", "state-of-the-art", "1.5x", "faster", "\n"]
ml_text = st.lists(st.sampled_from(ML_WORDS) | unicode_text.map(lambda t: t[:12]), max_size=60).map(" ".join)
#: IRIs must not hold these (RFC 3987 excludes them; Turtle cannot write them unescaped).
IRI_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')


def read_or_refuse(path: Path) -> list[Paper] | InputError:
    """What reading ``path`` gives: papers, or the InputError (any other exception fails the test)."""
    try:
        papers = read_inputs([path])
    except InputError as error:
        assert error.path == str(path)
        report = ReadReport()
        read_inputs([path], skip_bad=True, report=report)  # --skip-bad never raises
        assert report.skipped
        return error
    for paper in papers:
        assert paper.title and paper.title == paper.title.strip()
        (paper.title + paper.abstract).encode("utf-8")
    return papers


# --------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------


@QUICK
@given(title=st.text(any_char, max_size=200), abstract=st.text(any_char, max_size=400), ascii_only=st.booleans())
@example(title="a\ud800b", abstract="x", ascii_only=True)
@example(title=" \u2028 ", abstract="x", ascii_only=False)
def test_any_json_lines_title_and_abstract_read_or_raise_input_error(title, abstract, ascii_only):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        line = json.dumps({"title": title, "abstract": abstract}, ensure_ascii=ascii_only)
        path.write_bytes((line + "\n" + line + "\n").encode("utf-8", "surrogatepass"))
        outcome = read_or_refuse(path)
    if isinstance(outcome, list):  # the same record twice is one paper with two sources
        assert [(p.title, len(p.sources)) for p in outcome] == [(" ".join(title.split()), 2)]


@QUICK
@given(text=st.text(any_char, max_size=2000))
@example(text="[Re] A Title\n" + "An abstract that is long enough. " * 10)
@example(text="Subscribe\n\ud800")
def test_any_text_as_a_page_reads_or_raises_input_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "000_page.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        read_or_refuse(path)


@QUICK
@given(data=st.binary(max_size=2000))
@example(data=b"\xff\xfe" + "[{\"title\": \"T\"}]".encode("utf-16-le"))
@example(data=b"\xfe\xff\xd8\x00")
def test_any_bytes_as_a_file_read_or_raise_input_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        read_or_refuse(path)


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from kg.extract import build_pipeline

    return build_pipeline()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=unicode_text | ml_text, abstract=ml_text | unicode_text)
@example(title="", abstract="")
@example(title="\u200b\ufeff", abstract="\u202e\U0001f680 (FID) of 3.55 \x00\x1b on CIFAR-10 .")
def test_extraction_never_crashes_on_arbitrary_unicode(nlp, title, abstract):
    from kg.extract.pipeline import extraction_from_doc

    paper = Paper(id="p", title=title, abstract=abstract, sources=())
    extraction = extraction_from_doc(paper, nlp(paper.text))
    for mention in extraction.mentions:
        assert mention.type in ENTITY_TYPES
        assert paper.text[mention.start:mention.end] == mention.text
    for result in extraction.results:
        assert result.value.is_finite()


# --------------------------------------------------------------------------
# Whole builds
# --------------------------------------------------------------------------

paper_records = st.lists(
    st.fixed_dictionaries({"title": unicode_text.filter(lambda t: t.strip()) | ml_text.filter(lambda t: t.strip()),
                           "abstract": ml_text | unicode_text}),
    min_size=1, max_size=3,
)


@BUILDS
@given(records=paper_records)
def test_every_output_of_a_small_corpus_parses(shared_pipeline, records):
    with tempfile.TemporaryDirectory() as folder, \
            mock.patch("kg.extract.pipeline.build_pipeline", lambda *args, **kwargs: shared_pipeline):
        inputs = Path(folder) / "records.jsonl"
        inputs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        expected = {p.title for p in read_inputs([inputs], skip_bad=True)}
        build([inputs], Path(folder) / "out", BuildOptions(html=True, store=True, skip_bad=True))
        outputs = read_outputs(Path(folder) / "out")
    assert outputs.titles() == expected
    assert set(outputs.store_titles) == expected
    assert {record["title"] for record in outputs.papers} == expected
    assert sum(1 for _, data in outputs.graphml.nodes(data=True) if data.get("type") == "Paper") == len(expected)


# --------------------------------------------------------------------------
# IRIs
# --------------------------------------------------------------------------

names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
urls = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(["https://", "http://", "ftp://", "", "https:"]),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=40))


def iri_is_valid(iri: str) -> bool:
    return bool(iri) and iri.isascii() and not IRI_FORBIDDEN.search(iri) and ":" in iri


@QUICK
@given(key=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60),
       other=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60))
@example(key="a/./b/../c.", other="a/%2E/b/%2E%2E/c%2E")
def test_key_iri_is_valid_and_distinct_keys_give_distinct_iris(key, other):
    assert iri_is_valid(key_iri(key))
    assert (key_iri(key) == key_iri(other)) == (key == other)


@QUICK
@given(url=urls)
def test_web_iri_is_valid_or_none(url):
    iri = web_iri(url)
    assert iri is None or (iri_is_valid(iri) and iri.startswith(("http://", "https://")))


def corpus_of(entity_names: list[str], title: str, paper_id: str, url: str, slugged: bool) -> Corpus:
    entities: dict[str, Entity] = {}
    for number, name in enumerate(entity_names):
        type_ = ENTITY_TYPES[number % len(ENTITY_TYPES)]
        key = f"{type_.lower()}/{slugify(name) if slugged else name}"
        entities.setdefault(key, Entity(key=key, name=name, type=type_, aliases=(name + " alias", name.upper()),
                                        description=name))
    keys = sorted(entities)
    metric = next((k for k in keys if entities[k].type == "Metric"), None)
    paper = Paper(id=paper_id, title=title, abstract=title, sources=(SourceLocation(title, 1),), url=url,
                  date=paper_id, authors=(title,), code_urls=(url, url + "/x"))
    resolved = ResolvedPaper(
        paper=paper,
        mentions=tuple(EntityMention(k, (k,), title, title, 0.5) for k in keys),
        proposes=tuple(keys[:1]),
        results=(Result(f"result/{title}", metric, Decimal("1.5"), title, None, keys[0] if keys else None, False,
                        title, 0.5),),
    )
    return Corpus(entities=entities, papers=(resolved,))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entity_names=st.lists(names, min_size=1, max_size=6), title=names, paper_id=names, url=urls,
       slugged=st.booleans())
@example(entity_names=['"""', "\\", ".", "..", "a\x00b", "<script>"], title='ends with "', paper_id="%2E",
         url="https://a b/\"c\"<d>{e}|^`", slugged=False)
def test_every_minted_iri_is_valid_and_names_stay_exact_literals(entity_names, title, paper_id, url, slugged):
    corpus = corpus_of(entity_names, title, paper_id, url, slugged)
    iris = {term.value for triple in corpus_triples(corpus) for term in (triple.subject, triple.predicate, triple.object)
            if type(term).__name__ == "NamedNode"}
    assert iris and all(iri_is_valid(iri) for iri in iris), sorted(i for i in iris if not iri_is_valid(i))
    out = io.BytesIO()
    write_rdf(corpus, out, "turtle")
    graph = rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="turtle")
    assert {str(term) for triple in graph for term in triple if isinstance(term, URIRef)} == iris
    for key, entity in corpus.entities.items():
        node = URIRef(key_iri(key))
        assert set(graph.objects(node, RDFS.label)) == {Literal(entity.name)}
        assert set(graph.objects(node, SKOS.altLabel)) == {Literal(a) for a in set(entity.aliases) - {entity.name}}
    paper = URIRef(key_iri(paper_key(title)))
    assert set(graph.objects(paper, DCTERMS.title)) == {Literal(title)}
