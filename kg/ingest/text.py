"""Decoding input files: UTF-8 (with or without BOM), UTF-16 with BOM; binary refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from kg.ingest.errors import InputError

_SNIFF_BYTES = 8192

#: The longest title and abstract the readers accept, in characters. An abstract is a paragraph
#: (arXiv caps them at 1,920 characters); a longer field is a broken file, and extraction time
#: grows faster than the text (spaCy refuses a text over 1,000,000 characters outright).
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 100_000


def read_text(path: Path) -> str:
    """The decoded text of ``path``, with line endings normalised to "\\n".

    Raises InputError naming the file (and the line of a bad byte) for
    empty, binary or undecodable files.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), None, f"cannot read: {err.strerror or err}") from err
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(str(path), None, f"invalid UTF-16: {err.reason}") from err
    else:
        if b"\x00" in raw[:_SNIFF_BYTES]:
            raise InputError(str(path), None, "binary file (NUL bytes), not a paper listing")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            raise InputError(
                str(path), line, f"invalid UTF-8 at byte {err.start}: {err.reason}"
            ) from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(str(path), None, "empty file")
    return text


def length_problem(title: str, abstract: str) -> str | None:
    """What is wrong with a title or abstract too long to be one, or None.

    >>> length_problem("A Title", "x" * 100_001)
    'abstract of 100,001 characters is over the limit of 100,000'
    """
    for name, text, limit in (("title", title, MAX_TITLE_CHARS), ("abstract", abstract, MAX_ABSTRACT_CHARS)):
        if len(text) > limit:
            return f"{name} of {len(text):,} characters is over the limit of {limit:,}"
    return None


_LATEX_ESCAPES = (
    ("\\%", "%"), ("\\&", "&"), ("\\_", "_"), ("\\#", "#"), ("\\times", "×"), ("\\sim", "~"),
    ("\\leq", "≤"), ("\\geq", "≥"), ("\\approx", "≈"), ("\\pm", "±"), ("^\\circ", "°"), ("\\circ", "°"),
)
# Font commands around words: "\\textbf{sets}" → "sets".
_LATEX_FONT = re.compile(r"\\(?:textbf|textit|texttt|emph|text|mathbf|mathrm|mathit|mathcal|mathbb)\{([^{}\\]*)\}")
# Inline math left with no command in it: "$31×$" → "31×" ("$5 and $10" is money: a space inside the dollars).
_INLINE_MATH = re.compile(r"\$([^$\\\s](?:[^$\\]{0,38}[^$\\\s])?)\$")


_LATEX_ACCENT = re.compile(r"""\\(['`^"~])\{?([A-Za-z])\}?""")
_ACCENT_MARKS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303"}


_LOST_TIMES = re.compile(r"(\d)times(?:\b|(?=\d))\s*(\d?)")


def _accented(match: "re.Match[str]") -> str:
    return unicodedata.normalize("NFC", match.group(2) + _ACCENT_MARKS[match.group(1)])


def clean_abstract(text: str) -> str:
    """An abstract with LaTeX escapes that listings leak ("75.3\\\\%") and the "URL{URL}"
    duplicates of daily-papers pages undone.

    >>> clean_abstract("reaches 75.3\\\\% at 3\\\\times fewer steps; see https://x.io/a{https://x.io/a}")
    'reaches 75.3% at 3× fewer steps; see https://x.io/a'
    >>> clean_abstract("on ImageNet256times256 and 300times 300, sometimes 2 times faster")
    'on ImageNet256×256 and 300×300, sometimes 2 times faster'
    >>> clean_abstract("being $3.6 \\\\times$ faster on \\\\textbf{all} $n \\\\geq 5$ views, for $5 and $10")
    'being 3.6 × faster on all n ≥ 5 views, for $5 and $10'
    """
    from kg.ingest.code_links import drop_braced_duplicates

    for escaped, plain in _LATEX_ESCAPES:
        if escaped in text:
            text = text.replace(escaped, plain)
    if "\\" in text:
        text = _LATEX_ACCENT.sub(_accented, text)  # "Fr\\'echet" → "Fréchet"
        text = _LATEX_FONT.sub(r"\1", text)
    if "$" in text:
        text = _INLINE_MATH.sub(r"\1", text)
    if "times" in text:
        text = _LOST_TIMES.sub(lambda m: f"{m.group(1)}×{m.group(2) or ' '}", text)  # "300times 300": a "\\times" whose backslash was lost
    return drop_braced_duplicates(text)
