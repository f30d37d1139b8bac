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

from spacy.lang.en.stop_words import STOP_WORDS
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
    known original correct public precise strategic proper appropriate optimal suboptimal desired target
    traditional typical usual ordinary regular normal free alternative future automated
    smaller larger bigger longer shorter richer finer coarser like unlike
    advanced innovative diverse sophisticated elaborate enhanced refined tailored dedicated meticulous intricate
    realistic photorealistic plausible convincing complicated pure mere unseen seen careful
    considerable widespread substantial unprecedented growing increasing sufficient tremendous creative associated inaccurate
    """.split()
)
# Second halves of describing compounds: "large-scale", "real-world", "high-quality".
DESCRIBING_PARTS = {
    "scale", "world", "quality", "resolution", "level", "grained", "sized", "size", "time", "fidelity", "speed",
    "purpose", "day", "performance", "efficiency", "accuracy", "cost", "capacity", "range",
}
_NOT_MODIFIERS = {"-", "'s", "’s"}
# Kinds, not modifiers: "the base method ensemble knowledge distillation" names "ensemble knowledge distillation".
KIND_NOUNS = frozenset({"method", "approach", "framework", "technique", "algorithm", "paradigm"})
_VERBS = set()
for _verb in """receive attract gain draw drawn pay paid
    use train present find perform improve integrate adopt leverage enable achieve propose introduce apply
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
    if token.is_stop or lower in DESCRIBING_WORDS or lower in _VERBS or lower in KIND_NOUNS:
        return False
    if not any(c.isalpha() for c in text) or lower.endswith(("ly", "ing", "est")):
        return False
    if "/" in text:
        return False  # "data and/or scaling"
    # A name ("ImageNet1k classification", "ADE-20k segmentation") is an entity of its own.
    if any(c.isdigit() for c in text) or any(c.isupper() for c in text[1:]):
        return False
    # "uses", "improves": a third-person verb, not a modifier ("class", "cross" are fine).
    return not (lower.endswith("s") and not lower.endswith(("ss", "us", "is")))


_SHOTS = {"shot", "shots"}


def _left_modifiers(doc: Doc, start: int, floor: int, occupied: set[int], name_words: frozenset[str] = frozenset()) -> int:
    """The start of the compound: up to two modifier words (a hyphenated one counts once) before ``start``.

    ``name_words`` (words the vocabulary's names use) tell a modifier from a verb after "to",
    "that" or "which": "to video representation learning", but "to bolster image classification"."""
    texts = doc_view(doc).texts
    new_start = start
    word_starts: list[int] = []
    i = start - 1
    while i >= floor and len(word_starts) < _MAX_MODIFIERS:
        # A hyphenated modifier: "one - step", "long - tail".
        if texts[i] == "-" or i in occupied:
            break
        if i - 2 >= floor and texts[i - 1] == "-":
            first = texts[i - 2]
            # A describing word can start a naming compound ("full-spectrum OOD detection"),
            # not a describing one ("large-scale image recognition").
            described = first.lower() in DESCRIBING_WORDS and texts[i].lower() not in DESCRIBING_PARTS
            if not (_is_modifier_word(doc, first) or _is_number_word(doc, first) or described):
                break
            if not _is_modifier_word(doc, texts[i]):
                break
            word_start = i - 2
        elif texts[i] in _SHOTS and i - 1 >= floor and _is_number_word(doc, texts[i - 1]):
            word_start = i - 1  # "one shot", "few shot" written without their hyphen
        elif _is_modifier_word(doc, texts[i]) and len(texts[i]) > 1 and texts[i].lower() != "based":
            word_start = i  # "10.5K temporal grounding": no "K"; "based" only in "diffusion-based"
        else:
            break
        if any(j in occupied for j in range(word_start, i + 1)):
            break
        new_start = word_start
        word_starts.append(word_start)
        i = word_start - 1
    if new_start > floor and texts[new_start - 1] == "-":
        return start  # the modifiers stop inside a hyphenated word ("One-step-ahead"): no clean name
    before = texts[new_start - 1].lower() if new_start > floor else ""
    if before in _SUBJECT_WORDS or (before in _VERB_INTRODUCERS and texts[new_start].lower() not in name_words):
        # "we democratise 3D content creation": after a subject the first word is its verb.
        return word_starts[-2] if len(word_starts) > 1 else start
    return new_start


