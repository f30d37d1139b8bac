"""Discovery of names the vocabulary lacks, as a spaCy component.

Cues, each recorded on the span it produces:
- ``title-prefix``: "InceptionNeXt: When Inception Meets ConvNeXt";
- ``proposal``: "we propose / introduce / present X", "called / named / dubbed X";
- ``acronym``: "Constant Acceleration Flow (CAF)" — both forms, one entity;
- ``context:*``: a name-like token before "dataset", "backbone", …;
- ``shape:*``: a name whose ending says its type ("SBCFormer", "DPG-Bench");
- ``list``: a name-like token coordinated with typed names ("on CIFAR-10, Foo-5 and ImageNet").
Types of new names come from the words that describe them (typing_cues).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import compress

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.compounds import DESCRIBING_PARTS, DESCRIBING_WORDS
from kg.extract.doc_view import doc_view
from kg.extract.name_shapes import (
    MODEL_CLASS_NAMES,
    describes_a_kind,
    NAME_CONNECTORS,
    NAME_LIKE,
    fold_words,
    is_capitalised_word,
    is_generic_name,
    is_name_like,
    is_name_like_text,
    lowercase_name,
    lowercase_proposal,
    name_run,
    type_from_list,
)
from kg.extract.spans import (
    add_span,
    ensure_extensions,
    kg_spans,
    set_spans,
    shared_spans,
    span_bounds,
    span_confidence,
    span_cue,
)
from kg.extract.typing_cues import (
    type_from_description,
    type_from_head_word,
    type_from_noun_phrase,
    type_from_shape,
)
from kg.extract.vocabulary_matcher import folded_letters
from kg.records import EntityType

# Found in two steps, because one pattern with the subject in front backtracks at
# every position of the text: first the verb, then its subject just before it.
# The lookahead of first letters lets the regex engine skip to candidate
# positions instead of trying the alternation at every character (3x faster).
# Verbs ending in "e" drop it before "-ing" ("introducing"): they are listed by their stem.
_PROPOSAL_E_VERB_STEMS = ("propos", "introduc", "devis", "releas", "contribut", "curat", "creat")
_PROPOSAL_PLAIN_VERBS = ("present", "develop", "design", "build", "construct", "unveil", "collect")
# What str.find looks for: every form of a verb starts with one of these.
_PROPOSAL_VERBS = _PROPOSAL_E_VERB_STEMS + _PROPOSAL_PLAIN_VERBS
_PROPOSAL_VERB = re.compile(
    "(?=[" + "".join(sorted({verb[0] for verb in _PROPOSAL_VERBS})) + r"])\b(?:"
    + "(?:" + "|".join(_PROPOSAL_E_VERB_STEMS) + r")(?:e|es|ed|ing)|"  # "introduce", "introducing"
    + "(?:" + "|".join(_PROPOSAL_PLAIN_VERBS) + r")(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)


def _proposal_verbs(text: str, start: int) -> Iterator[re.Match]:
    """``_PROPOSAL_VERB.finditer(text, start)``, three times sooner on ASCII text.

    There the verbs are found with ``str.find`` in the lower-cased text (which
    keeps every offset, and where IGNORECASE folds only ASCII letters), and the
    pattern is tried only where one starts. Its matches are whole words, so none
    starts inside another: those found in order are the ones finditer yields.
    """
    if not text.isascii():
        yield from _PROPOSAL_VERB.finditer(text, start)
        return
    lowered = text.lower()
    candidates = set()
    for verb in _PROPOSAL_VERBS:
        index = lowered.find(verb, start)
        while index >= 0:
            candidates.add(index)
            index = lowered.find(verb, index + 1)
    for index in sorted(candidates):
        match = _PROPOSAL_VERB.match(text, index)
        if match:
            yield match


_PROPOSAL_SUBJECT = re.compile(
    r"\b(?:(?:we|this (?:paper|work|study)|the paper|our (?:paper|work))\s+"
    r"(?:(?:also|further|then|additionally|first|next|finally|here|\w+ly)\s+){0,2}|by\s+)$",
    re.IGNORECASE,
)
# "Our approach, BigBiGAN, …", "our new model, X, …": the name in the aside is the paper's.
_OUR_KINDS = {
    "approach", "method", "model", "framework", "network", "architecture", "system", "algorithm", "technique",
    "dataset", "benchmark", "pipeline", "module", "loss", "detector", "tracker", "agent",
}
_APPOSITION_ENDS = {",", "which", "that", "(", "and", ".", ";", "to", "for", "with"}
_SIZE_WORDS = {"base", "small", "tiny", "large", "huge", "largest", "smallest", "biggest", "deeper", "shallower"}
_NAMED_NEXT = re.compile(r",?\s+(?:namely|called|named|dubbed|termed|coined)\b")
# "…, and present X": a second verb of the sentence's subject.
_COORDINATED_VERB = re.compile(r"\band\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_SENTENCE_SUBJECT = re.compile(r"\s*(?:(?:in|here|to)\b[^,]{0,40},\s*)?(?:we|this (?:paper|work|study))\b", re.IGNORECASE)
_NAMING_WORDS = ("called", "named", "dubbed", "termed", "coined", "namely")
# "named as High-Resolution Network"; "namely" only names when it follows a proposal ("a new network,
# namely KimiaNet"): "three datasets, namely …" lists existing ones.
_NAMING_WORD = re.compile(r"(?=[cndt])\b(?:" + "|".join(_NAMING_WORDS) + r")\s+(?:as\s+)?")
_WE = re.compile(r"\b(?:we|our)\b", re.IGNORECASE)
# "We name our models In-Context LoRA", "We call this method "Dilated Convolution with …"".
_WE_CALL = re.compile(r"(?=[w])\bwe\s+(?:call|name|term|dub|coin)\s+", re.IGNORECASE)
# Words between a proposal verb and the name it introduces: "we propose a simple yet effective X".
_INNOVATION = re.compile(
    # Contributions are as often evaluations ("our main contribution is a thorough evaluation").
    r"\b(?:core|key|main|central|major)\s+(?:innovations?|novelt(?:y|ies))\b", re.IGNORECASE
)
_CLAUSE_WORDS = {"which", "that", "where", "and", "or", "to", "for", "of", "in", "on", "with", "by", "as", "is", "are"}


def _listed_lowercase_name(doc: Doc, start: int, end: int) -> Span | None:
    """A lower-case name of two to five words listed as a contribution, up to the first clause
    word ("relative move embedding, which …"; spaCy counts "move" as a stop word)."""
    k = start
    while k < end and k - start < 9 and (doc[k].text == "-" or (doc[k].is_alpha and doc[k].is_lower and doc[k].lower_ not in _CLAUSE_WORDS)):
        k += 1
    while k > start and doc[k - 1].text == "-":
        k -= 1
    words = [t for t in doc[start:k] if t.text != "-"]
    return doc[start:k] if 2 <= len(words) <= 5 else None


_ENUMERATORS = {"1", "2", "3", "4", "i", "ii", "iii", "iv", "a", "b", "c"}
_INNOVATION_LEADS = {"is", "are", "lies", "in", "our", "the", "use", "of", "introduction", "a", "an", ":"}
# Things papers abbreviate that are properties or parts of models, not entities of the five types.
_HAS_DIGIT_OR_INNER_CAPITAL = re.compile(r"\d|.[A-Z]")
_CONCEPTS = {
    "receptive field", "receptive fields", "feature map", "feature maps", "region of interest",
    "regions of interest", "field of view", "degrees of freedom", "degree of freedom", "ground truth",
    "state of the art", "out of distribution", "in distribution", "out of domain", "point of view", "level of detail",
    # Modalities and sensors: "vision-language (VL) models", "Light Detection and Ranging (LiDAR)".
    "vision language", "vision and language", "light detection and ranging", "computer aided design",
    "magnetic resonance imaging", "computed tomography", "inertial measurement unit", "head mounted display",
    "whole slide image", "whole slide images", "room impulse response",
    # Qualities of inputs: "low-resolution (LR) inputs".
    "low resolution", "high resolution", "standard dynamic range", "high dynamic range", "low dynamic range",
}
_URL = re.compile(r"https?://\S+|www\.\S+")


def _spells(entry, text: str) -> bool:
    """True when one of ``entry``'s names has exactly the letters of ``text`` (no plural dropped)."""
    letters = folded_letters(text)
    return any(folded_letters(name) == letters for name in entry.surface_forms)


