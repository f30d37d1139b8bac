"""A catalogue of hostile inputs, each with what kg must do with it.

Three behaviours, and nothing else (never a traceback):

- **read**: the papers come out with their text exactly as written (JSON
  fields have their white space runs folded to one space, as the reader
  documents), and a whole build of them writes outputs that every
  independent reader parses, with the text kept exactly as literals;
- **refused**: the file cannot be a paper listing at all (empty, binary,
  undecodable, not a listing): an ``InputError`` naming the file (and the
  line, where a line means something); ``--skip-bad`` skips the file;
- **skipped**: one record or one line is bad: an ``InputError`` naming
  file and line; ``--skip-bad`` reports exactly that line and reads the rest.

A 10 MB line: an abstract is a paragraph (arXiv caps them at 1,920
characters), and extraction time grows faster than the text (spaCy also
refuses a text over 1,000,000 characters outright). So the readers refuse
a title over ``MAX_TITLE_CHARS`` or an abstract over ``MAX_ABSTRACT_CHARS``
as bad input at its line, before extraction: the build stops with
``file:line``, or with ``--skip-bad`` that paper is skipped and reported.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS

from kg.build import BuildOptions, build
from kg.export.flatten import xml_safe
from kg.ingest import InputError, ReadReport, read_inputs
from kg.ingest.text import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
from kg.namespace import KGO
from tests.hardening.outputs import HTML_MARKER, read_outputs, strings_in

ABSTRACT = (
    "We propose FooNet, a convolutional backbone for image classification. FooNet reaches 81.2% top-1 "
    "accuracy on ImageNet-1K with fewer FLOPs than ResNet-50, and it transfers to object detection on COCO "
    "without any change to its training recipe or to its data augmentation."
)
OTHER_ABSTRACT = (
    "Diffusion models sample slowly. We introduce Quick Flow, a distillation method that reaches an FID of "
    "3.1 on CIFAR-10 in a single step, and we show on ImageNet 64x64 that the gains over prior distillation "
    "methods hold at every number of sampling steps we tried."
)
BOILERPLATE = "Get trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n\n"
TEN_MB = 10 * 1024 * 1024


def page(*lines: str, boilerplate: bool = True) -> str:
    """A daily-papers page in the spaced layout: boilerplate, then ``lines`` a blank line apart."""
    return (BOILERPLATE if boilerplate else "") + "\n\n".join(lines) + "\n"


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def line_of(text: str, start: str) -> int:
    """The 1-based number of the first line of ``text`` that starts with ``start``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(start):
            return number
    raise AssertionError(f"no line starts with {start!r}")


@dataclass(frozen=True)
class Case:
    """One hostile input: its file, and what reading it gives (``papers``) and reports (``problems``).

    ``problems`` are (line, message fragment); without ``--skip-bad`` the
    first one is the InputError raised, with it every one is reported and
    ``papers`` are still read. ``sources`` is how many places the first
    paper was read from.
    """

    id: str
    expect: str  # "read", "refused" or "skipped": documentation, the checks are the same
    file: str
    make: Callable[[], bytes]
    papers: tuple[tuple[str, str], ...] = ()
    problems: tuple[tuple[int | None, str], ...] = ()
    sources: int = 1
    files: dict[str, Callable[[], bytes]] = field(default_factory=dict)  # more files read with it


def utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


# --------------------------------------------------------------------------
# Hostile text: every string goes into a title and an abstract, in a page and in JSON Lines.
# --------------------------------------------------------------------------

#: (id, title, text added to the abstract). None of these may change on the way to the outputs.
HOSTILE_TEXT = [
    ("script", f'<script>alert("{HTML_MARKER}")</script> ScriptNet',
     f'<script>alert("{HTML_MARKER}")</script></script><img src=x onerror=alert("{HTML_MARKER}")>'),
    ("quotes", "He said \"yes\" and 'no', then ended on a quote\"", "Quotes \"double\", 'single', “curly”, «guillemets» and a final \""),
    ("triple-quotes", '"""Triple""" quotes \'\'\'in\'\'\' a title """', '""" opens a Turtle long string, and """ closes it """'),
    ("backslashes", "C:\\new\\table, a\\\\b, \\u0041 and \\\" and a trailing \\",
     "Escapes that are not LaTeX: C:\\new\\x, a\\\\b, \\u0041, \\n and \\t kept as written \\"),
    ("markup-characters", "A < B && C > D: &amp; &lt;tag&gt; ]]> <!-- comment --> <![CDATA[x]]>",
     "Entities &amp; &#x3C; &lt;b&gt; stay text, as do ]]> and <?xml version=\"1.0\"?> and </textarea>"),
    ("emoji", "🚀 RocketNet: 👩‍👩‍👧 families, 🏳️‍🌈 flags and 👍🏽 tones", "It beats 🐢 TurtleNet 🔥 by 3.1 points 💯 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚"),
    ("right-to-left", "نموذج لغوي كبير: LLM \u202eevil\u202c שלום \u200fmarks\u200e",
     "Arabic نموذج, Hebrew שלום, an override \u202etxt.exe\u202c and isolates \u2067x\u2069"),
    ("zero-width", "Zero\u200bWidth\u200cNon\u200dJoiner\u2060Word\ufeffBOM",
     "Hidden\u200b characters\u200c inside\u200d words\u2060 and a BOM\ufeff mid-text"),
    ("combining-nfd", "Fre\u0301chet Inception Distance, decomposed (NFD)", "Cafe\u0301 and n\u0303 stay decomposed, not normalised"),
]