# Words after which the next word is a verb ("we advocate"), or may be one ("to bolster").
_SUBJECT_WORDS = {"we", "they", "i"}
_VERB_INTRODUCERS = {"to", "it", "which", "that", "can", "may", "will", "could", "would", "should"}


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


def _procedure_phrases(doc: Doc, occupied: set[int], name_words: frozenset[str]) -> list[Span]:
    """Lower-case "modifier + procedure noun" phrases no other span covers."""
    found = []
    view = doc_view(doc)
    lowers = view.lowers
    # Procedure nouns picked in C: a test per word in Python took most of the time.
    for i in compress(range(len(lowers)), map(_PROCEDURE_NOUNS.__contains__, lowers)):
        if i in occupied or view.texts[i] != lowers[i]:
            continue
        token = doc[i]
        start = _left_modifiers(doc, i, view.sentence_at(i).start, occupied, name_words)
        if start == token.i or any(not (t.is_lower or t.text == "-") for t in doc[start : token.i]):
            continue
        span = Span(doc, start, token.i + 1, label="Method")
        span._.kg_cue = "procedure"
        span._.kg_confidence = 0.5
        found.append(span)
        occupied.update(range(start, token.i + 1))
    return found


# Parts of a network and ways of training it that name a technique only when the paper keeps
# using the phrase: "a prototype layer" written twice is a name, "a linear layer" once describes.
_REPEATED_HEADS = {
    "decomposition", "layer", "module", "modules", "block", "blocks", "strategy", "loss", "mechanism",
    "transformation", "transformations", "refinement", "aggregation",
}


def _repeated_phrases(doc: Doc, occupied: set[int], name_words: frozenset[str]) -> list[Span]:
    """Lower-case "modifier + part" phrases the text writes at least twice."""
    view = doc_view(doc)
    lowers = view.lowers
    found: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for i in compress(range(len(lowers)), map(_REPEATED_HEADS.__contains__, lowers)):
        if i in occupied or view.texts[i] != lowers[i] or (i + 1 < len(lowers) and lowers[i + 1] in _REPEATED_HEADS):
            continue  # "feature aggregation module": the phrase ends at its last head
        start = _left_modifiers(doc, i, view.sentence_at(i).start, occupied, name_words)
        if start == i or any(not (t.is_lower or t.text == "-") for t in doc[start:i]):
            continue
        words = tuple(w for w in lowers[start : i + 1] if w != "-")
        found.setdefault(words, []).append((start, i + 1))
    spans: list[Span] = []
    if not found:
        return spans
    text = " " + " ".join(w for w in lowers if w != "-") + " "  # the title may write it too
    for words, places in found.items():
        if len(places) < 2 and text.count(" " + " ".join(words) + " ") < 2:
            continue
        for start, end in places:
            span = Span(doc, start, end, label="Method")
            span._.kg_cue = "repeated-phrase"
            span._.kg_confidence = 0.5
            spans.append(span)
            occupied.update(range(start, end))
    return spans


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


# A task described by its activity names the task: "detecting objects" is object detection,
# "synthesizing novel views" novel view synthesis. Each gerund with the noun of its task.
_ACTIVITY_NOUNS = {
    "detecting": "detection", "segmenting": "segmentation", "classifying": "classification",
    "generating": "generation", "recognizing": "recognition", "recognising": "recognition",
    "tracking": "tracking", "estimating": "estimation", "reconstructing": "reconstruction",
    "synthesizing": "synthesis", "synthesising": "synthesis", "retrieving": "retrieval",
    "editing": "editing", "captioning": "captioning", "localizing": "localization",
    "localising": "localisation", "completing": "completion", "restoring": "restoration",
    "predicting": "prediction", "forecasting": "forecasting",
    "answering": "answering", "counting": "counting", "registering": "registration",
    "animating": "animation", "parsing": "parsing", "grounding": "grounding", "inpainting": "inpainting",
}
_ACTIVITY_OBJECT_WORDS = 3  # a run this long has its head further on


