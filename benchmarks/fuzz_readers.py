"""Fuzz the paper-listing readers (``kg.ingest``) with atheris, for a bounded time.

Not part of the test suite or CI: run it by hand after changing a reader,
and keep each finding as a test in ``tests/hardening/test_fuzz_regressions.py``.
atheris is not a dependency of kg; install it into the venv first::

    pip install atheris
    python benchmarks/fuzz_readers.py -max_total_time=300            # five minutes
    python benchmarks/fuzz_readers.py -max_total_time=60 CORPUS_DIR  # keep what it learns in CORPUS_DIR

Any libFuzzer flag works (``-max_len=``, ``-timeout=``, ``-jobs=``); unless
given, ``-max_len=131072`` (so slow patterns on long lines show up) and
``-timeout=10`` (an input that takes longer is a finding) are added. A
missing or empty corpus folder is seeded with a page, JSON Lines, a JSON
array and repeated fragments. A crash leaves ``crash-<sha1>`` (or ``timeout-…``) in the
current folder; ``python benchmarks/fuzz_readers.py crash-<sha1>`` replays it.

Each input is one file read by ``read_inputs``. The first byte picks how
the rest is used: raw file bytes, a head, a short fragment repeated into
up to 256 kB and a tail (deep nesting and long lines, cheaply), or fields a
``FuzzedDataProvider`` draws for a page, a JSON Lines record or a JSON
array, so the fuzzer also reaches past the format sniffing (one field is
sometimes a fragment repeated up to 20,000 times: long lines, cheaply). What must hold:

- without ``--skip-bad`` the readers return papers or raise ``InputError``,
  nothing else;
- with ``--skip-bad`` they never raise, and give the same papers whenever
  the strict read succeeded;
- every paper has a title, fits the length limits, and its text can be
  written as UTF-8.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from kg.ingest import InputError, ReadReport, read_inputs
    from kg.ingest.text import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS

BOILERPLATE = "Get trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n\n"
ABSTRACT = (
    "We propose FooNet, a convolutional backbone for image classification. FooNet reaches 81.2% top-1 "
    "accuracy on ImageNet-1K with fewer FLOPs than ResNet-50; code at https://github.com/a/b{https://github.com/a/b}."
)
SEEDS = {
    "page.txt": BOILERPLATE + f"SubscribeFooNet: A Backbone\n\n{ABSTRACT}\n\nQuick Flow\n\n{ABSTRACT}\n",
    "records.jsonl": json.dumps({"title": "FooNet", "abstract": ABSTRACT, "authors": ["A. B"], "id": 3}) + "\n"
    + json.dumps({"title": "Quick Flow", "summary": ABSTRACT, "code": "https://x.io/q"}) + "\n",
    "array.json": json.dumps({"papers": [{"title": "FooNet", "abstract": ABSTRACT, "date": "2024-03-01"}]}, indent=1),
}
#: Seeds of the repeating mode (first byte 96–127): count (2 bytes, little-endian), head, NUL, fragment, NUL, tail.
REPEATED_SEEDS = {
    "nested": b"`" + (3000).to_bytes(2, "little") + b"\x00[\x00",
    "nested-line": b"`" + (3000).to_bytes(2, "little") + b'{"title": "A"}\n\x00{"a":\x00\n',
    "glued-links": b"`" + (16000).to_bytes(2, "little") + b"A Title\n\x00https://\x00{https://a}\n",
    "long-line": b"`" + (50000).to_bytes(2, "little") + b"A Title\n\x00word \x00\n",
}

#: Tokens the fuzzer splices in (a libFuzzer dictionary; ``-dict=`` replaces it).
DICTIONARY = [
    b"https://", b"http://", b"{https://", b"}", b"[", b"]", b"{", b'{"title": "', b'", "abstract": "',
    b'"papers": [', b'"authors": ', b'"id": ', b"\\ud800", b"\\udc00", b"\\u0000", b"NaN", b"Infinity", b"1e999",
    b"\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xed\xa0\x80", b"Subscribe",
    b"Get trending papers in your email inbox!", b"Mar 13", b"new", b"byAK and the research community",
    b"\\%", b"\\'e", b'\\"', b"\\times", b". A", "\u2028".encode(), "\x85".encode(),
]


def dictionary_line(token: bytes) -> str:
    """One libFuzzer dictionary entry: the token in quotes, with \\, \" and \\xHH escapes."""
    return '"' + "".join(chr(b) if 32 <= b < 127 and b not in b'\\"' else f"\\x{b:02x}" for b in token) + '"\n'


