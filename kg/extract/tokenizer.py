"""A tokenizer that keeps ML names whole: CIFAR-10, ResNet-50, ViT-L/14, Swin-B, 3.55%.

spaCy's English rules split "ViT-L/14" at the hyphen and "3.55%" before the
percent sign. Names with a digit-led part ("CIFAR-10", "ImageNet-1K",
"DINOv2-ViT-L/14"), a size code ("Swin-B", "ConvNeXt-T", "ElasticViT-S1")
or a percentage stay one token. The rule depends on digits and capital size
codes, not on case elsewhere, so a lower-cased vocabulary pattern tokenizes
like its text: "multi-scale" and "Multi-Scale" are both split.
"""

from __future__ import annotations

import re

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

_PART = r"[A-Za-z0-9]+"
# A name with a part after a separator that starts with a digit: CIFAR-10, ViT-L/14, Text-to-3D.
_DIGIT_PART_NAME = re.compile(rf"^[A-Za-z]{_PART[:-1]}*(?:[-/.]{_PART})*[-/.]\d[A-Za-z0-9]*(?:[-/.]{_PART})*$")
# A name ending in a size code: Swin-B, ConvNeXt-T, DeiT-S, ElasticViT-S1, ViT-Ti.
_SIZE_CODE_NAME = re.compile(rf"^[A-Za-z][A-Za-z0-9]*(?:-{_PART})*-(?:[A-Z]|Ti|XL|XXL|[A-Z]\d{{1,2}})$")
_PERCENT = re.compile(r"^[+\-±]?\d+(?:\.\d+)?%$")  # one percentage, not a range
#: Whitespace-separated chunks whose split the tokenizer remembers (spaCy's default: 10,000).
TOKENIZER_CACHE_SIZE = 1_000_000
# Words glued to a name that are not part of it: "ResNet-50-based", "CIFAR-10-like".
_GLUED_SUFFIXES = {
    "based", "like", "style", "free", "level", "scale", "wise", "aware", "guided",
    "driven", "specific", "only", "pretrained", "trained", "sized", "size", "bit",
}


# One compiled pattern, handed to spaCy as ``token_match``: a C-level call per
# word instead of a Python function (the tokenizer runs on every word).
_KEEP_WHOLE = re.compile(
    r"^(?:" + _PERCENT.pattern[1:-1] + r"|"
    + r"(?!.*[-/.](?:" + "|".join(sorted(_GLUED_SUFFIXES)) + r")$)"
    + r"(?:" + _DIGIT_PART_NAME.pattern[1:-1] + r"|" + _SIZE_CODE_NAME.pattern[1:-1] + r"))$",
    re.IGNORECASE if False else 0,
)


_UNIT_AFTER_NUMBER = re.compile(r"^\(\?<=\[0-9\]\)(?=\(\?:km\|)")
_NOT_AFTER_NAME = r"(?<=[0-9])(?<![A-Za-z]-[0-9])(?<![A-Za-z]-[0-9]{2})(?<![A-Za-z]-[0-9]{3})"


def keeps_whole(text: str) -> bool:
    """True when ``text`` is an ML name or a percentage the tokenizer must not split.

    >>> [keeps_whole(t) for t in ["CIFAR-10", "ViT-L/14", "Swin-B", "3.55%", "DINOv2-ViT-L/14"]]
    [True, True, True, True, True]
    >>> [keeps_whole(t) for t in ["state-of-the-art", "ResNet-50-based", "multi-scale"]]
    [False, False, False]
    """
    return _KEEP_WHOLE.match(text) is not None


