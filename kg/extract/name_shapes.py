"""The shapes of names: which words look like a proper ML name, and how far a name runs.

Pure functions on tokens and strings, shared by the discovery component.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.extract.compounds import DESCRIBING_PARTS, DESCRIBING_WORDS, DIMENSION_WORDS, KIND_NOUNS
from kg.records import EntityType

# Words too general to be a paper's named contribution.
GENERIC_WORDS = {
    "deep", "learning", "machine", "neural", "network", "networks", "model", "models", "image", "images",
    "data", "training", "new", "novel", "method", "approach", "framework", "algorithm", "architecture",
    "dataset", "system", "vision", "computer", "artificial", "intelligence", "visual",
}
# Words a multi-word name may hold between its capitalised words: "Tanks and Temples".
NAME_CONNECTORS = {"-", "of", "for", "and", "with", "'", "n'", "&", "in", "on", "to"}
# Capitalised or digit-bearing words that are not ML names.
NOT_NAMES = {
    "AI", "ML", "DL", "I", "II", "III", "IV", "GPU", "GPUs", "CPU", "CPUs", "TPU", "TPUs", "US", "UK", "EU", "SOTA",
    "API", "APIs", "RGB", "RGBD", "HD", "FP16", "FP32", "OK", "MB", "GB", "TB", "K", "M", "B", "X", "Y",
    "2D", "3D", "4D", "1D", "ID", "IDs", "URL", "PDF", "ACM", "IEEE", "CVPR", "ICCV", "ECCV", "NeurIPS",
    "ICML", "ICLR", "AAAI", "arXiv", "GitHub", "Github", "PyTorch", "TensorFlow", "JAX", "Python",
    "RAM", "vs", "Fig", "Table", "Sec", "Eq", "iPhone", "Android", "Google", "Meta", "Microsoft",
    "OpenAI", "NVIDIA", "Nvidia", "MLPerf", "LaTeX", "Adobe", "HuggingFace",
    # Sensors and imaging modalities: what data comes from, not a method, model or dataset.
    "LiDAR", "LIDAR", "Lidar", "IMU", "IMUs", "MRI", "fMRI", "EEG", "ECG", "GPS", "HMD", "HMDs", "RGB-D", "CT", "VL",
}
# Broad model classes written as one word: joined by hyphens they describe a hybrid of the
# classes ("a CNN-ViT network"), not a new name as "LV-ViT" or "MLP-Mixer" are.
MODEL_CLASS_NAMES = frozenset(
    "CNN CNNs ConvNet ConvNets ViT ViTs Transformer Transformers RNN RNNs LSTM LSTMs GRU MLP MLPs GNN GNNs GCN".split()
)
NOT_IN_NAMES = set("()[]{}<>\"“”‘’;,|\\")
# Head nouns that make a lower-case proposal a name of its own: "interval update algorithm".
NAMING_HEADS = {
    "algorithm", "strategy", "layer", "attention", "embedding", "loss", "module", "mechanism", "scheme",
    "scaling", "labeling", "labelling", "structure", "interaction", "consistency", "regularization",
    "regularizer", "objective", "sampler", "block", "transformation", "transformations", "controller",
    "meta-controller", "operator", "encoder", "decoder", "head", "heads", "latents", "tokenizer", "network",
    "architecture", "dataset", "benchmark", "metric", "distillation", "augmentation", "pooling", "mixer",
    "synchronization", "processing", "compression", "pruning", "normalization", "initialization",
    "framework", "scan",
}


def is_name_like(token: Token) -> bool:
    """True for tokens shaped like a proper ML name: "InceptionNeXt", "CAF", "KonIQ-10k".

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [is_name_like(t) for t in nlp("we use SBCFormer and CAF on KonIQ-10k in 2D")]
    [False, False, True, False, True, False, True, False, False]
    """
    return is_name_like_text(token.text)


def is_name_like_text(text: str) -> bool:
    """``is_name_like`` on a token's text (from a table: the same words recur across abstracts)."""
    return NAME_LIKE[text]


class _NameLikeTable(dict):
    """Word → is it name-like, filled on first sight; a plain dict lookup is several
    times cheaper than an lru_cache call, and ``map(NAME_LIKE.__getitem__, words)`` runs in C."""

    def __missing__(self, text: str) -> bool:
        if len(self) > 200_000:
            self.clear()
        value = self[text] = _is_name_like_text(text)
        return value


NAME_LIKE = _NameLikeTable()


def _is_name_like_text(text: str) -> bool:
    if len(text) < 2 or text in NOT_NAMES or not any(c.isalpha() for c in text):
        return False
    if any(c in NOT_IN_NAMES for c in text):
        return False  # "GAN)-based", "HyperZ{cdot": glued punctuation or markup, not a name
    if "://" in text or text.startswith("www.") or "." in text[1:-1] and "/" in text:
        return False
    if text.isupper() and sum(c.isalpha() for c in text) >= 2:
        return True
    if any(c.isupper() for c in text[1:]) and any(c.islower() for c in text):
        return True
    return any(c.isdigit() for c in text) and text[0].isalpha()


def is_capitalised_word(token: Token) -> bool:
    return token.text[:1].isupper() and token.is_alpha and not token.like_url


def is_generic_name(text: str) -> bool:
    """True when every word of a name is a general ML word: "Deep Learning", "learning algorithm"."""
    words = re.findall(r"[a-z]+", text.lower())
    return bool(words) and all(w in GENERIC_WORDS for w in words)


# Heads that say what kind of thing a two-word phrase describes: "a Bayesian approach".
# (a model or a system can also modify a noun: "model compression", so they are kinds only as heads)
_KIND_HEADS = KIND_NOUNS | {"model", "system", "solution"}