#: The most a repeated fragment grows to: past the abstract limit, and enough for a slow pattern to time out.
REPEATED_BYTES = 256 * 1024

_FOLDER = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
_INPUT = _FOLDER / "input.txt"


def file_bytes(data: bytes) -> bytes:
    """The file to read: ``data`` itself, a fragment of it repeated, or a listing built from fields drawn from it."""
    if not data or data[0] < 96:
        return data[1:]
    if data[0] < 128:  # head, a fragment repeated into up to 256 kB, tail: deep nesting, long lines
        head, _, rest = data[3:].partition(b"\x00")
        fragment, _, tail = rest.partition(b"\x00")
        fragment = fragment[:64]
        count = min(int.from_bytes(data[1:3], "little"), REPEATED_BYTES // max(len(fragment), 1))
        return head + fragment * count + tail
    provider = atheris.FuzzedDataProvider(data[1:])
    mode = provider.ConsumeIntInRange(0, 2)
    fields = [provider.ConsumeUnicode(provider.ConsumeIntInRange(0, 400)) for _ in range(4)]
    if provider.ConsumeBool():  # long lines cheaply: a short fragment repeated (slow patterns show up here)
        fields[1] = fields[1][:40] * provider.ConsumeIntInRange(0, 20_000)
    if mode == 0:  # a page: boilerplate, then lines
        return (BOILERPLATE + "\n".join([fields[0], fields[1] + ABSTRACT, fields[2], fields[3]])).encode("utf-8", "surrogatepass")
    record = {"title": fields[0], "abstract": fields[1], provider.ConsumeUnicode(8): fields[2], "authors": fields[3]}
    if mode == 1:
        return (json.dumps(record, ensure_ascii=provider.ConsumeBool()) + "\n" + provider.ConsumeUnicode(200)).encode("utf-8", "surrogatepass")
    return json.dumps([record, provider.ConsumeUnicode(50)]).encode("utf-8", "surrogatepass")


def check_input(data: bytes) -> None:
    """Read one fuzzed file strictly and with --skip-bad; raise AssertionError when a rule above breaks."""
    _INPUT.write_bytes(file_bytes(data))
    try:
        strict = read_inputs([_INPUT])
    except InputError as error:
        assert str(_INPUT) in str(error), str(error)
        strict = None
    report = ReadReport()
    lenient = read_inputs([_INPUT], skip_bad=True, report=report)
    if strict is not None:
        assert lenient == strict and not report.skipped
    for paper in lenient:
        assert paper.title and len(paper.title) <= MAX_TITLE_CHARS and len(paper.abstract) <= MAX_ABSTRACT_CHARS
        for text in (paper.id, paper.title, paper.abstract, paper.url or "", paper.date or "", *paper.authors, *paper.code_urls):
            text.encode("utf-8")


def main() -> None:
    argv = list(sys.argv)
    flags = [a for a in argv[1:] if a.startswith("-")]
    if not any(f.startswith("-max_len=") for f in flags):
        argv.append("-max_len=131072")
    if not any(f.startswith("-timeout=") for f in flags):
        argv.append("-timeout=10")
    if not any(f.startswith("-dict=") for f in flags):
        dictionary = _FOLDER / "listing.dict"
        dictionary.write_text("".join(map(dictionary_line, DICTIONARY)), encoding="ascii")
        argv.append(f"-dict={dictionary}")
    folders = [Path(a) for a in argv[1:] if not a.startswith("-")]
    if not folders:
        folders = [_FOLDER / "seeds"]
        folders[0].mkdir()
        argv.append(str(folders[0]))
    if folders[0].is_dir() and not any(folders[0].iterdir()):  # a new corpus folder starts from the seeds
        for name, text in SEEDS.items():
            (folders[0] / name).write_bytes(b"\x00" + text.encode("utf-8"))
        for name, data in REPEATED_SEEDS.items():
            (folders[0] / name).write_bytes(data)
    atheris.Setup(argv, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