def customize_tokenizer(nlp: Language) -> Language:
    """Make ``nlp``'s tokenizer keep ML names whole (see module docstring)."""
    base = nlp.tokenizer
    if base.token_match is not None:
        raise ValueError("customize_tokenizer expects a tokenizer without a token_match of its own")
    # English rules keep a full stop after a capital ("U.S."), so "than CLIP." and
    # "on ImageNet-1K." would end in a glued "."; real abbreviations are special cases
    # and are matched before suffixes.
    # Ranges "1%-2%" and "40%-60%" split into their two percentages.
    # and "Relationships(NPR)" splits before its bracket.
    infixes = list(nlp.Defaults.infixes) + [r"(?<=%)[-–](?=\d)", r"(?<=[a-z])\((?=[A-Z])"]
    # A unit after a number is split off ("100K" → "100", "K") but not the size of a name, which
    # spaCy would split when a bracket goes first: "(ImageNet-1K", "(JFT-300M".
    suffixes = [_UNIT_AFTER_NUMBER.sub(_NOT_AFTER_NAME, pattern, count=1) for pattern in nlp.Defaults.suffixes]
    suffixes += [r"(?:(?<=[A-Za-z0-9][A-Z])|(?<=-[A-Z]))\.$"]
    # A new tokenizer with the same rules rather than three property changes: each change
    # reloads all ~1,300 special cases (0.06 s each at start-up).
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=base.rules,
        prefix_search=base.prefix_search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=_KEEP_WHOLE.match,
        url_match=base.url_match,
        faster_heuristics=base.faster_heuristics,
        # spaCy remembers how it split each whitespace-separated chunk, but only the first
        # 10,000 chunks: past that every new word goes through the prefix, suffix, infix and
        # token_match regexes on every occurrence, and a corpus has far more distinct words.
        # The cache only memoizes, so the tokens are the same; an entry costs some 60 bytes.
        max_cache_size=TOKENIZER_CACHE_SIZE,
    )
    return nlp


def pattern_tokenizer(nlp: Language) -> Tokenizer:
    """A second tokenizer with ``nlp``'s rules and vocab, for tokenizing match patterns.

    Tokenizing the vocabulary's ~16,000 short pattern strings with the
    pipeline's own tokenizer leaves it about three times slower on the text
    that follows (measured with spaCy 3.8: 2,500 → 800 abstracts/s); a side
    tokenizer keeps the pipeline's tokenizer state untouched. Patterns come
    out the same, because the rules are the same.
    """
    main = nlp.tokenizer
    return Tokenizer(
        nlp.vocab,
        rules=main.rules,
        prefix_search=main.prefix_search,
        suffix_search=main.suffix_search,
        infix_finditer=main.infix_finditer,
        token_match=main.token_match,
        url_match=main.url_match,
    )


# Joins pattern strings for one tokenizer call: spaCy splits text at spaces and
# tokenizes each chunk on its own, and "⸻" (three-em dash) is in no special case.
_PATTERN_SEPARATOR = " \u2e3b "


def token_attributes(tokenizer: Tokenizer, texts: list[str], attr: int) -> list[tuple[int, ...]]:
    """The ``attr`` value (ORTH, LOWER, …) of each token of each text, as ``tokenizer(text)``
    would give them, from one call of the tokenizer on the texts joined.

    ``PhraseMatcher.add`` takes such tuples as patterns, as it takes Docs. One
    call instead of one per text saves a Doc and a pass of the special-case
    matcher per text (about two thirds of the tokenizing of the vocabulary's
    patterns at start-up). The texts are joined by " ⸻ ": no chunk crosses
    a space, and no special case (which may span chunks) can span the
    separator when none holds it. A text with whitespace at an end (whose last
    chunk would take in the separator's space) or a tokenizer with a special
    case holding "⸻" falls back to one call per text.

    >>> import spacy
    >>> nlp = customize_tokenizer(spacy.blank("en"))
    >>> from spacy.attrs import ORTH
    >>> [[nlp.vocab.strings[o] for o in t] for t in token_attributes(nlp.tokenizer, ["ViT-L/14", "e.g. U.S.", ""], ORTH)]
    [['ViT-L/14'], ['e.g.', 'U.S.'], []]
    """
    separator_char = _PATTERN_SEPARATOR.strip()
    if any(separator_char in rule for rule in tokenizer.rules):
        bulk = []
    else:
        bulk = [i for i, text in enumerate(texts) if text and text == text.strip()]
    found: list[tuple[int, ...] | None] = [None] * len(texts)
    if bulk:
        doc = tokenizer(_PATTERN_SEPARATOR.join(texts[i] for i in bulk))
        columns = doc.to_array([IDX, attr])
        starts, values = columns[:, 0].tolist(), columns[:, 1].tolist()
        token = offset = 0
        for i in bulk:
            end = offset + len(texts[i])
            first = token
            while token < len(starts) and starts[token] < end:
                token += 1
            found[i] = tuple(values[first:token])
            offset = end + len(_PATTERN_SEPARATOR)
            while token < len(starts) and starts[token] < offset:
                token += 1  # the separator
    for i, text in enumerate(texts):
        if found[i] is None:
            found[i] = tuple(tokenizer(text).to_array([attr]).tolist())
    return found  # type: ignore[return-value]