def _modifies_a_noun(doc: Doc, name: Span, sentence: Span) -> bool:
    """True when a name is the modifier of the noun after it: "three novel OOD detection
    benchmarks" proposes benchmarks, not OOD."""
    if name.end >= sentence.end:
        return False
    following = doc[name.end]
    if not (following.is_alpha and following.is_lower) or following.is_stop:
        return False
    # After "we propose X" a verb would be ungrammatical, so a lower-case word is a noun X modifies,
    # unless it introduces a clause or an explanation.
    return following.lower_ not in ("that", "which", "called", "named", "dubbed", "termed", "where", "whereby") \
        and not following.lower_.endswith(("ed", "ly", "ing"))


_GENERIC_PLURALS = {
    "techniques", "strategies", "components", "modules", "ideas", "innovations", "contributions", "methods",
    "approaches", "designs", "improvements", "changes", "modifications", "key", "core", "main", "simple",
}
_LEADING_FILLERS = {
    "a", "an", "the", "new", "novel", "simple", "effective", "general", "generic", "efficient", "unified",
    "first", "two", "three", "several", "our", "this", "these", "yet", "powerful", "principled", "family",
    "of", "versatile", "lightweight", "scalable", "large-scale", "flexible", "straightforward", "fast",
    "strong", "alternative", "method", "approach", "framework", "technique", "model", "called", "named",
    "dubbed", "termed", "and", "highly", "accurate", "robust", "practical", "plug-and-play", "modified",
}
# Nouns right after a name-like word that say its type: "the KonIQ-10k dataset", "a Swin backbone".
_CONTEXT_NOUNS: dict[str, EntityType] = {
    "dataset": "Dataset", "datasets": "Dataset", "benchmark": "Dataset", "benchmarks": "Dataset",
    "database": "Dataset", "corpus": "Dataset", "challenge": "Dataset", "split": "Dataset",
    "backbone": "Architecture", "backbones": "Architecture", "network": "Architecture",
    "networks": "Architecture", "architecture": "Architecture", "architectures": "Architecture",
    "model": "Architecture", "models": "Architecture", "encoder": "Architecture", "detector": "Architecture",
    "score": "Metric", "metric": "Metric", "loss": "Method", "algorithm": "Method", "method": "Method",
}
_TITLE_PREFIX_MAX_TOKENS = 6
# Title words after which comes what the work is for: "… for X", "Towards X", "… Improves X".
_PURPOSE_WORDS = {"for", "towards", "toward", "improves", "improving", "enhancing", "boosting", "advancing"}
# Verbs whose -ing form in a title names the task the paper addresses.
_TASK_GERUNDS = {
    "generating", "compressing", "detecting", "segmenting", "classifying", "reconstructing", "estimating",
    "predicting", "synthesizing", "synthesising", "recognizing", "recognising", "tracking", "localizing",
    "captioning", "retrieving", "restoring", "denoising", "editing", "forecasting", "translating",
}
_EDGE_PUNCTUATION = set("\"'“”‘’()[]{},;:.!?")
# A numbered variant of a name already found: "DPN-131" after "DPN".
_NUMBERED_VARIANT = re.compile(r"^(.+)-\d{2,3}[a-z]?$")
# A size variant of a name already found: "Atlas-B" after "Atlas".
_SIZE_SUFFIX = re.compile(r"^(.+)-(?:T|S|B|L|H|G|XL|XXL|Ti|[TSBLH]\d{1,2})$")
# A title's leading noun phrase, when it names the paper's contribution: at most this long, ended by these.
_TITLE_PHRASE_MAX_WORDS = 8
_TITLE_PHRASE_BREAKS = {
    "for", "with", "via", "through", "using", "in", "on", "of", "to", "is", "are", "as", "by", "from",
    "towards", "toward", "and", "when", "improves", "improve", "meets", "at", "without", "beyond", "can",
}
# Kinds whose examples a list names: "tasks, including …", "methods such as …".
_LIST_NOUNS: dict[str, EntityType] = {
    "tasks": "Task", "methods": "Method", "techniques": "Method", "approaches": "Method", "algorithms": "Method",
    "datasets": "Dataset", "benchmarks": "Dataset", "models": "Architecture", "architectures": "Architecture",
    "backbones": "Architecture", "networks": "Architecture", "metrics": "Metric",
}


_LETTER_VERSION = r"[Vv]\d+(?:\.\d+)?"
_VERSION_ONLY = re.compile(rf"^{_LETTER_VERSION}$")
# A version written after a name: "2.0", "1.5", "v2" (one digit before the point: "76.1" is a value).
_VERSION = re.compile(rf"^(?:\d\.\d|{_LETTER_VERSION})$")
_VALUE_WORDS = {"%", "x", "×", "points", "point", "pp", "percent", "lower", "higher", "better", "more", "fewer", "less"}


def _list_after(view, i: int) -> list[tuple[int, int]]:
    """The (start, end) of each item of a list after the kind at ``i``: "tasks, such as A, B and C"."""
    lowers = view.lowers
    k = i + 1 + (lowers[i + 1] in (",", "("))
    if k + 1 < len(lowers) and (lowers[k], lowers[k + 1]) in _LIST_LEADS:
        k += 2
    elif k < len(lowers) and lowers[k] in _LIST_LEADS_ONE:
        k += 1
    else:
        return []
    k += k < len(lowers) and lowers[k] == ","  # "e.g.,"
    limit = view.sentence_at(i).end
    items: list[tuple[int, int]] = []
    start, last = k, False
    while k <= limit:
        if k == limit or lowers[k] in _LIST_SEPARATORS or lowers[k] in _LIST_ENDS:
            if start < k:
                items.append((start, k))
            if k == limit or lowers[k] in _LIST_ENDS or (last and start < k):
                break
            last = last or lowers[k] in ("and", "or")
            start = k + 1
        k += 1
    return items


# Words that start the items of a list: "tasks, including …", "tasks (e.g. …)".
_LIST_LEADS = {("such", "as"), ("for", "example")}
_LIST_LEADS_ONE = {"including", "like", "e.g.", ":", "namely"}
_LIST_SEPARATORS = {",", "and", "or"}
_LIST_ENDS = {".", ")", ";", ":"}
_ITEM_PURPOSES = {"for", "on", "in", "with"}
_NOT_LIST_WORDS = {"but", "etc", "other", "various", "notably", "also", "which"}
_ACTIVITY_ENDINGS = ("ing", "tion", "sion", "ment", "ics", "sis", "val")
_DESCRIBING_ENDINGS = ("ic", "ive", "ous", "ar", "ed", "al")


def _describes(word: str) -> bool:
    """True for a word shaped like an adjective: "semantic", "temporal", "robotic" (not "retrieval")."""
    return word.endswith(_DESCRIBING_ENDINGS) and not word.endswith(_ACTIVITY_ENDINGS)
# Title words after which comes how the work is done: "… with X", "… via X".
_MEANS_WORDS = {"with", "via", "through", "using"}
_MEANS_HEADS = {"processing", "scaling", "fusion", "aggregation", "guidance", "matching", "routing", "masking"}
_PROCEDURE_NOUNS = {"learning", "training", "pretraining", "pre-training", "modeling", "modelling", "scaling", "pooling"}
_PROPOSAL_CUE = re.compile(
    r"\b(?:we|this (?:paper|work)|here we)\s+(?:\w+\s+)?(?:propose|present|introduce|develop|design|devise)s?\b",
    re.IGNORECASE,
)
# "we explore a recent method called Rectified Flow", "a representative model called LLaVA":
# the name is someone else's.
_EXISTING_WORK = re.compile(
    r"\b(?:recent|recently|existing|popular|representative|well-known|prior|previous|standard|classic|off-the-shelf)\b",
    re.IGNORECASE,
)
_NOT_TITLE_NAMES = {"survey", "review", "a survey", "tutorial", "position", "perspective", "overview", "technical report"}


