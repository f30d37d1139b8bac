"""What ``benchmarks/fuzz_readers.py`` found, kept as tests: each input as the file the fuzzer wrote.

The fuzzer was run against the readers as they were before the fixes of
this folder's hardening work; each finding below stopped it (a crash, or a
read over its 10 s limit). The artifact names are libFuzzer's (sha1 of the
fuzzer's input, which ``file_bytes`` expands into the file shown here).
"""

from __future__ import annotations

import re
import time

import pytest

from kg.ingest import InputError, ReadReport, read_inputs
from kg.ingest.code_links import drop_braced_duplicates

#: A reader must get through a file of this size in well under this (the quadratic pattern took ~15 s).
SECONDS = 2.0


def read(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_crash_94348f93_lone_surrogate_escape_in_a_json_array_title(tmp_path):
    # UnicodeEncodeError: 'utf-8' codec can't encode character '\udf9a': the paper was read, then no output could hold it.
    path = read(tmp_path, "input.txt", b'[{"title": "\\u01f4\\u8c00\\udf9a\\u96b9", "abstract": "", "": "", "authors": ""}, ""]')
    with pytest.raises(InputError, match=r"input.txt:1: paper 0: field 'title' has a lone surrogate '\\udf9a'"):
        read_inputs([path])
    report = ReadReport()
    assert read_inputs([path], skip_bad=True, report=report) == []
    assert [e.message.split(":")[0] for e in report.skipped] == ["paper 0", "paper 1"]


@pytest.mark.parametrize("content, line", [(b"[" * 3000, None), (b'{"title": "A", "abstract": "x"}\n' + b'{"a":' * 3000 + b"\n", 2)],
                         ids=["document", "json-lines"])
def test_crash_e576cd8c_json_nested_three_thousand_deep(tmp_path, content, line):
    # RecursionError: maximum recursion depth exceeded while decoding a JSON array from a unicode string.
    path = read(tmp_path, "input.txt", content)
    with pytest.raises(InputError, match="not JSON: nested too deeply") as caught:
        read_inputs([path])
    assert caught.value.line == line


def test_timeout_4feda9b0_glued_links_are_refused_quickly(tmp_path):
    # 128 kB of "https://" after a title: over ten seconds in the braced-duplicate pattern (quadratic).
    path = read(tmp_path, "input.txt", b"A Title\n" + b"https://" * 16_000 + b"{https;//a}\n")
    started = time.perf_counter()
    with pytest.raises(InputError, match="abstract of 128,011 characters is over the limit"):
        read_inputs([path])
    assert time.perf_counter() - started < SECONDS


@pytest.mark.parametrize("fragment, tail", [("https://", ""), ("https://a", "{https;//a}"), ("https://a{", ""),
                                            ("http://x{https://x", "")])
def test_timeout_4feda9b0_glued_links_under_the_length_limit_read_in_linear_time(tmp_path, fragment, tail):
    # A run of links with no duplicate in braces after it: tried from each "http", each try scanning to the end.
    text = fragment * (96_000 // len(fragment))
    path = read(tmp_path, "input.txt", f"A Title\n{text}{tail}\n".encode())
    started = time.perf_counter()
    (paper,) = read_inputs([path])
    assert time.perf_counter() - started < SECONDS
    assert paper.title == "A Title" and paper.abstract.startswith(fragment)


def test_timeout_05f86543_a_paper_repeated_four_thousand_times_merges_in_linear_time(tmp_path):
    # Found after the fixes above: each repeat re-sorted the paper's growing list of sources (over 10 s).
    # The file reads as a page: lines with two ". X" read as abstracts, the lines before them as titles.
    fragment = b'{"title": "FooNet", "id": 3}\n{"0r. Foo.com ["A. B"], "id": 3}\n{"'
    path = read(tmp_path, "input.txt", b'\r"p, "absiiiiiiiiiii' + fragment * 4096 + b"Getb}ox!\n\n\nSubscribe\n\n b")
    report = ReadReport()
    started = time.perf_counter()
    first, repeated = read_inputs([path], skip_bad=True, report=report)
    assert time.perf_counter() - started < SECONDS
    assert repeated.title == '{"{"title": "FooNet", "id": 3}' and len(repeated.sources) == 4095
    assert [source.line for source in repeated.sources[:3]] == [4, 6, 8] and report.duplicates_merged == 4094
    assert [error.line for error in report.skipped] == [8194, 8199]


#: The pattern before the fix: quadratic, but its results are the reference.
QUADRATIC_BRACED_DUPLICATE = re.compile(r"(https?://[^\s{}]+)\{\s*(https?://[^\s{}]+)\s*\}")


@pytest.mark.parametrize("text", [
    "Code:https://x.io/a{ https://x.io/a } and (https://y.io{https://y.io}).",
    "https://{https://a} https://b{https://b}", "hhttps://x{https://x}", "a https://x{https://y}}{https://z}",
    "http://https://x{https://x}", "https://x{\nhttps://x\n}", "{https://x}{https://x}", "https://x{https://x",
])
def test_braced_duplicates_collapse_as_before_the_linear_pattern(text):
    assert drop_braced_duplicates(text) == QUADRATIC_BRACED_DUPLICATE.sub(lambda m: m.group(1), text)