def hostile_text_cases() -> list[Case]:
    cases = []
    for name, title, fragment in HOSTILE_TEXT:
        abstract = f"{fragment} {ABSTRACT}"
        cases.append(Case(f"page-{name}", "read", "000_page.txt", utf8(page(title, abstract)), ((title, abstract),)))
        cases.append(Case(f"jsonl-{name}", "read", "records.jsonl",
                          utf8(jsonl({"title": title, "abstract": abstract})), ((title, abstract),)))
    return cases


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------

_TITLES_ONLY = page("FooNet: A Backbone", "Quick Flow for One-Step Generation", "A Third Title")
_ORPHAN_ABSTRACT = page(OTHER_ABSTRACT, "FooNet: A Backbone", ABSTRACT)
_BROKEN_MIDDLE = jsonl({"title": "First", "abstract": ABSTRACT}, '{"title": "Second", "abstract": "cut', {"title": "Third", "abstract": OTHER_ABSTRACT})
_ARRAY_WITH_SCALAR = '[\n{"title": "First", "abstract": "A."},\n1,\n{"title": "Third", "abstract": "C."}\n]\n'
_MISSING_TITLES = jsonl({"title": "First", "abstract": ABSTRACT}, {"abstract": OTHER_ABSTRACT},
                        {"title": " \n\t ", "abstract": "blank title"}, {"title": None, "abstract": "null title"},
                        {"title": ["a", "list"], "abstract": "list title"})
