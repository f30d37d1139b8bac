"""Code links in abstracts: found, cleaned, and their page-made duplicates removed."""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
# The daily-papers pages repeat a link in braces right after it:
# "https://github.com/a/b{https://github.com/a/b}". A match takes the whole
# run of non-space characters before the "{" (group 1, kept) and commits to
# the run's first "http(s)://" (atomic group, possessive runs), so it is
# tried once per run: tried from every "http" of a long run, each attempt
# scanning to the run's end, it took seconds on "https://https://…" text.
_BRACED_DUPLICATE = re.compile(r"(?<![^\s{}])((?>[^\s{}]*?https?://)[^\s{}]++)\{\s*(https?://[^\s{}]++)\s*\}")
_TRAILING = ".,;:!?)]}'\""


def clean_url(url: str) -> str:
    """``url`` without trailing sentence punctuation.

    >>> clean_url("https://github.com/mlvlab/CAF).")
    'https://github.com/mlvlab/CAF'
    """
    url = url.rstrip(_TRAILING)
    # A closing parenthesis that belongs to the URL keeps its opening one.
    return url


def drop_braced_duplicates(text: str) -> str:
    """``text`` with "URL{URL}" duplicates reduced to one URL.

    >>> drop_braced_duplicates("Code: https://x.io/a{https://x.io/a}.")
    'Code: https://x.io/a.'
    """
    return _BRACED_DUPLICATE.sub(lambda m: m.group(1), text)


def find_code_urls(text: str) -> tuple[str, ...]:
    """Distinct cleaned URLs in ``text``, in order of first appearance.

    >>> find_code_urls("At https://github.com/a/b{https://github.com/a/b}. See https://github.com/a/b")
    ('https://github.com/a/b',)
    """
    seen: dict[str, None] = {}
    for match in _URL.finditer(drop_braced_duplicates(text)):
        url = clean_url(match.group(0))
        if len(url) > len("https://"):
            seen.setdefault(url, None)
    return tuple(seen)