def _activity_tasks(doc: Doc, occupied: set[int], lookup) -> list[Span]:
    """Tasks written as an activity and its object: "detecting objects" (object detection),
    "generating realistic images" (image generation). Kept only when the vocabulary knows
    the task the words make, so a described activity that is no named task adds nothing."""
    found = []
    view = doc_view(doc)
    lowers, texts = view.lowers, view.texts
    # The gerunds picked in C: most abstracts have none, and a test per word in Python is most of the cost.
    for i in compress(range(len(lowers)), map(_ACTIVITY_NOUNS.__contains__, lowers)):
        activity = _ACTIVITY_NOUNS[lowers[i]]
        if i in occupied:
            continue
        first = i + 2 if i + 1 < len(lowers) and lowers[i + 1] in ("the", "a", "an") else i + 1
        end = first  # the activity's object: at most a modifier and its noun, "realistic images"
        while end < len(lowers) and end - first < _ACTIVITY_OBJECT_WORDS and end not in occupied \
                and texts[end].isalpha() and texts[end].islower() and lowers[end] not in STOP_WORDS:
            end += 1
        if end == first or end - first > 2 or (end < len(lowers) and texts[end].isalpha() and texts[end].islower()
                                               and lowers[end] not in STOP_WORDS):
            continue  # no object, or a longer phrase whose head is further on: "latent pose codes"
        head = lowers[end - 1]
        noun = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
        phrases = ([f"{lowers[end - 2]} {noun} {activity}"] if end - first == 2 else []) + [f"{noun} {activity}"]
        entry = next((e for e in map(lookup, phrases) if e is not None and e.type == "Task"), None)
        if entry is None:
            continue
        span = Span(doc, i, end, label="Task", kb_id=entry.name)
        span._.kg_cue = "activity"
        span._.kg_confidence = 0.6
        found.append(span)
        occupied.update(range(i, end))
    return found


_RESOLUTION = re.compile(r"^\d{2,4}(?:x|×)\d{2,4}$")


