"""Compound names as a spaCy component: "one-step image generation", "autoregressive pretraining".

Papers name specific tasks and methods by putting modifiers before a known
head: "biomedical image classification", "Gaussian pruning". A Task or
Method span from the vocabulary grows leftwards over up to two modifier
words that are not function words or evaluative adjectives ("efficient",
"novel", "standard" describe, they do not name). The compound replaces the
head span; the head still matches wherever it stands alone.
"""

from __future__ import annotations

import re
from itertools import compress

from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.tokens import Doc, Span, Token

from kg.extract.doc_view import doc_view
from kg.extract.spans import SPAN_KEY, ensure_extensions, set_spans, shared_spans, span_bounds

_MAX_MODIFIERS = 2
DESCRIBING_WORDS = set(
    """
    efficient effective accurate robust fast faster better improved high-quality high low strong weak new novel
    many several multiple both other such same whole entire full final main key important real practical
    successful extensive comprehensive competitive superior remarkable impressive significant large small
    vanilla standard naive classic classical various different common existing prior previous traditional
    conventional popular typical recent modern current general generic challenging difficult complex simple
    downstream upstream further additional its their our this these those that which each every any most more
    less much few some all state-of-the-art sota good great excellent powerful scalable flexible generalizable
    accessible reliable stable unstable slow expensive costly cheap lightweight heavy hard easy open closed
    proposed resulting underlying corresponding respective given specific particular certain individual
    overall extreme massive huge tiny limited broad wide deep shallow higher lower faster slower stronger
    widely commonly well-known famous versatile unified universal traditional standard-setting crucial critical
    fundamental essential core basic naïve direct indirect end-to-end plug-and-play off-the-shelf
    original correct public precise strategic proper appropriate optimal suboptimal desired target
    traditional typical usual ordinary regular normal free alternative future automated
    smaller larger bigger longer shorter richer finer coarser
    """.split()
)
_NOT_MODIFIERS = {"-", "'s", "’s"}
_VERBS = set()
for _verb in """use train present find perform improve integrate adopt leverage enable achieve propose introduce apply
    study show demonstrate explore consider address tackle solve boost outperform extend evaluate compare combine
    design develop build learn require support facilitate allow provide call name term dub revolutionize deliver
    employ exploit adapt incorporate include reduce increase enhance surpass match obtain reach attain yield
    generate produce perform conduct investigate analyze analyse examine benchmark release offer make take
    bring lead help need focus rely depend remain become""".split():
    _VERBS.update({_verb, _verb + "s", _verb + "es", _verb + "d", _verb + "ed", _verb.rstrip("e") + "ed"})
# Method heads that name a procedure a modifier can specialise ("Gaussian pruning");
# model classes ("diffusion models") take adjectives that describe, not name.
_PROCEDURE_HEADS = {
    "distillation", "pretraining", "pre-training", "training", "learning", "pruning", "dropout", "augmentation",
    "tokenization", "quantization", "sampling", "tuning", "fine-tuning", "finetuning", "search", "matching",
    "regularization", "normalization", "scheduling", "transformation", "transformations", "packing",
    "optimization", "merging", "labeling", "labelling", "encoding", "modeling", "modelling",
    "convolution", "convolutions", "attention", "scan",
}


_MODIFIER_WORDS: dict[str, bool] = {}


def _is_modifier_word(doc: Doc, text: str) -> bool:
    """``is_modifier`` for a word, cached by its text: it depends on the word alone, and the
    compounds look at the same few thousand words over and over (no Token built per look)."""
    known = _MODIFIER_WORDS.get(text)
    if known is None:
        if len(_MODIFIER_WORDS) > 200_000:
            _MODIFIER_WORDS.clear()
        known = _MODIFIER_WORDS[text] = is_modifier(doc.vocab[text])
    return known


def _is_number_word(doc: Doc, text: str) -> bool:
    return text.lower() in ("one", "few", "two") or doc.vocab[text].like_num


def is_modifier(token: Token | Lexeme) -> bool:
    """True when ``token`` can name part of a compound task or method ("one-step", "biomedical")."""
    text = token.orth_
    if token.is_punct or token.is_space or token.like_num or token.like_url or text in _NOT_MODIFIERS:
        return False
    lower = token.lower_
    if token.is_stop or lower in DESCRIBING_WORDS or lower in _VERBS:
        return False
    if not any(c.isalpha() for c in text) or lower.endswith(("ly", "ing", "est")):
        return False
    # A name ("ImageNet1k classification", "ADE-20k segmentation") is an entity of its own.
    if any(c.isdigit() for c in text) or any(c.isupper() for c in text[1:]):
        return False
    # "uses", "improves": a third-person verb, not a modifier ("class", "cross" are fine).
    return not (lower.endswith("s") and not lower.endswith(("ss", "us", "is")))