def _covered(doc: Doc, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e, _, _ in span_bounds(doc))


def _type_of_covering_span(doc: Doc, start: int, end: int) -> EntityType | None:
    for s, e, label, cue in span_bounds(doc):
        if s <= start and end <= e and cue == "vocabulary":
            return label  # type: ignore[return-value]
    return None


def _types_by_name(doc: Doc) -> dict[str, EntityType]:
    """The type of each span's lower-cased words, first span first: the title's "Multi-criteria
    Token Fusion" types its definition "Multi-criteria Token Fusion (MCTF)" in the abstract.
    A Task reading of a title phrase is the weakest guess (a defined acronym names a thing), so
    Task spans are left out."""
    view = doc_view(doc)
    text, starts, texts = view.text, view.char_starts, view.texts
    types: dict[str, EntityType] = {}
    for start, end, label, _ in span_bounds(doc):
        if label != "Task":
            words = text[starts[start] : starts[end - 1] + len(texts[end - 1])].lower()
            types.setdefault(words, label)  # type: ignore[arg-type]
    return types


def _described_in_abstract(doc: Doc, name: Span, title: Span) -> tuple[EntityType, str] | None:
    """The type the abstract gives a name: "X, a new family of networks", "X is a framework",
    "we call our one-step models X"."""
    words = [t.lower_ for t in name]
    view = doc_view(doc)
    lowers = view.lowers
    for start in _positions(lowers, words[0], title.end, len(lowers) - len(words) + 1):
        if lowers[start : start + len(words)] != words:
            continue
        occurrence = doc[start : start + len(words)]
        described = _description_after(doc, occurrence)
        if described.lower().startswith(("a ", "an ", "the ")):
            typed = type_from_description(described)
            if typed:
                return typed
        before = doc[max(view.sentence_at(start).start, start - 6) : start].text.lower()
        called = re.search(r"\b(?:call|name|term|dub)\w*\s+(?:our|the|this|these)\s+(.+)$", before)
        if called:
            typed = type_from_description("a " + called.group(1))
            if typed:
                return typed
    return None


def _positions(words: list[str], word: str, start: int, stop: int) -> Iterator[int]:
    """Indices of ``word`` in ``words[start:stop]``, ascending (list.index scans in C).

    >>> list(_positions(["a", "b", "a", "a"], "a", 1, 4))
    [2, 3]
    """
    index = start - 1
    while True:
        try:
            index = words.index(word, index + 1, stop)
        except ValueError:
            return
        yield index


def _vocabulary_name(doc: Doc, span: Span) -> str:
    for candidate in kg_spans(doc):
        if candidate.start <= span.start and span.end <= candidate.end and span_cue(candidate) == "vocabulary":
            return candidate.kb_id_ or candidate.text
    return span.text


def _drop_vocabulary_spans(doc: Doc, text: str) -> None:
    """Remove vocabulary spans whose text is ``text`` (a short form the paper redefines)."""
    kept = [s for s in shared_spans(doc) if not (span_cue(s) == "vocabulary" and s.text in (text, text + "s"))]
    set_spans(doc, kept)


def _description_after(doc: Doc, span: Span) -> str:
    """The words that follow a name in its sentence, e.g. ", a novel framework for …"."""
    view = doc_view(doc)
    end = min(view.sentence_at(span.start).end, span.end + 14)
    # Sliced from the view's text: Span.text builds a Token per word.
    text = view.text[view.char_starts[span.end] : view.char_starts[end - 1] + len(view.texts[end - 1])] if end > span.end else ""
    # Skip an acronym in brackets and the appositive comma: "X (Y), a …".
    text = re.sub(r"^\s*\([^)]*\)", "", text).lstrip(" ,:—-")
    text = re.sub(r"^(?:is|as|which is|that is)\s+", "", text)
    return text


def type_new_name(doc: Doc, span: Span, extra_context: str = "", lookup=None) -> tuple[EntityType, str, float]:
    """Type of a newly found name, the cue that decided it, and a confidence."""
    known = _type_of_covering_span(doc, span.start, span.end)
    if known:
        return known, "vocabulary", 0.9
    description = _description_after(doc, span)
    if description[:3].lower() in ("a ", "an ", "the") or description.lower().startswith(("a ", "an ")):
        typed = type_from_description(description)
        if typed:
            return typed[0], typed[1], 0.8
    # A variant of a known name keeps its type: "ImageNet-FS-X" is a dataset, "ResNet-RS" a network.
    first = _type_of_covering_span(doc, span.start, span.start + 1)
    if first in ("Dataset", "Architecture") and len(span) > 1:
        return first, "prefix", 0.75
    head, dash, _ = span.text.partition("-")
    entry = lookup(head) if lookup is not None and dash and len(head) > 2 else None
    if entry is not None and entry.type in ("Dataset", "Architecture"):
        return entry.type, "prefix", 0.75  # one token: "ImageNet-FS-X", "WILDS-FS-X"
    shaped = type_from_shape(span.text)
    if shaped:
        return shaped[0], shaped[1], 0.75
    headed = type_from_noun_phrase(span.text)  # "Occupancy Networks for Semantic Segmentation" are networks
    if headed:
        return headed[0], headed[1], 0.7
    if extra_context:
        typed = type_from_description(extra_context) or type_from_head_word(extra_context)
        if typed:
            return typed[0], typed[1], 0.6
    return "Method", "default:method", 0.5


# Words before a hyphen that describe rather than name a variant: "Non-Transformer", "Pre-LN".
_NOT_VARIANT_PREFIXES = {
    "non", "pre", "post", "anti", "multi", "self", "cross", "sub", "semi", "co", "re", "un", "inter", "intra",
    "over", "under", "mid", "pseudo", "quasi", "ultra", "super", "hyper", "single", "dual", "two", "three",
    "one", "all", "full", "half", "fine", "coarse", "plain", "like", "based", "free", "only", "with", "without",
}


def _is_variant_prefix(word: str) -> bool:
    """True for a word that can start a variant's name before a hyphen: one capital letter
    ("C-LSTM", "D-CORAL") or a capitalised word that neither describes nor negates ("Point-BERT").

    >>> [_is_variant_prefix(w) for w in ["C", "Point", "Pose", "Non", "Efficient", "point", "The"]]
    [True, True, True, False, False, False, False]
    """
    if len(word) == 1:
        return word.isupper()
    lower = word.lower()
    return word[0].isupper() and word[1:].islower() and word.isalpha() and lower not in _NOT_VARIANT_PREFIXES \
        and lower not in DESCRIBING_WORDS and lower not in _STOP_WORDS


_STOP_WORDS = {"the", "a", "an", "this", "that", "these", "those", "our", "its", "their", "we", "it", "in", "on", "of",
               "for", "and", "or", "to", "by", "as", "at", "from", "is", "are", "be", "both", "each", "any", "no"}