_SUBSET_SIZE = re.compile(r"^\d{1,3}[kK]$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _dataset_resolutions(doc: Doc, spans: list[Span], lookup) -> list[Span]:
    """A dataset at a resolution, of a subset size or of a year is its own dataset:
    "ImageNet 224 x 224", "LSUN 256×256", "COCO-30k", "ImageNet Challenge 2014"."""
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
        elif end < len(texts) and _YEAR.match(texts[end]) and not texts[span.end - 1][-1:].isdigit():
            end += 1  # a dataset or challenge of one year: "ImageNet Challenge 2014", "ILSVRC 2012"
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


DIMENSION_WORDS = {"1d", "2d", "2.5d", "3d", "4d"}  # lower-cased


# Model classes that a dimension word places in a setting rather than names anew:
# "2D diffusion models", "2D foundation models", "3D MLLMs" are still those classes.
_BROAD_CLASS_HEADS = {"model", "models", "llm", "llms", "mllm", "mllms", "vlm", "vlms", "lmm", "lmms"}
_DIMENSION_OPERATORS = {"convolution", "convolutions", "conv", "convs", "pooling"}


def _takes_dimension(label: str, head: str) -> bool:
    """Whether a known name with this label and head word grows over a dimension word before it:
    networks ("3D CNNs", "3D ResNet") and operators ("2D convolutions"), not procedures
    ("2D pre-training") nor broad model classes."""
    if label == "Architecture":
        return head not in _BROAD_CLASS_HEADS
    return label == "Method" and head in _DIMENSION_OPERATORS


def _dimension_prefix(lowers: list[str], start: int, occupied: set[int]) -> int:
    """The start of a name grown over a dimension word before it: "3D CNNs", "2D convolutions"
    name another network class or operator than the bare head. (Tasks keep their head: growing
    them too cost Task F1 on the dev set.)

    >>> _dimension_prefix(["train", "3d", "cnns"], 2, {2})
    1
    """
    if start > 0 and lowers[start - 1] in DIMENSION_WORDS and start - 1 not in occupied:
        return start - 1
    return start


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


def _modifies_next_noun(doc: Doc, span: Span, lowers: list[str]) -> bool:
    """True for a task written in its modifier form before a noun: "text-to-image" in
    "text-to-image face generation" (the modifiers before it belong to the whole phrase)."""
    if span.end >= len(lowers) or len(span) < 3 or lowers[span.end - 3] != "to" or lowers[span.end - 2] != "-":
        return False
    following = doc[span.end]
    return following.is_alpha and following.is_lower and not following.is_stop and lowers[span.end] not in _TASK_CONTEXT_NOUNS


# Tasks that are also the steps of a generative model: a diffusion model denoises step by step.
_PROCESS_TASKS = {"denoising"}
_PROCEDURE_STEP_NOUNS = {"process", "processes", "step", "steps", "procedure", "stage", "stages", "iterations", "trajectory"}
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


def grow_compounds(doc: Doc, lookup=None, name_words: frozenset[str] = frozenset()) -> Doc:
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
        if label == "Task" and cue == "vocabulary" and lowers[span.start] in _PROCESS_TASKS and len(span) == 1:
            following = lowers[span.end : span.end + 3]
            if "".join(following).startswith(("u-net", "unet")):
                continue  # "the denoising U-Net" names a network's role
            if following and following[0] in _PROCEDURE_STEP_NOUNS:
                # "the denoising process", "a preprocessing denoising step": a step of a method, not the task.
                span = Span(doc, span.start, span.end, label="Method", kb_id=span.kb_id)
                label = "Method"
        start = span.start
        if (label == "Task" or procedure) and cue == "vocabulary":
            start = _left_modifiers(doc, span.start, doc_view(doc).sentence_at(span.start).start, occupied, name_words)
        elif label == "Method" and cue == "vocabulary" and lowers[span.end - 1] in ("models", "model"):
            start = _hyphenated_modifier(doc, span.start, occupied)
        if start != span.start and span.end < len(lowers) and lowers[span.end] == "-":
            start = span.start  # the head is part of a hyphenated word: "Asymmetric Convolution-Attention"
        if start != span.start and label == "Task" and _title_only_compound(doc, start, span.end):
            start = span.start
        if start != span.start and label == "Task" and _modifies_next_noun(doc, span, lowers):
            start = span.start  # "diffusion-based text-to-image face generation": no "diffusion-based text-to-image"
        if cue == "vocabulary" and _takes_dimension(label, lowers[span.end - 1]):
            start = _dimension_prefix(lowers, start, occupied)
        if start == span.start:
            grown.append(span)
            grown_cues.append(cue)
            continue
        compound = Span(doc, start, span.end, label=label)
        compound._.kg_cue = "compound"
        compound._.kg_confidence = 0.7
        grown.append(compound)
        grown_cues.append("compound")
    added = _procedure_phrases(doc, occupied, name_words)
    added += _repeated_phrases(doc, occupied, name_words)
    if lookup is not None:
        added += _elided_heads(doc, vocabulary, lookup)
        added += _activity_tasks(doc, occupied, lookup)
    added += _dataset_resolutions(doc, vocabulary, lookup)
    kept = _without_bare_heads_of_other_tasks(grown + added, grown_cues + [s._.kg_cue for s in added])
    set_spans(doc, [span for span, _ in kept], [cue for _, cue in kept])
    return doc


def _without_bare_heads_of_other_tasks(spans: list[Span], cues: list[str]) -> list[tuple[Span, str]]:
    """The spans less a bare "detection", "tracking" or "segmentation" when the paper names
    another task with that head: in a paper on "deepfake detection", "detection performance" is
    that detection, and "segmentation problems" in a paper on semantic segmentation are those.
    ("classification" stays image classification: in vision papers that is what it means even
    beside "WSI classification".)"""
    tasks = [(span, cue) for span, cue in zip(spans, cues) if span.label_ == "Task"]
    bare = {
        id(span) for span, cue in tasks
        if cue == "vocabulary" and len(span) == 1 and span.text.islower()
        and (span.kb_id_.startswith("object ") or span.kb_id_ == "segmentation")
    }
    if not bare:
        return list(zip(spans, cues))
    dropped = set()
    for span, _ in tasks:
        if id(span) not in bare:
            continue
        word, reading = span.text, span.kb_id_
        if any(id(other) not in bare and other.text.lower().endswith(" " + word) and (other.kb_id_ or other.text) != reading
               for other, _ in tasks):
            dropped.add(id(span))
    return [(span, cue) for span, cue in zip(spans, cues) if id(span) not in dropped]


@Language.factory("kg_compounds", requires=["doc.spans"], assigns=["doc.spans"])
def make_compound_grower(nlp: Language, name: str):
    ensure_extensions()

    matchers: list = []  # found on the first Doc, once the pipeline is complete

    def grow(doc: Doc) -> Doc:
        # The vocabulary component (added before this one) answers "is this rebuilt name known?".
        # Found once: nlp.pipe_names and nlp.get_pipe walk the pipeline on every call.
        if not matchers:
            matchers.append(nlp.get_pipe("kg_vocabulary") if "kg_vocabulary" in nlp.pipe_names else None)
        matcher = matchers[0]
        if matcher is None:
            return grow_compounds(doc)
        return grow_compounds(doc, matcher.lookup, matcher.name_words)

    return grow