_HUGE = "word " * (TEN_MB // 5)


def _huge_page() -> bytes:
    return page("Huge", _HUGE, "FooNet: A Backbone", ABSTRACT).encode("utf-8")


def _huge_jsonl() -> bytes:
    return jsonl({"title": "First", "abstract": ABSTRACT}, {"title": "Huge", "abstract": _HUGE}).encode("utf-8")


def _huge_title_jsonl() -> bytes:
    return jsonl({"title": "T" * (MAX_TITLE_CHARS + 1), "abstract": ABSTRACT}, {"title": "Second", "abstract": ABSTRACT}).encode()


CATALOGUE: list[Case] = [
    # Whole files that are not listings.
    Case("empty-file", "refused", "empty.txt", lambda: b"", problems=((None, "empty file"),)),
    Case("white-space-only", "refused", "blank.jsonl", lambda: b" \n\t\r\n  \n", problems=((None, "empty file"),)),
    Case("binary-file", "refused", "image.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
         problems=((None, "binary file"),)),
    Case("invalid-utf-8", "refused", "latin1.txt",
         lambda: ("FooNet: A Backbone\n" + ABSTRACT.replace("FLOPs", "FLÖPs")).encode("latin-1"),
         problems=((2, "invalid UTF-8"),)),
    Case("truncated-utf-16", "refused", "odd.txt", lambda: codecs.BOM_UTF16_LE + "Title".encode("utf-16-le") + b"x",
         problems=((None, "invalid UTF-16"),)),
    Case("titles-without-abstracts-no-boilerplate", "refused", "titles.txt",
         utf8("FooNet: A Backbone\nQuick Flow for One-Step Generation\n"), problems=((1, "not a paper listing"),)),
    Case("json-scalar", "refused", "scalar.json", lambda: b"42\n", problems=((1, "not a paper listing"),)),
    Case("json-string", "refused", "string.json", lambda: b'"a title"\n', problems=((1, "not a paper listing"),)),
    Case("json-truncated-array", "refused", "cut.json", utf8('[{"title": "A", "abstract": "x"},\n{"title": '),
         problems=((2, "not JSON"),)),
    Case("json-nested-too-deep", "refused", "deep.json", lambda: b"[" * 100_000, problems=((None, "nested too deeply"),)),
    Case("json-number-too-long", "refused", "long.json", lambda: b"[" + b"1" * 5000 + b"]",
         problems=((None, "not JSON: Exceeds the limit (4300 digits)"),)),
    # Records or lines that are bad, in files that are otherwise fine.
    Case("page-titles-without-abstracts", "skipped", "titles.txt", utf8(_TITLES_ONLY),
         problems=tuple((line_of(_TITLES_ONLY, t), "title without an abstract")
                        for t in ("FooNet", "Quick Flow", "A Third Title"))),
    Case("page-abstract-without-title", "skipped", "orphan.txt", utf8(_ORPHAN_ABSTRACT),
         papers=(("FooNet: A Backbone", ABSTRACT),),
         problems=((line_of(_ORPHAN_ABSTRACT, "Diffusion"), "abstract without a title"),)),
    Case("jsonl-broken-line-in-the-middle", "skipped", "broken.jsonl", utf8(_BROKEN_MIDDLE),
         papers=(("First", ABSTRACT), ("Third", OTHER_ABSTRACT)), problems=((2, "not JSON"),)),
    Case("jsonl-line-nested-too-deep", "skipped", "deep.jsonl",
         lambda: jsonl({"title": "First", "abstract": ABSTRACT}, "[" * 100_000).encode(),
         papers=(("First", ABSTRACT),), problems=((2, "nested too deeply"),)),
    Case("json-array-not-all-objects", "skipped", "mixed.json", utf8(_ARRAY_WITH_SCALAR),
         papers=(("First", "A."), ("Third", "C.")), problems=((3, "paper 1: expected an object"),)),
    Case("json-papers-not-a-list", "skipped", "papers.json", utf8('{"papers": {"title": "x"}}'),
         problems=((1, "record has no title"),)),
    Case("missing-titles", "skipped", "untitled.jsonl", utf8(_MISSING_TITLES),
         papers=(("First", ABSTRACT),),
         problems=((2, "record has no title"), (3, "record has no title"), (4, "record has no title"),
                   (5, "field 'title' must be a string"))),
    Case("lone-surrogate-escape", "skipped", "surrogate.jsonl",
         utf8(jsonl({"title": "First", "abstract": ABSTRACT}, '{"title": "Broken \\ud800 pair", "abstract": "x"}')),
         papers=(("First", ABSTRACT),), problems=((2, "surrogate"),)),
    Case("page-10-mb-abstract-line", "skipped", "000_huge.txt", _huge_page,
         papers=(("FooNet: A Backbone", ABSTRACT),), problems=((line_of(BOILERPLATE, "Mar") + 4, "characters"),)),
    Case("jsonl-10-mb-abstract", "skipped", "huge.jsonl", _huge_jsonl,
         papers=(("First", ABSTRACT),), problems=((2, f"over the limit of {MAX_ABSTRACT_CHARS:,}"),)),
    Case("jsonl-title-over-the-limit", "skipped", "long-title.jsonl", _huge_title_jsonl,
         papers=(("Second", ABSTRACT),), problems=((1, f"over the limit of {MAX_TITLE_CHARS:,}"),)),
    # Encodings and line ends that must read as if they were plain UTF-8 with "\n".
    Case("utf-16-le-with-bom", "read", "000_utf16.txt", lambda: page("FooNet: A Backbone", ABSTRACT).encode("utf-16"),
         papers=(("FooNet: A Backbone", ABSTRACT),)),
    Case("utf-16-be-with-bom-jsonl", "read", "be.jsonl",
         lambda: codecs.BOM_UTF16_BE + jsonl({"title": "Big End", "abstract": ABSTRACT}).encode("utf-16-be"),
         papers=(("Big End", ABSTRACT),)),
    Case("utf-8-with-bom", "read", "bom.jsonl", lambda: codecs.BOM_UTF8 + jsonl({"title": "Bom", "abstract": ABSTRACT}).encode(),
         papers=(("Bom", ABSTRACT),)),
    Case("crlf-line-ends", "read", "000_crlf.txt", utf8(page("FooNet: A Backbone", ABSTRACT, "Quick Flow", OTHER_ABSTRACT).replace("\n", "\r\n")),
         papers=(("FooNet: A Backbone", ABSTRACT), ("Quick Flow", OTHER_ABSTRACT))),
    Case("cr-only-line-ends", "read", "000_cr.txt", utf8(page("FooNet: A Backbone", ABSTRACT).replace("\n", "\r")),
         papers=(("FooNet: A Backbone", ABSTRACT),)),
    Case("newlines-and-controls-in-json-fields", "read", "nl.jsonl",
         utf8(jsonl({"title": "Line one\nline two\r\nthree\u2028four\ttab", "abstract": "Para one.\n\nPara\x0btwo " + ABSTRACT},
                    {"title": "Bell\x07 escape\x1b delete\x7f", "abstract": "Controls\x01\x02 stay in RDF " + ABSTRACT})),
         papers=(("Line one line two three four tab", "Para one. Para two " + ABSTRACT),
                 ("Bell\x07 escape\x1b delete\x7f", "Controls\x01\x02 stay in RDF " + ABSTRACT))),
    Case("duplicate-papers", "read", "000_page.txt", utf8(page("FooNet: A Backbone", ABSTRACT)),
         papers=(("FooNet: A Backbone", ABSTRACT),), sources=3,
         files={"dupes.jsonl": utf8(jsonl({"title": "foonet -- a BACKBONE!", "abstract": "shorter"},
                                          {"title": "FooNet:  A  Backbone", "abstract": ABSTRACT}))}),
    *hostile_text_cases(),
]


def write_case(case: Case, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in {case.file: case.make, **case.files}.items():
        path = folder / name
        path.write_bytes(make())
        paths.append(path)
    return paths


def test_catalogue_is_well_formed():
    assert len({case.id for case in CATALOGUE}) == len(CATALOGUE)
    assert len(ABSTRACT) >= 250 and len(OTHER_ABSTRACT) >= 250  # both read as abstracts on a page
    for case in CATALOGUE:
        assert case.expect in ("read", "refused", "skipped")
        assert (case.expect == "read") == (not case.problems), case.id


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.id)
def test_hostile_input_is_read_or_refused_naming_file_and_line(case, tmp_path):
    paths = write_case(case, tmp_path)
    if case.problems:
        line, message = case.problems[0]
        with pytest.raises(InputError) as caught:
            read_inputs(paths)
        error = caught.value
        assert error.path == str(paths[0]) and error.line == line and message in error.message, str(error)
        assert str(error).startswith(f"{paths[0]}:{line}:" if line else f"{paths[0]}:")
        assert len(str(error)) < 300, "the message is a line, not a dump of the input"
    else:
        papers = read_inputs(paths)
        assert [(p.title, p.abstract) for p in papers] == list(case.papers)
        assert len(papers[0].sources) == case.sources


@pytest.mark.parametrize("case", [c for c in CATALOGUE if c.problems], ids=lambda c: c.id)
def test_skip_bad_reports_each_problem_and_reads_the_rest(case, tmp_path):
    paths = write_case(case, tmp_path)
    report = ReadReport()
    papers = read_inputs(paths, skip_bad=True, report=report)
    assert [(p.title, p.abstract) for p in papers] == list(case.papers)
    assert [(e.path, e.line) for e in report.skipped] == [(str(paths[0]), line) for line, _ in case.problems]
    for error, (_, message) in zip(report.skipped, case.problems):
        assert message in error.message


@pytest.mark.parametrize("case", [c for c in CATALOGUE if c.papers], ids=lambda c: c.id)
def test_build_of_hostile_input_parses_and_keeps_text_exactly(case, tmp_path, fast_builds):
    paths = write_case(case, tmp_path / "in")
    out = tmp_path / "out"
    summary = build(paths, out, BuildOptions(html=True, store=True, skip_bad=bool(case.problems)))
    assert summary.papers == len(case.papers)
    assert len(summary.skipped) == len(case.problems)
    outputs = read_outputs(out)
    titles = [title for title, _ in case.papers]
    # Turtle: each title and abstract is one exact literal.
    assert outputs.titles() == set(titles)
    assert outputs.abstracts() == {abstract for _, abstract in case.papers}
    for title in titles:
        (paper,) = outputs.turtle.subjects(DCTERMS.title, Literal(title))
        assert len(list(outputs.turtle.objects(paper, KGO.source))) == (case.sources if title == titles[0] else 1)
    # The store answers with the same strings.
    assert sorted(outputs.store_titles) == sorted(titles)
    # GraphML keeps what XML 1.0 can carry (it cannot carry most control characters).
    assert outputs.graphml_paper_labels() == {xml_safe(t) for t in titles}
    # JSON Lines: one record per paper, titles exact; extractions keep the abstracts exactly.
    assert sorted(record["title"] for record in outputs.papers) == sorted(titles)
    assert sorted(record["paper"]["abstract"] for record in outputs.extractions) == sorted(a for _, a in case.papers)
    assert outputs.summary["papers"] == len(titles)
    # The viewer: its data blob carries the titles; no input text became markup or script.
    assert set(titles) <= strings_in(outputs.viewer_data)
    assert not any(HTML_MARKER in script for script in outputs.viewer_scripts)