def _left_modifiers(doc: Doc, start: int, floor: int, occupied: set[int]) -> int:
    """The start of the compound: up to two modifier words (a hyphenated one counts once) before ``start``."""
    texts = doc_view(doc).texts
    new_start = start
    words = 0
    i = start - 1
    while i >= floor and words < _MAX_MODIFIERS:
        # A hyphenated modifier: "one - step", "long - tail".
        if texts[i] == "-" or i in occupied:
            break
        if i - 2 >= floor and texts[i - 1] == "-":
            if not (_is_modifier_word(doc, texts[i - 2]) or _is_number_word(doc, texts[i - 2])):
                break
            if not _is_modifier_word(doc, texts[i]):
                break
            word_start = i - 2
        elif _is_modifier_word(doc, texts[i]):
            word_start = i
        else:
            break
        if any(j in occupied for j in range(word_start, i + 1)):
            break
        new_start = word_start
        words += 1
        i = word_start - 1
    if new_start > floor and texts[new_start - 1] == "-":
        return start  # the modifiers stop inside a hyphenated word ("One-step-ahead"): no clean name
    return new_start


# Procedure nouns that, with a naming modifier, make a method's name even when the
# bare noun is not in the vocabulary: "distribution matching", "sequence packing".
_PROCEDURE_NOUNS = {
    "distillation", "matching", "packing", "tokenization", "pruning", "fusion", "merging", "scheduling",
    "optimization", "regularization", "normalization", "quantization", "augmentation", "pooling", "splitting",
    "sampling", "labeling", "labelling", "initialization", "scaling", "masking", "filtering", "mixing",
    # Operations a network performs, named by what they attend to or scan over: "multi-axis
    # attention", "local convolution", "bi-directional scan", "relative move embedding".
    "attention", "convolution", "scan", "processing", "embedding",
}


def _procedure_phrases(doc: Doc, occupied: set[int]) -> list[Span]:
    """Lower-case "modifier + procedure noun" phrases no other span covers."""
    found = []
    view = doc_view(doc)
    lowers = view.lowers
    # Procedure nouns picked in C: a test per word in Python took most of the time.
    for i in compress(range(len(lowers)), map(_PROCEDURE_NOUNS.__contains__, lowers)):
        if i in occupied or view.texts[i] != lowers[i]:
            continue
        token = doc[i]
        start = _left_modifiers(doc, i, view.sentence_at(i).start, occupied)
        if start == token.i or any(not (t.is_lower or t.text == "-") for t in doc[start : token.i]):
            continue
        span = Span(doc, start, token.i + 1, label="Method")
        span._.kg_cue = "procedure"
        span._.kg_confidence = 0.5
        found.append(span)
        occupied.update(range(start, token.i + 1))
    return found


def _elided_heads(doc: Doc, spans: list[Span], lookup) -> list[Span]:
    """Names whose head is shared with the next conjunct: "image and video generation"
    names image generation too. Kept only when the rebuilt name is in the vocabulary."""
    found = []
    for span in spans:
        if span.label_ not in ("Task", "Method") or len(span) < 2:
            continue
        i = span.start
        if i < 2 or doc[i - 1].lower_ not in ("and", "or", "/", ","):
            continue
        modifier = doc[i - 2]
        if not (modifier.is_alpha or modifier.like_num or "-" in modifier.text) or modifier.is_stop:
            continue
        rebuilt = f"{modifier.text} {span[1:].text}"
        entry = lookup(rebuilt)
        if entry is None or entry.type != span.label_:
            continue
        elided = Span(doc, i - 2, span.end, label=entry.type, kb_id=entry.name)
        elided._.kg_cue = "ellipsis"
        elided._.kg_confidence = 0.8
        found.append(elided)
    return found


_RESOLUTION = re.compile(r"^\d{2,4}(?:x|×)\d{2,4}$")


_SUBSET_SIZE = re.compile(r"^\d{1,3}[kK]$")


def _dataset_resolutions(doc: Doc, spans: list[Span], lookup) -> list[Span]:
    """A dataset at a resolution is its own dataset: "ImageNet 224 x 224", "LSUN 256×256"."""
    found = []
    texts = doc_view(doc).texts
    for span in spans:
        if span.label_ != "Dataset":
            continue
        end = span.end
        if end < len(texts) and _RESOLUTION.match(texts[end]):
            end += 1
        elif end + 2 < len(texts) and texts[end].isdigit() and texts[end + 1] in ("x", "×") and texts[end + 2].isdigit():
            end += 3
        elif end + 1 < len(texts) and texts[end] == "-" and _SUBSET_SIZE.match(texts[end + 1]) and doc[end].idx == doc[end - 1].idx + len(texts[end - 1]):
            end += 2  # an evaluation subset by its size: "MS COCO 2017-5k", "COCO-30k"
        else:
            continue
        written = doc[span.start : end].text
        entry = lookup(written) if lookup is not None else None
        if entry is not None and entry.type != "Dataset":
            continue
        grown = Span(doc, span.start, end, label="Dataset", kb_id=entry.name if entry is not None else "")
        grown._.kg_cue = "resolution"
        grown._.kg_confidence = 0.8
        found.append(grown)
    return found


