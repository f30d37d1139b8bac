"""Readers: both page layouts, JSON Lines and JSON, duplicates, code links, bad input."""

import json
from pathlib import Path

import pytest

from kg.ingest import InputError, ReadReport, read_inputs

ABSTRACT_A = (
    "We propose FooNet, a new backbone for image classification. FooNet reaches 81.2% top-1 accuracy "
    "on ImageNet-1K with fewer FLOPs than ResNet-50. Code is available at "
    "https://github.com/example/foonet{https://github.com/example/foonet}."
)
ABSTRACT_B = (
    "Diffusion models sample slowly. We introduce Quick Flow (QF), a distillation method that reaches "
    "an FID of 3.1 on CIFAR-10 in one step. Experiments on ImageNet 64x64 confirm the gains over prior work."
)

COMPACT_PAGE = (
    "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
    f"SubscribeFooNet: A Backbone\n{ABSTRACT_A}\nQuick Flow for One-Step Generation\n{ABSTRACT_B}\n"
)
SPACED_PAGE = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
    f"Mar 13\n\nFooNet: A Backbone\n\n{ABSTRACT_A}\n\n\nQuick Flow for One-Step Generation\n\n{ABSTRACT_B}\n"
)


@pytest.mark.parametrize("page", [COMPACT_PAGE, SPACED_PAGE], ids=["compact", "spaced"])
def test_reader_finds_papers_in_both_page_layouts(tmp_path, page):
    path = tmp_path / "007_page.txt"
    path.write_text(page, encoding="utf-8")
    papers = read_inputs([path])
    assert [p.title for p in papers] == ["FooNet: A Backbone", "Quick Flow for One-Step Generation"]
    assert [p.id for p in papers] == ["007-000", "007-001"]
    assert papers[1].abstract == ABSTRACT_B


def test_reader_cuts_subscribe_glued_to_first_title(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(COMPACT_PAGE, encoding="utf-8")
    assert read_inputs([path])[0].title == "FooNet: A Backbone"


def test_reader_records_title_line_as_source(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(SPACED_PAGE, encoding="utf-8")
    first = read_inputs([path])[0]
    assert str(first.sources[0]) == f"{path}:11"


def test_code_links_are_cleaned_and_deduplicated(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(COMPACT_PAGE, encoding="utf-8")
    paper = read_inputs([path])[0]
    assert paper.code_urls == ("https://github.com/example/foonet",)
    assert "{" not in paper.abstract


def test_json_lines_and_json_array_read_with_optional_fields(tmp_path):
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps({"title": "T1", "abstract": ABSTRACT_A, "id": "x1", "date": "2024-03-01",
                                 "authors": ["A. B", "C. D"]}) + "\n\n", encoding="utf-8")
    array = tmp_path / "b.json"
    array.write_text(json.dumps([{"title": "T2", "abstract": ABSTRACT_B, "url": "https://arxiv.org/abs/1"}]), encoding="utf-8")
    papers = read_inputs([lines, array])
    assert [(p.id, p.title) for p in papers] == [("x1", "T1"), ("b-000", "T2")]
    assert papers[0].authors == ("A. B", "C. D") and papers[0].date == "2024-03-01"
    assert papers[1].url == "https://arxiv.org/abs/1"


def test_formats_are_recognised_by_content_not_name(tmp_path):
    (tmp_path / "listing.data").write_text(json.dumps({"title": "T1", "abstract": ABSTRACT_A}) + "\n", encoding="utf-8")
    (tmp_path / "page.jsonl").write_text(COMPACT_PAGE, encoding="utf-8")
    papers = read_inputs([tmp_path / "listing.data", tmp_path / "page.jsonl"])
    assert len(papers) == 3


def test_page_whose_first_title_starts_with_a_bracket_is_a_page(tmp_path):
    # "[Re] …" titles (reproducibility reports) start with "[" but open no JSON array.
    (tmp_path / "page.txt").write_text(f"[Re] A Reproducibility Study of Sampling\n\n{ABSTRACT_A}\n")
    papers = read_inputs([tmp_path / "page.txt"])
    assert [p.title for p in papers] == ["[Re] A Reproducibility Study of Sampling"]


def test_directories_are_read_recursively_and_duplicates_merged(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "001_a.txt").write_text(COMPACT_PAGE, encoding="utf-8")
    (tmp_path / "sub" / "002_b.txt").write_text(SPACED_PAGE, encoding="utf-8")
    (tmp_path / "sub" / "c.jsonl").write_text(
        json.dumps({"title": "foonet: a backbone", "abstract": ABSTRACT_A}) + "\n", encoding="utf-8")
    report = ReadReport()
    papers = read_inputs([tmp_path], report=report)
    assert len(papers) == 2
    assert report.duplicates_merged == 3
    assert len(papers[0].sources) == 3


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.jsonl", b"  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin1.txt", "Title\n".encode() + "Caf\xe9 abstract".encode("latin-1"), "invalid UTF-8"),
        ("broken.jsonl", (json.dumps({"title": "A", "abstract": "x"}) + "\n{\"title\": \n").encode(), ":2: not JSON"),
        ("notlist.json", b"[1, 2]", "expected an object"),
        ("scalar.json", b"42", "not a paper listing"),
        ("untitled.jsonl", b'{"abstract": "no title here"}\n', "record has no title"),
        ("orphan.txt", ("Lonely Title\n" + ABSTRACT_A + "\nAnother Title Without Abstract\n").encode(), "title without an abstract"),
    ],
)
def test_bad_input_is_an_error_naming_file_and_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_inputs([path])
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_skip_bad_goes_on_and_reports(tmp_path):
    (tmp_path / "good.txt").write_text(COMPACT_PAGE, encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"title": "ok", "abstract": "x"}\nnot json\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    report = ReadReport()
    papers = read_inputs([tmp_path], skip_bad=True, report=report)
    assert len(papers) == 3
    assert sorted(Path(e.path).name for e in report.skipped) == ["bad.jsonl", "empty.txt"]
    assert any(e.line == 2 for e in report.skipped)


def test_utf16_with_bom_and_crlf_are_read(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(COMPACT_PAGE.replace("\n", "\r\n").encode("utf-16"))
    assert len(read_inputs([path])) == 2


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not present")
def test_real_corpus_reads_every_page_without_error():
    report = ReadReport()
    papers = read_inputs([CORPUS], report=report)
    assert report.files_read == 3 and not report.skipped
    assert len(papers) > 300
    assert report.duplicates_merged > 0
    assert all(p.abstract and p.title and not p.title.startswith("Subscribe") for p in papers)