def describes_a_kind(text: str) -> bool:
    """True for an adjective and a kind, which describe rather than name: "Bayesian approach",
    "novel framework" (but "CoVR framework", with a name-like first word, names one).

    >>> describes_a_kind("Bayesian approach"), describes_a_kind("CoVR framework"), describes_a_kind("Matryoshka")
    (True, False, False)
    """
    words = text.split()
    return len(words) == 2 and words[1].lower() in _KIND_HEADS and words[0].isalpha() and not NAME_LIKE[words[0]]


def fold_words(text: str) -> str:
    """Lower-case words joined by single spaces, hyphens and plurals folded: for phrase comparison."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def name_run(doc: Doc, start: int, limit: int) -> Span | None:
    """The proper name starting at token ``start``: capitalised or name-like words and connectors."""
    end = start
    while end < limit:
        token = doc[end]
        if is_name_like(token) or is_capitalised_word(token) or (token.text[:1].isupper() and "-" in token.text):
            end += 1
        elif token.text in NAME_CONNECTORS and end > start and end + 1 < limit and (
            is_name_like(doc[end + 1]) or is_capitalised_word(doc[end + 1])
        ):
            end += 1
        elif token.text == "-" and end > start and end + 1 < limit and (
            doc[end - 1].text[:1].isupper() or doc[end - 1].is_digit
        ) and doc[end + 1].is_alpha and not doc[end - 1].whitespace_ and not token.whitespace_:
            end += 2  # a glued hyphen joins ("Multi-Scale"); a spaced one is a dash ("ACEv2 - an …")
        else:
            break
    while end > start and doc[end - 1].text in NAME_CONNECTORS:
        end -= 1
    while end < limit and end > start and doc[end].lower_ in NAMING_HEADS and doc[end].is_lower:
        end += 1  # "Inception mixer", "Gramian attention heads"
    if end == start or end - start > 8:
        return None
    return doc[start:end]


def type_from_list(words: list[str], i: int, typed_at: dict[int, EntityType]) -> EntityType | None:
    """The type of typed names coordinated with word ``i``: "ConvNeXt-B, FasterViT and LongViT"."""
    for direction in (-1, 1):
        k = i + direction
        if 0 <= k < len(words) and words[k] in (",", "and", "or", "/"):
            j = k + direction
            if 0 <= j < len(words) and words[j] in ("and", "or") and direction == 1:
                j += direction
            if j in typed_at and not (direction == -1 and words[k] == "," and not _ends_list_item(words, i)):
                return typed_at[j]
    return None


_LIST_ITEM_ENDS = {",", "and", "or", "/", ")", ".", ";", ":", "as", "in", "on", "for", "with"}


def _ends_list_item(words: list[str], i: int) -> bool:
    """True when the word after ``i`` lets it be an item of a list: "A, B and C", "A, B)".
    "On COCO-30k, InstaFlow yields …" puts a subject after a comma, not a list."""
    return i + 1 >= len(words) or words[i + 1] in _LIST_ITEM_ENDS


def lowercase_name(doc: Doc, index: int, limit: int) -> Span | None:
    """A lower-case name of two to five words: "multi-axis attention" in "we call multi-axis attention"."""
    end = index
    while end < limit and end - index < 7 and (doc[end].text == "-" or (doc[end].is_alpha and not doc[end].is_stop)):
        end += 1
    while end > index and doc[end - 1].text == "-":
        end -= 1
    words = [t for t in doc[index:end] if t.text != "-"]
    return doc[index:end] if 2 <= len(words) <= 5 else None


_EVALUATIVE = {"simplified", "theoretical", "principled", "holistic", "systematic", "elegant", "innovative", "improved"}


def lowercase_proposal(doc: Doc, index: int, limit: int, title: Span) -> Span | None:
    """A lower-case proposed name: one the title repeats ("multi-sample dropout") or one that
    ends in a naming head noun ("an interval update algorithm", "a hard sampling strategy")."""
    # "a simplified theoretical framework" names no framework; a describing word that is half of a
    # hyphenated word stays with it ("open-vocabulary", "large-scale": a generic name is caught below).
    while index < limit and (doc[index].lower_ in DESCRIBING_WORDS or doc[index].lower_ in _EVALUATIVE) \
            and not (index + 1 < limit and doc[index + 1].text == "-"):
        index += 1
    end = index
    if end < limit and doc[end].lower_ in DIMENSION_WORDS:
        end += 1  # "1D binary image latents", "3D Gaussian splatting": the dimension is part of the name
    while end < limit and (doc[end].text == "-" or (doc[end].is_alpha and not doc[end].is_stop and not doc[end].is_punct)):
        end += 1
    while end > index and doc[end - 1].text == "-":
        end -= 1
    if end - index < 2:
        return None
    candidate = doc[index:end]
    title_words = {t.lower_ for t in title}
    if all(t.lower_ in title_words for t in candidate if t.text != "-") and not is_generic_name(candidate.text):
        return candidate  # the title names it too ("multi-sample dropout"); "image dataset" names nothing
    for head in range(end - 1, index, -1):
        if doc[head].lower_ in NAMING_HEADS:
            phrase = doc[index : head + 1]
            if sum(1 for t in phrase if t.text != "-") >= 2 and not is_generic_name(phrase.text) \
                    and not _only_describes(phrase.text):
                return phrase
    return None


def _only_describes(text: str) -> bool:
    """True for a phrase of describing words and a naming head: "large-scale dataset",
    "high-quality benchmark" say what a name is, not what it is called."""
    *modifiers, _ = re.findall(r"[a-z]+", text.lower())
    describing = [w in DESCRIBING_WORDS or w in DESCRIBING_PARTS for w in modifiers]
    return any(describing) and all(d or w in GENERIC_WORDS for d, w in zip(describing, modifiers))