def _hyphenated_modifier(doc: Doc, start: int, occupied: set[int]) -> int:
    """One hyphenated naming modifier before a model class: "continuous-time consistency
    models", "score-based generative models" (plain adjectives describe: "powerful diffusion models")."""
    if start < 3 or doc[start - 2].text != "-" or any(i in occupied for i in range(start - 3, start)):
        return start
    first, second = doc[start - 3], doc[start - 1]
    if not (is_modifier(first) and is_modifier(second)) or (start > 3 and doc[start - 4].text == "-"):
        return start
    return start - 3


def _title_only_compound(doc: Doc, start: int, end: int) -> bool:
    """True for a compound grown in the title that the abstract never writes: every title
    word is capitalised, so "Latent Space Image Generation" may be a name or a description;
    the abstract writing "long-context image modeling" says it is a name."""
    sentences = doc_view(doc).sentences
    if not sentences or start >= sentences[0].end:
        return False
    abstract = doc_view(doc).text[sentences[0].end_char :].lower()
    words = re.sub(r"\s*-\s*", "-", doc[start:end].text.lower())
    return words not in abstract and words.replace("-", " ") not in abstract.replace("-", " ")


def _used_as_modifier(doc: Doc, span: Span, lowers: list[str]) -> bool:
    """True for a one-word task or method written as the modifier of another noun:
    "classification labels", "convolution kernel", "pruning ratio" name no task or method."""
    if len(span) != 1 or not span.text.islower() or span.end >= len(lowers):
        return False
    following = doc[span.end]
    if lowers[span.end] in _TASK_CONTEXT_NOUNS:
        return False  # "detection tasks", "segmentation performance" still name the task
    return following.is_alpha and following.is_lower and not following.is_stop and lowers[span.end] not in _VERBS \
        and not lowers[span.end].endswith(("ly", "ing", "ed"))


_TASK_CONTEXT_NOUNS = {
    "task", "tasks", "problem", "problems", "performance", "results", "benchmark", "benchmarks", "accuracy",
    "setting", "settings", "challenge", "challenges", "datasets", "dataset", "quality", "capability",
    "capabilities", "models", "methods", "approaches", "pipelines", "systems",
    # "its reflow procedure", "a denoising step", "the distillation process" name the method too.
    "procedure", "procedures", "step", "steps", "process", "stage", "technique", "techniques", "strategy",
    "strategies", "scheme", "schemes",
    # Words after a noun that are no noun it modifies: "learnable via backpropagation thanks to …".
    "thanks", "alone", "instead", "itself", "only",
}


def grow_compounds(doc: Doc, lookup=None) -> Doc:
    if SPAN_KEY not in doc.spans:
        doc.spans[SPAN_KEY] = []
    spans = shared_spans(doc)
    cues = [bound[3] for bound in span_bounds(doc)]
    occupied = {i for s in spans for i in range(s.start, s.end)}
    lowers = doc_view(doc).lowers
    grown: list[Span] = []
    grown_cues: list[str] = []
    vocabulary = [s for s, cue in zip(spans, cues) if cue == "vocabulary"]
    for span, cue in zip(spans, cues):
        label = span.label_
        procedure = label == "Method" and lowers[span.end - 1] in _PROCEDURE_HEADS
        if label in ("Task", "Method") and cue == "vocabulary" and _used_as_modifier(doc, span, lowers):
            continue
        start = span.start
        if (label == "Task" or procedure) and cue == "vocabulary":
            start = _left_modifiers(doc, span.start, doc_view(doc).sentence_at(span.start).start, occupied)
        elif label == "Method" and cue == "vocabulary" and lowers[span.end - 1] in ("models", "model"):
            start = _hyphenated_modifier(doc, span.start, occupied)
        if start != span.start and span.end < len(lowers) and lowers[span.end] == "-":
            start = span.start  # the head is part of a hyphenated word: "Asymmetric Convolution-Attention"
        if start != span.start and label == "Task" and _title_only_compound(doc, start, span.end):
            start = span.start
        if start == span.start:
            grown.append(span)
            grown_cues.append(cue)
            continue
        compound = Span(doc, start, span.end, label=label)
        compound._.kg_cue = "compound"
        compound._.kg_confidence = 0.7
        grown.append(compound)
        grown_cues.append("compound")
    added = _procedure_phrases(doc, occupied)
    if lookup is not None:
        added += _elided_heads(doc, vocabulary, lookup)
    added += _dataset_resolutions(doc, vocabulary, lookup)
    set_spans(doc, grown + added, grown_cues + [s._.kg_cue for s in added])
    return doc


@Language.factory("kg_compounds", requires=["doc.spans"], assigns=["doc.spans"])
def make_compound_grower(nlp: Language, name: str):
    ensure_extensions()

    lookups: list = []  # found on the first Doc, once the pipeline is complete

    def grow(doc: Doc) -> Doc:
        # The vocabulary component (added before this one) answers "is this rebuilt name known?".
        # Found once: nlp.pipe_names and nlp.get_pipe walk the pipeline on every call.
        if not lookups:
            matcher = nlp.get_pipe("kg_vocabulary") if "kg_vocabulary" in nlp.pipe_names else None
            lookups.append(matcher.lookup if matcher is not None else None)
        return grow_compounds(doc, lookups[0])

    return grow