class NameDiscoverer:
    """Adds spans for names the vocabulary lacks and records the paper's proposals."""

    def __init__(self, nlp: Language):
        ensure_extensions()
        self.nlp = nlp

    @property
    def lookup(self):
        """The vocabulary's name lookup (the vocabulary component runs before this one)."""
        if not hasattr(self, "_lookup"):
            # Found once: nlp.get_pipe walks the pipeline and formats error texts on every call.
            self._lookup = self.nlp.get_pipe("kg_vocabulary").lookup if "kg_vocabulary" in self.nlp.pipe_names else None
        return self._lookup

    def __call__(self, doc: Doc) -> Doc:
        proposals: list[str] = []
        sentences = doc_view(doc).sentences
        if not sentences:
            doc._.kg_proposals = proposals
            return doc
        title = sentences[0]
        self._title_prefix(doc, title, proposals)
        self._title_appositive(doc, title, proposals)
        self._title_gerund_task(doc, title)
        self._title_purpose_task(doc, title)
        self._title_means_method(doc, title)
        self._acronyms(doc)
        self._proposals(doc, title, proposals)
        self._we_call(doc, title, proposals)
        self._our_appositive(doc, title, proposals)
        self._innovations(doc, title, proposals)
        self._typed_contexts(doc)
        self._listed_items(doc)
        self._repeat_discovered_names(doc)
        _weaken_based_modifiers(doc)
        seen: set[str] = set()
        doc._.kg_proposals = [p for p in proposals if not (p.casefold() in seen or seen.add(p.casefold()))]
        return doc

    def _add(self, doc: Doc, span: Span, entity_type: EntityType, cue: str, confidence: float) -> Span | None:
        start, end = span.start, span.end
        texts = doc_view(doc).texts
        while start < end and (texts[start] in _EDGE_PUNCTUATION or texts[start].isspace()):
            start += 1
        while end > start and (texts[end - 1] in _EDGE_PUNCTUATION or texts[end - 1].isspace()):
            end -= 1
        if start == end:
            return None
        labelled = Span(doc, start, end, label=entity_type)
        return add_span(doc, labelled, cue=cue, confidence=confidence)

    def _title_prefix(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        texts = doc_view(doc).texts
        colon = next((i for i in range(title.start, title.end) if texts[i] == ":"), None)
        if colon is not None and colon != title.start and colon - title.start <= _TITLE_PREFIX_MAX_TOKENS:
            name = doc[title.start : colon]
            rest = doc[colon + 1 : title.end].text
            cue = "title-prefix"
        else:
            name = self._title_noun_phrase(doc, title)
            if name is None:
                return
            rest = doc[name.end : title.end].text
            cue = "title-phrase"
        if not any(is_name_like(t) or is_capitalised_word(t) for t in name) or is_generic_name(name.text):
            return
        if len(name) > 1 and name[0].lower_.endswith("ing") and name[0].lower_ not in _PROCEDURE_NOUNS \
                and not is_name_like(name[0]):
            return  # "Designing BERT for Convolutional Networks: …", "Revisiting ResNets: …" say what is done
        # "Zoom is what you need: …", "A Survey: …" and "Accurate, Large Minibatch SGD: …" are not names.
        if any(t.is_stop and t.lower_ not in NAME_CONNECTORS for t in name) or name.text.lower() in _NOT_TITLE_NAMES:
            return
        if any(t.text in (",", ";", "(", ")") for t in name):
            return
        known = _type_of_covering_span(doc, name.start, name.end)
        canonical = _vocabulary_name(doc, name)
        if known and canonical.islower() and fold_words(canonical) == fold_words(name.text):
            return  # "Knowledge distillation: …" studies a known technique, it does not propose it
        entity_type, type_cue, confidence = type_new_name(doc, name, lookup=self.lookup)
        # How the abstract describes the name ("Atlas, a novel neural network architecture")
        # beats what the rest of the title is about.
        if type_cue.startswith("default"):
            described = _described_in_abstract(doc, name, title)
            if described:
                entity_type, type_cue = described
        if cue == "title-prefix" and type_cue.startswith("shape") and (type_from_noun_phrase(rest) or ("",))[0] == "Dataset":
            entity_type, type_cue = "Dataset", "title-prefix:describes-dataset"  # "MVHumanNet: A Large-scale Dataset of …"
        if type_cue.startswith("default"):
            headed = type_from_noun_phrase(rest) if cue == "title-prefix" else type_from_head_word(name.text)
            if headed:
                entity_type, type_cue, confidence = headed[0], headed[1], 0.7
            if cue == "title-prefix" and entity_type == "Task":
                # "MVIP-NeRF: Multi-view 3D Inpainting on NeRF Scenes": the rest of the title is the
                # task; the name before the colon is what does it.
                entity_type, type_cue = "Method", "title-prefix:solves-task"
            if cue == "title-prefix" and entity_type == "Metric" and rest.split()[:1] and rest.split()[0].lower().endswith("ing"):
                # "DiffEditor: Boosting Accuracy and Flexibility on …": what boosts a metric is no metric.
                entity_type, type_cue = "Method", "title-prefix:improves-metric"
        self._add(doc, name, entity_type, cue if type_cue != "vocabulary" else "vocabulary", max(confidence, 0.8))
        proposals.append(name.text)

    def _title_appositive(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        """A name the title describes: "…: NaViT, a Vision Transformer for any Aspect Ratio"."""
        lowers = doc_view(doc).lowers
        for i in range(title.start + 1, title.end - 2):
            if lowers[i + 1] != "," or lowers[i + 2] not in ("a", "an"):
                continue
            token = doc[i]
            if not is_name_like(token):
                continue
            name = doc[token.i : token.i + 1]
            typed = type_from_description(doc[token.i + 2 : title.end].text)
            entity_type, cue = typed if typed else ("Method", "default:method")
            if not _covered(doc, name.start, name.end):
                self._add(doc, name, entity_type, "title-appositive", 0.8)
            proposals.append(name.text)

    def _title_gerund_task(self, doc: Doc, title: Span) -> None:
        """A task the title states as an activity: "Generating Nighttime Satellite Imagery from …"."""
        lowers = doc_view(doc).lowers
        for i in range(title.start, title.end):
            if lowers[i] not in _TASK_GERUNDS or (i > title.start and lowers[i - 1] not in (":", "for", "of", "in")):
                continue
            end, words = i + 1, 1  # words, not tokens: "Synthesizing High-Quality Implicit Neural Representations"
            while end < title.end and words < 6 and lowers[end] not in _TITLE_PHRASE_BREAKS and (
                doc[end].is_alpha or doc[end].text == "-"
            ):
                words += doc[end].text != "-" and doc[end - 1].text != "-"
                end += 1
            if end - i >= 2 and not _covered(doc, i, end):
                self._add(doc, doc[i:end], "Task", "title-activity", 0.6)
            return

    def _title_purpose_task(self, doc: Doc, title: Span) -> None:
        """A task the title says the work is for: "… for Multiscale Geospatial Representation
        Learning", "… Improves Long Context Image Modeling". Only a Title-Cased phrase that ends
        in a task's head word and holds no task already found: the vocabulary's reading of a
        known task ("… for Efficient Text-to-Image Generation") is kept as it is."""
        view = doc_view(doc)
        texts, lowers = view.texts, view.lowers
        for i in range(title.start, title.end - 1):
            if lowers[i] not in _PURPOSE_WORDS:
                continue
            start = i + 1
            while start < title.end and (lowers[start] in DESCRIBING_WORDS or (
                    start + 2 < title.end and texts[start + 1] == "-" and lowers[start + 2] in DESCRIBING_PARTS)):
                start += 3 if start + 1 < title.end and texts[start + 1] == "-" else 1  # "Efficient", "High-Quality"
            end = start
            while end < title.end and (texts[end] == "-" or texts[end][:1].isupper() or texts[end][:1].isdigit()) \
                    and lowers[end] not in _TITLE_PHRASE_BREAKS:
                end += 1
            while end > start and texts[end - 1] == "-":
                end -= 1
            words = [t for t in texts[start:end] if t != "-"]
            if not 2 <= len(words) <= 6:
                continue
            headed = type_from_head_word(" ".join(texts[start:end]))
            if headed and headed[0] == "Task" and not any(
                s < end and start < e and label == "Task" for s, e, label, _ in span_bounds(doc)
            ) and not _covered(doc, start, end):
                self._add(doc, doc[start:end], "Task", "title-purpose", 0.6)

    def _title_means_method(self, doc: Doc, title: Span) -> None:
        """A technique the title says the work is done with: "… with One-step-ahead Attention",
        "… via Causal Sequential Processing", "… via Meta-Regularization and Correlation Matching".
        Only a Title-Cased phrase of two to six words, a hyphen joining lower-case parts, whose
        head names a technique."""
        view = doc_view(doc)
        texts, lowers = view.texts, view.lowers
        after_means = -1  # where the last phrase said to be a means ended: an "and" there joins another
        for i in range(title.start, title.end - 1):
            if lowers[i] not in _MEANS_WORDS and not (i == after_means and lowers[i] == "and"):
                continue
            start = i + 1
            if lowers[start] in _STOP_WORDS or lowers[start] == "zero":
                continue  # "with A General Learning Objective" describes; "with Zero Pretraining" lacks one
            end = start
            while end < title.end and lowers[end] not in _TITLE_PHRASE_BREAKS and (
                    texts[end] == "-" or texts[end][:1].isupper() or texts[end][:1].isdigit()
                    or (end > start and texts[end - 1] == "-")):
                end += 1
            while end > start and texts[end - 1] == "-":
                end -= 1
            phrase = doc[start:end]
            ends_phrase = end == title.end or lowers[end] in _TITLE_PHRASE_BREAKS or not texts[end][:1].isalpha()
            if not (ends_phrase and 2 <= sum(t != "-" for t in texts[start:end]) <= 6) or is_generic_name(phrase.text):
                continue  # "with Humans in the Loop", "using Deep Learning"
            after_means = end
            head = lowers[end - 1]
            headed = type_from_head_word(head)
            if ((headed and headed[0] == "Method") or head in _PROCEDURE_NOUNS or head in _MEANS_HEADS) \
                    and not _covered(doc, start, end):
                self._add(doc, phrase, "Method", "title-means", 0.6)

    def _title_noun_phrase(self, doc: Doc, title: Span) -> Span | None:
        """The title's leading noun phrase when the abstract names it again: "Matryoshka Representation Learning"."""
        first = title[0]
        hyphenated = len(title) > 1 and title[1].text == "-"
        if (first.is_stop and not hyphenated) or first.lower_.endswith("ing") and (
            first.lower_ not in _PROCEDURE_NOUNS or not hyphenated  # "Learning Group Activity Features" is an activity
        ):
            return None
        end = title.start
        words = 0  # hyphens do not count: "Adaptive Multi-Modal Cross-Entropy Loss" is five words
        while end < title.end and words < _TITLE_PHRASE_MAX_WORDS:
            token = doc[end]
            if token.is_space or (token.is_punct and token.text != "-"):
                break
            if token.lower_ in _TITLE_PHRASE_BREAKS and not (end > title.start and doc[end - 1].text == "-"):
                break
            words += token.text != "-"
            end += 1
        if end - title.start < 2 or words >= _TITLE_PHRASE_MAX_WORDS:
            return None
        phrase = doc[title.start : end]
        folded = fold_words(phrase.text)
        abstract_text = doc_view(doc).text[title.end_char :]
        abstract = fold_words(_URL.sub(" ", abstract_text))  # a repository name repeats the title
        if f" {folded} " in f" {abstract} ":
            return phrase
        # A Title-Cased leading phrase of a paper that says it proposes something names what it
        # proposes, even when the abstract calls it "our method": "Aggregated Residual
        # Transformations for Deep Neural Networks", "Gramian Attention Heads are Strong …".
        title_cased = all(t.text == "-" or t.text[:1].isupper() or t.text[:1].isdigit() for t in phrase) \
            and phrase[0].lower_ not in DESCRIBING_WORDS  # "Extreme Compression of …" describes a goal
        headed = type_from_head_word(phrase.text)
        if headed and headed[0] == "Task":
            return None  # "Test-Time Zero-Shot Temporal Action Localization for …" names the task addressed
        if title_cased and end < title.end and _PROPOSAL_CUE.search(abstract_text):
            return phrase
        return None

    def _acronyms(self, doc: Doc) -> None:
        definitions = doc._.kg_acronyms or []
        types_by_name = _types_by_name(doc) if definitions else {}
        for definition in definitions:
            long_span = doc.char_span(definition.long_start, definition.long_end, alignment_mode="expand")
            short_span = doc.char_span(definition.short_start, definition.short_end, alignment_mode="expand")
            if long_span is None or short_span is None:
                continue
            if is_generic_name(long_span.text) or fold_words(long_span.text) in _CONCEPTS:
                continue  # "deep neural networks (DNNs)" defines an abbreviation, not an entity
            known = _type_of_covering_span(doc, long_span.start, long_span.end)
            short_known = _type_of_covering_span(doc, short_span.start, short_span.end)
            if not known and short_known:
                typed = type_from_shape(short_span.text) or type_from_head_word(long_span.text)
                vocabulary_long = _vocabulary_name(doc, short_span)
                if (typed and typed[0] != short_known) or fold_words(vocabulary_long) != fold_words(long_span.text):
                    # "Multi-Student Distillation (MSD)" here is not the MSD dataset, and
                    # "Continuous Thought Machine (CTM)" is not the vocabulary's CTM.
                    _drop_vocabulary_spans(doc, definition.short)
                else:
                    known = short_known
            known = known or types_by_name.get(long_span.text.lower())
            if known:
                entity_type, cue, confidence = known, "acronym", 0.9
            else:
                # The noun after the brackets says what it is ("a Low-light Multi-Object Tracking (LMOT)
                # dataset"), then the long form's head ("individualized scanpath prediction (ISP)" is a
                # task); the short form's shape only guesses ("LMOT" could be a model).
                view = doc_view(doc)
                after = view.lowers[short_span.end + 1] if short_span.end + 1 < len(doc) else ""
                noun_type = _CONTEXT_NOUNS.get(after) if view.texts[short_span.end] == ")" else None
                headed = type_from_head_word(long_span.text)
                if noun_type and headed and headed[0] == "Task" and noun_type in ("Architecture", "Method"):
                    noun_type = None  # "a unified video segmentation (VS) model" is a model for the task
                typed = ((noun_type, f"context:{after}") if noun_type else None) or headed or type_from_shape(short_span.text)
                if not typed:
                    typed = type_from_description(_description_after(doc, short_span))
                if not typed and all(t.text[:1].isupper() or t.is_stop or t.text == "-" for t in long_span):
                    typed = ("Method", "default:method")  # "Asymmetric Time Intervals (ATI)": a named technique
                if not typed:
                    continue
                entity_type, cue, confidence = typed[0], "acronym", 0.75 if typed[1] != "default:method" else 0.6
            if not _covered(doc, long_span.start, long_span.end):
                self._add(doc, long_span, entity_type, cue, confidence)
            texts = doc_view(doc).texts
            found = sorted([*_positions(texts, definition.short, 0, len(texts)),
                            *_positions(texts, definition.short + "s", 0, len(texts))])
            for i in found:
                if not _covered(doc, i, i + 1):
                    self._add(doc, doc[i : i + 1], entity_type, cue, confidence)

    def _proposals(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        """Names after "we propose / introduce / present" and "called / named / dubbed"."""
        view = doc_view(doc)
        text = doc_view(doc).text
        for match in _proposal_verbs(text, title.end_char):
            subject = _PROPOSAL_SUBJECT.search(text, max(0, match.start() - 40), match.start())
            token_index = view.token_at_char(match.end())
            if token_index is None:
                continue
            sentence = view.sentence_at(token_index)
            coordinated = subject is None
            if coordinated:
                # "we investigate attention mechanisms and present triplet attention": the subject of
                # the first verb is the subject of the second.
                subject = _COORDINATED_VERB.search(text, max(sentence.start_char, match.start() - 30), match.start()) \
                    and _SENTENCE_SUBJECT.match(text, sentence.start_char, match.start())
                if not subject:
                    continue
            name = self._proposed_name(doc, token_index, sentence, title)
            if name is None:
                continue
            if coordinated and name.text.islower() and not set(fold_words(name.text).split()) <= set(fold_words(title.text).split()):
                continue  # "… and propose a simple and effective asymmetric architecture" describes
            if _NAMED_NEXT.match(text, name.end_char):
                continue  # "a novel unified VS architecture, namely UniVS": the name follows
            conjunction = next((k for k in range(name.start + 1, name.end - 1) if view.lowers[k] == "and"), None)
            if conjunction is not None:
                name = doc[name.start : conjunction]  # "X and Y": two proposals, the second found below
            verb_start = view.token_at_char(subject.start()) or sentence.start
            entity_type, cue, confidence = type_new_name(doc, name, extra_context=doc[verb_start : name.start].text, lookup=self.lookup)
            if cue.startswith("default"):
                described = _described_in_abstract(doc, name, title)
                if described:
                    entity_type, cue = described
            # "a ranking algorithm, Generalized Weighted Page Rank": the description names nothing,
            # the name after it does.
            if not describes_a_kind(name.text):
                if not _covered(doc, name.start, name.end):
                    self._add(doc, name, entity_type, "proposal", max(confidence, 0.7))
                proposals.append(name.text)
            # "namely Self-Conditioning and Asymmetric Time Intervals": the next conjunct too.
            following = name.end
            if following + 1 < sentence.end and view.texts[following] in ("and", ","):
                second = name_run(doc, following + 1, sentence.end)
                if second is not None and not is_generic_name(second.text):
                    if not _covered(doc, second.start, second.end):
                        self._add(doc, second, entity_type, "proposal", max(confidence, 0.7))
                    proposals.append(second.text)
        # Most abstracts name nothing this way: a substring test skips the regex.
        naming = any(word in text for word in _NAMING_WORDS)
        for match in _NAMING_WORD.finditer(text, title.end_char) if naming else ():
            token_index = view.token_at_char(match.end())
            if token_index is None:
                continue
            sentence = view.sentence_at(token_index)
            if doc[token_index].text in ('"', "“", "'"):
                token_index += 1
            name = name_run(doc, token_index, sentence.end)
            if name is None:
                continue
            before = text[sentence.start_char : match.start()]
            if match.group().startswith("namely"):
                if _covered(doc, name.start, name.start + 1) or not _PROPOSAL_VERB.search(before):
                    continue  # "namely Self-Conditioning and …" was found with its verb; "three datasets, namely …" lists
                name = next((doc[name.start : k] for k in range(name.start + 1, name.end) if view.lowers[k] == "and"), name)
            entity_type, cue, confidence = type_new_name(doc, name, extra_context=before, lookup=self.lookup)
            if not _covered(doc, name.start, name.end):
                self._add(doc, name, entity_type, "proposal", max(confidence, 0.7))
            if _WE.search(before) and not _EXISTING_WORK.search(before[-60:]):
                proposals.append(name.text)

    def _our_appositive(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        """A name set beside "our approach": "Our approach, BigBiGAN, builds upon BigGAN"."""
        view = doc_view(doc)
        lowers = view.lowers
        ours = list(_positions(lowers, "our", title.end, len(lowers) - 1))
        for i in ours:
            # "Our approach, X", "our new model, X": at most two words before the kind.
            kind = next((k for k in range(i + 1, min(i + 4, len(lowers) - 2)) if lowers[k] in _OUR_KINDS), None)
            if kind is None or lowers[kind + 1] != "," or any(not doc[k].is_alpha and lowers[k] != "-"
                                                                 for k in range(i + 1, kind)):
                continue
            first = kind + 2
            sentence = view.sentence_at(first)
            name = name_run(doc, first, sentence.end)
            if name is None or is_generic_name(name.text) or name.end >= sentence.end or view.texts[name.end] not in (",", "("):
                continue  # the name must end where the aside does: "Our approach, BigBiGAN, builds …"
            entity_type, cue, confidence = type_new_name(doc, name, extra_context=doc[i : kind + 1].text, lookup=self.lookup)
            if not _covered(doc, name.start, name.end):
                self._add(doc, name, entity_type, "proposal", max(confidence, 0.7))
            proposals.append(name.text)
        # "our MixNet-L achieves …", "Our ConvFirst model", "our base and large-scale ShuffleMamba models":
        # a name the paper calls its own. Known names stay someone else's ("our ResNet-50 baseline").
        for i in ours:
            k = i + 1
            while k < len(lowers) and k - i <= 5 and (lowers[k] in DESCRIBING_WORDS or lowers[k] in _SIZE_WORDS
                                                        or lowers[k] in ("and", "-") or lowers[k - 1] == "-"):
                k += 1  # "our base and large-scale ShuffleMamba models"
            if k >= len(lowers) or not is_name_like(doc[k]):
                continue
            name = name_run(doc, k, view.sentence_at(k).end)
            if name is None:
                continue
            # The name alone: not "DCM dataset", "KPA and TPA", "EfficientSAMs with SAMI-pretrained".
            end = next((j for j in range(name.start + 1, name.end) if lowers[j] in NAME_CONNECTORS and lowers[j] != "-"
                        or doc[j].is_lower and lowers[j - 1] != "-"), name.end)
            name = doc[name.start : end]
            if is_generic_name(name.text) or name.text.endswith(("-based", "-like", "-style")) \
                    or _type_of_covering_span(doc, name.start, name.end):
                continue
            if _covered(doc, name.start, name.end):
                continue  # proposed already, maybe with its kind: "DCM dataset"
            # The kind after the name types it: "our KPA benchmark" is a dataset.
            kind = _CONTEXT_NOUNS.get(lowers[name.end]) if name.end < len(lowers) else None
            entity_type, cue, confidence = (kind, f"context:{lowers[name.end]}", 0.7) if kind else \
                type_new_name(doc, name, lookup=self.lookup)
            if not _covered(doc, name.start, name.end):
                self._add(doc, name, entity_type, "proposal", max(confidence, 0.7))
            proposals.append(name.text)

    def _we_call(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        """Names given with "we call/name … X": the words before X describe it ("our models")."""
        view = doc_view(doc)
        lowers = view.lowers
        for match in _WE_CALL.finditer(doc_view(doc).text, title.end_char):
            first = view.token_at_char(match.end())
            if first is None:
                continue
            sentence = view.sentence_at(first)
            for i in range(first, min(sentence.end, first + 8)):
                token = doc[i]
                if token.text in ('"', "“", "'", "‘"):
                    continue
                if token.text == "-":
                    break  # a name does not start inside a hyphenated word ("multi-axis")
                lower_name = None
                if token.is_lower and (i == first or lowers[i - 1] not in ("our", "the", "this", "these", "it", "them")):
                    lower_name = lowercase_name(doc, i, sentence.end)
                if lower_name is not None or is_name_like(token) or is_capitalised_word(token):
                    name = lower_name or name_run(doc, i, sentence.end)
                    if name is None or is_generic_name(name.text):
                        break
                    typed = type_from_description("a " + doc[first:i].text) or type_from_shape(name.text)
                    entity_type, cue = typed if typed else ("Method", "default:method")
                    if not _covered(doc, name.start, name.end):
                        self._add(doc, name, entity_type, "proposal", 0.8)
                    proposals.append(name.text)
                    break

    def _innovations(self, doc: Doc, title: Span, proposals: list[str]) -> None:
        """Names a paper lists as its contributions: "two core innovations: (1) neuron-level temporal
        processing …; and (2) neural synchronization", "a core innovation is our use of X"."""
        view = doc_view(doc)
        lowers = view.lowers
        if "nnovation" not in view.text and "ovelt" not in view.text:
            return  # the regex has no literal start; most abstracts name no innovation
        for match in _INNOVATION.finditer(view.text, title.end_char):
            first = view.token_at_char(match.end())
            if first is None:
                continue
            limit = min(len(doc), first + 80)
            starts = [k + 3 for k in range(first, limit - 3)
                      if lowers[k] == "(" and lowers[k + 1] in _ENUMERATORS and lowers[k + 2] == ")"]
            if not starts:
                k = first
                while k < min(len(doc), first + 6) and lowers[k] in _INNOVATION_LEADS:
                    k += 1
                starts = [k] if k > first else []
            for start in starts:
                sentence_end = view.sentence_at(min(start, len(doc) - 1)).end
                end = next((j for j in range(start, sentence_end) if lowers[j] in (",", ";", "(", ":", ".")), sentence_end)
                # "neural synchronization employed as …": the name stops before a participle.
                end = next((j for j in range(start + 1, end) if lowers[j].endswith("ed") and doc[j].is_lower), end)
                name = _listed_lowercase_name(doc, start, end) if doc[start].is_lower else name_run(doc, start, end)
                if name is None or is_generic_name(name.text):
                    continue
                entity_type, cue, confidence = type_new_name(doc, name, lookup=self.lookup)
                if not _covered(doc, name.start, name.end):
                    self._add(doc, name, entity_type, "contribution", max(confidence, 0.7))
                proposals.append(name.text)

    def _proposed_name(self, doc: Doc, index: int, sentence: Span, title: Span) -> Span | None:
        lowers = doc_view(doc).lowers
        # "two simple techniques, namely X": the name follows "namely".
        for k in range(index, min(sentence.end, index + 8)):
            if lowers[k] in ("namely", "i.e.", "dubbed", "called", "named"):
                # Only after words that describe ("two simple techniques, namely"): in "a frequency
                # ramp structure, i.e. more mixers …" the name came first.
                if lowers[k] in ("dubbed", "called", "named") or all(
                    w in _LEADING_FILLERS or w in _GENERIC_PLURALS or w in (",", "(") for w in lowers[index:k]
                ):
                    index = k + 1
                break
        while index < sentence.end and doc[index].lower_ in _LEADING_FILLERS:
            index += 1
        if index >= sentence.end:
            return None
        named = name_run(doc, index, sentence.end)
        if named is not None and not _modifies_a_noun(doc, named, sentence):
            return named
        # "we propose a framework, called X" / "a new loss (X)" within the next few words.
        window_end = min(sentence.end, index + 10)
        for i in range(index, window_end):
            token = doc[i]
            if token.text == "(" and i + 1 < sentence.end and is_name_like(doc[i + 1]):
                # "a new loss (X)" names the loss; "a pipeline to turn Stable Diffusion (SD) into …"
                # brackets what the pipeline acts on.
                if any(doc[j].is_stop for j in range(index, i)):
                    return None
                return name_run(doc, i + 1, sentence.end) or doc[i + 1 : i + 2]  # "(CKT-MHA)" whole
            if token.lower_ in ("called", "named", "dubbed", "termed") and i + 1 < sentence.end:
                return name_run(doc, i + 1, sentence.end)
            if token.text in (",", ":") and i > index and i + 1 < sentence.end and (
                    is_name_like(doc[i + 1]) or is_capitalised_word(doc[i + 1])):  # "Binary-Weight-Networks"
                # "a family of ResNet architectures, ResNet-RS, which …", "two approximations to CNNs:
                # Binary-Weight-Networks and XNOR-Networks": the name set beside its description.
                stop = next((j for j in range(i + 2, sentence.end) if doc[j].lower_ in ("and", ",")), sentence.end)
                named = name_run(doc, i + 1, stop)  # one name of a list: "A and B" are two
                if named is not None and (named.end == sentence.end or doc[named.end].lower_ in _APPOSITION_ENDS) \
                        and (is_name_like(doc[i + 1]) or "-" in named.text
                             and not _type_of_covering_span(doc, named.start, named.end)):
                    return named
        return lowercase_proposal(doc, index, window_end, title)

    def _repeat_discovered_names(self, doc: Doc) -> None:
        """Mark every other occurrence of a name found once: "Scale-MAE" in the title and the abstract."""
        bounds = list(span_bounds(doc))
        lowers = doc_view(doc).lowers
        occupied: dict[int, int] = {}
        for start, end, _, _ in bounds:
            for i in range(start, end):
                occupied[i] = max(occupied.get(i, 0), end - start)
        discovered: dict[tuple[str, ...], tuple[int, int, str, float]] = {}
        confidences = {(s.start, s.end, s.label_): span_confidence(s) for s in kg_spans(doc) if span_cue(s) != "vocabulary"}
        for start, end, label, cue in bounds:
            words = tuple(lowers[start:end])
            if cue != "vocabulary" and sum(len(w) for w in words) > 2:
                discovered.setdefault(words, (start, end, label, confidences.get((start, end, label), 0.6)))
        for words, (span_start, _, label, confidence) in discovered.items():
            length = len(words)
            first = words[0]
            for start in _positions(lowers, first, 0, len(lowers) - length + 1):
                if start == span_start:
                    continue
                if tuple(lowers[start : start + length]) != words:
                    continue
                if any(occupied.get(i, 0) >= length for i in range(start, start + length)):
                    continue
                self._add(doc, doc[start : start + length], label, "repeat", confidence)
                for i in range(start, start + length):
                    occupied[i] = length

    def _listed_items(self, doc: Doc) -> None:
        """The items of a list introduced by a kind: "tasks, including sorting, parity computation
        and question-answering", "prediction tasks (e.g. forest cover, house price)", "methods such
        as DINO and PAWS", "visualization methods, including Activation Maximization, …".

        The list ends with its sentence, a bracket, or the item after "and"/"or". A task item is
        a lower-case phrase of one to four words; one word only when it names an activity
        ("sorting", "navigation", not the "panoptic" of "panoptic, semantic and instance
        segmentation"). Items of other kinds must be names ("PAWS", "Network Dissection"). An item
        the vocabulary reads keeps its reading, and a list that starts with a name of another
        type ("tasks like ImageNet") is no list of that kind."""
        view = doc_view(doc)
        lowers = view.lowers
        # The kinds picked in C, one pass over the words.
        title_end = view.sentences[0].end if view.sentences else 0
        for i in compress(range(len(lowers) - 2), map(_LIST_NOUNS.__contains__, lowers)):
            if i < title_end:
                continue  # "… Datasets: Filtering …" in a title is no list
            items = _list_after(view, i)
            if items:
                self._add_listed(doc, items, _LIST_NOUNS[lowers[i]])

    def _add_listed(self, doc: Doc, items: list[tuple[int, int]], entity_type: EntityType) -> None:
        view = doc_view(doc)
        texts, lowers = view.texts, view.lowers
        bounds = span_bounds(doc)
        for n, (start, end) in enumerate(items):
            covering = [label for s, e, label, _ in bounds if s < end and start < e]
            if n == 0 and covering and entity_type not in covering:
                break  # "tasks like ImageNet": examples of data, not of tasks
            words = [w for w in lowers[start:end] if w != "-"]
            if entity_type != "Task":
                # A name, maybe with what it is for: "two datasets: ImageNet1K for image classification and
                # SHIFT for semantic segmentation".
                name = name_run(doc, start, end)
                if name is not None and (name.end == end or lowers[name.end] in _ITEM_PURPOSES) \
                        and not any(s < name.end and name.start < e for s, e, _, _ in bounds) \
                        and not is_generic_name(name.text) and not _VERSION_ONLY.match(name.text):
                    self._add(doc, name, entity_type, f"listed-{entity_type.lower()}", 0.6)  # not "V2" alone
                    continue
                if covering:
                    continue
            if any(w in _STOP_WORDS or w in _NOT_LIST_WORDS for w in words):
                break  # a clause, not an item: "…, thanks to their high resolution", "…, but struggle to"
            if covering or not 1 <= len(words) <= 4 or entity_type != "Task":
                continue  # read already
            if any(not (w.isalpha() and w.islower()) for w in words):
                continue  # no plain phrase: "solving 2D mazes"
            headed = type_from_head_word(words[-1])
            if is_generic_name(words[-1]) or (headed and headed[0] != "Task") or _describes(words[-1]):
                continue  # "feature extraction methods", "robotic images", the "semantic" of "semantic and
                # instance segmentation"
            if (len(words) == 1 or texts[end - 2] == "-" and end - start == 3) \
                    and not words[-1].endswith(_ACTIVITY_ENDINGS):
                continue  # "few-shot", "image-level"
            self._add(doc, doc[start:end], "Task", "listed-task", 0.6)

    def _lowercase_chain_name(self, doc: Doc, i: int) -> Span | None:
        """A model named by a chain of lower-case words glued to a model class: "transformer-based-GAN",
        "diffusion-super-resolution-GAN" (three parts or more, the last a known network)."""
        view = doc_view(doc)
        texts, starts = view.texts, view.char_starts
        start = i
        while start >= 2 and texts[start - 1] == "-" and starts[start - 2] + len(texts[start - 2]) == starts[start - 1] \
                and starts[start - 1] + 1 == starts[start]:
            start -= 2
        parts = texts[start : i + 1 : 2]
        if len(parts) < 2 or not all(p.isalpha() and p.islower() for p in parts) or (
                texts[i + 2] not in MODEL_CLASS_NAMES and texts[i + 2] not in ("GAN", "GANs", "VAE", "VAEs")):
            return None
        return doc[start : i + 3]

    def _hyphenated_names(self, doc: Doc) -> None:
        """Names the tokenizer split at a hyphen: "LV-ViT", "T2T-ViT", "PIIP-LLaVA" are one name.

        Typed by the shape of the whole, else by the part the vocabulary knows
        ("ViT" makes "LV-ViT" an Architecture)."""
        view = doc_view(doc)
        texts, starts = view.texts, view.char_starts
        i = 0
        while i + 2 < len(texts):
            try:  # only a word before a "-" can start such a name
                i = texts.index("-", i + 1, len(texts) - 1) - 1
            except ValueError:
                break
            glued = texts[i + 1] == "-" and starts[i] + len(texts[i]) == starts[i + 1] and starts[i + 1] + 1 == starts[i + 2]
            if not (glued and is_name_like_text(texts[i + 2])):
                i += 1
                continue
            # A prefix that is no name of its own ("C-LSTM", "Point-BERT", "Pose-AffectNet") names a
            # variant of the known part: typed by that part only.
            by_part_only = not is_name_like_text(texts[i])
            if by_part_only and not _is_variant_prefix(texts[i]):
                chain = self._lowercase_chain_name(doc, i)
                if chain is not None:
                    self._add(doc, chain, "Architecture", "hyphenated:chain", 0.65)
                i += 1
                continue
            end = i + 3
            while end + 1 < len(texts) and texts[end] == "-" and starts[end - 1] + len(texts[end - 1]) == starts[end] \
                    and is_name_like_text(texts[end + 1]):
                end += 2
            if all(texts[k] in MODEL_CLASS_NAMES for k in range(i, end, 2)):
                i = end  # a hybrid of model classes names both classes: "CNN-ViT", "CNN-Transformer"
                continue
            name = doc[i:end]
            typed = type_from_shape(name.text) if not by_part_only else None
            if typed is None:
                part = _type_of_covering_span(doc, end - 1, end)
                if not by_part_only:
                    part = part or _type_of_covering_span(doc, i, i + 1)
                typed = (part, "part") if part in ("Architecture", "Dataset") else None
            if typed and not any(s <= i and end <= e and (e - s) > (end - i) or by_part_only and (s, e) == (i, end)
                                 for s, e, _, _ in span_bounds(doc)):
                self._add(doc, name, typed[0], f"hyphenated:{typed[1]}", 0.65)
            i = end

    def _versioned_names(self, doc: Doc) -> None:
        """A name and the version after it are one name: "data2vec 2.0", "DC-AE 1.5", "Wu Dao 2.0"."""
        view = doc_view(doc)
        texts = view.texts
        for start, end, label, _ in list(span_bounds(doc)):
            if label not in ("Method", "Architecture", "Dataset") or end >= len(texts) or not _VERSION.match(texts[end]):
                continue
            following = texts[end + 1] if end + 1 < len(texts) else ""
            if "." in texts[end] and (following[:1].isupper() or following[:1].isdigit() or following.lower() in _VALUE_WORDS
                                      or any(s == end + 1 and lab == "Metric" for s, _, lab, _ in span_bounds(doc))):
                continue  # "Swin-T 1.2 AP", "ResNet-50 1.5 points", "ResNet-50 7.5 %": a value, not a version
            if not _covered(doc, start, end + 1):
                self._add(doc, doc[start : end + 1], label, "version", 0.8)  # type: ignore[arg-type]

    def _typed_contexts(self, doc: Doc) -> None:
        self._hyphenated_names(doc)
        self._versioned_names(doc)
        spans = kg_spans(doc)
        doc_text = doc_view(doc).text
        covered = set()
        known_names: dict[str, EntityType] = {}
        typed_at: dict[int, EntityType] = {}
        # A title that says its name is a dataset ("MVHumanNet: A Large-scale Dataset of …") types the
        # name's other mentions, however the name ends.
        found_names = {doc_text[s.start_char : s.end_char]: s.label_ for s in spans
                       if len(s) == 1 and s.label_ == "Dataset" and span_cue(s) == "title-prefix"}
        for span in spans:
            covered.update(range(span.start, span.end))
            if span.label_ in ("Architecture", "Method"):
                known_names.setdefault(doc_text[span.start_char : span.end_char].lower(), span.label_)  # type: ignore[arg-type]
            if span.label_ in ("Dataset", "Architecture"):
                for i in range(span.start, span.end):
                    typed_at.setdefault(i, span.label_)  # type: ignore[arg-type]
        words = doc_view(doc).texts
        lookup = self.lookup
        # Only name-like words can be typed here: the test runs in C over all words first.
        for i in compress(range(len(words)), map(NAME_LIKE.__getitem__, words)):
            if i in covered:
                continue
            text = words[i]
            if doc[i].like_url:
                continue
            single = doc[i : i + 1]
            # Only spellings a separator could hide in: digits or inner capitals ("ImageNet1k", "SDXL").
            entry = lookup(text) if lookup is not None and (_HAS_DIGIT_OR_INNER_CAPITAL.search(text)) else None
            if entry is not None and text.endswith("S") and not _spells(entry, text):
                entry = None  # a capital "S" is a letter of the name, no plural: "I3DS" is not I3D
            if entry is not None:
                # A known name written without its separators: "ImageNet1k", "CIFAR10".
                span = Span(doc, i, i + 1, label=entry.type, kb_id=entry.name)
                add_span(doc, span, cue="vocabulary:folded", confidence=0.9)
                covered.add(i)
                typed_at.setdefault(i, entry.type)
                continue
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            if following in _CONTEXT_NOUNS:
                self._add(doc, single, _CONTEXT_NOUNS[following], f"context:{following}", 0.7)
                covered.add(i)
                continue
            variant = _SIZE_SUFFIX.match(text) or _NUMBERED_VARIANT.match(text)
            if variant and variant.group(1).lower() in known_names:
                self._add(doc, single, known_names[variant.group(1).lower()], "variant", 0.7)
                covered.add(i)
                continue
            if text in found_names:
                self._add(doc, single, found_names[text], "repeat", 0.7)  # type: ignore[arg-type]
                covered.add(i)
                continue
            shaped = type_from_shape(text)
            if not shaped and _SIZE_SUFFIX.match(text) and is_name_like_text(_SIZE_SUFFIX.match(text).group(1)):
                shaped = ("Architecture", "shape:size-variant")  # "SiT-XL", "DeiT-Ti": a model's size
            if shaped:
                self._add(doc, single, shaped[0], shaped[1], 0.6)
                covered.add(i)
                typed_at.setdefault(i, shaped[0])  # a list can continue from it: "ZapViT and Blorp-3"
                continue
            listed = type_from_list(words, i, typed_at)
            if listed:
                self._add(doc, single, listed, "list", 0.55)
                covered.add(i)
                typed_at.setdefault(i, listed)


# A name that only says what something else is built on: "a transformer-based decoder".
_BASED_CONFIDENCE = 0.3


def _weaken_based_modifiers(doc: Doc) -> None:
    """Weaken each lower-case mention written as "x-based": it describes another thing ("a
    transformer-based decoder", "diffusion-based editing"), so it names an entity of the paper
    only where another mention does too. (Weak mentions are left out of the graph.) A name
    keeps its weight: "CLIP-based detectors" use CLIP, the model."""
    view = doc_view(doc)
    lowered = view.text.lower()
    if "-based" not in lowered and "-free" not in lowered:
        return  # most abstracts: no span to look at
    texts, starts = view.texts, view.char_starts
    for span in kg_spans(doc):
        end = span.end
        if end + 1 < len(texts) and texts[end] == "-" and starts[end] == span.end_char and starts[end + 1] == starts[end] + 1 \
                and (texts[end + 1].lower() == "based" and span.text.islower() or texts[end + 1].lower() == "free"):
            span._.kg_confidence = _BASED_CONFIDENCE  # and "Backpropagation-free": what the work does without


@Language.factory(
    "kg_discovery",
    requires=["token.is_sent_start", "doc._.kg_acronyms"],
    assigns=["doc.spans", "doc._.kg_proposals"],
)
def make_name_discoverer(nlp: Language, name: str):
    return NameDiscoverer(nlp)
