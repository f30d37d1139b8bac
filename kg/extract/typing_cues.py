"""Typing unknown names from context: which words around or inside a name tell its type.

Pure functions on strings; each returns the type and the cue that decided
it, so every typed mention can say why it got its type.
"""

from __future__ import annotations

import re

from kg.records import EntityType

# Head nouns of a descriptive phrase ("a novel framework", "a new benchmark").
_HEAD_TYPES: dict[str, EntityType] = {}
for _type, _words in {
    "Architecture": "network networks net nets architecture architectures backbone backbones model models "
    "transformer transformers encoder encoders decoder detector detectors generator vit vits cnn cnns "
    "family llm llms mllm vlm",
    "Method": "framework frameworks method methods approach approaches technique techniques algorithm "
    "algorithms strategy strategies loss objective module modules mechanism mechanisms scheme schemes "
    "paradigm procedure procedures pipeline recipe regularizer regularization augmentation training "
    "learning distillation pretraining pre-training fine-tuning attention convolution pooling "
    "normalization sampling sampler search tuning optimizer optimization layer layers block blocks "
    "operator embedding embeddings encoding flow flows process initialization quantization pruning",
    "Dataset": "dataset datasets benchmark benchmarks database corpus suite collection set challenge",
    "Metric": "metric metrics measure score distance index error accuracy ratio coefficient criterion",
    "Task": "detection segmentation classification recognition estimation generation synthesis "
    "retrieval prediction reconstruction captioning answering translation tracking localization "
    "localisation inpainting editing restoration enhancement compression assessment",
}.items():
    for _word in _words.split():
        _HEAD_TYPES[_word] = _type  # type: ignore[assignment]

# Problem nouns that end a task's own name ("Word Sense Disambiguation", "Entity Linking",
# "Keyword Spotting", "Video Paragraph Grounding"). Only as the last word of a name: in a
# description they often modify the real head ("a music recommendation system").
_NAME_HEAD_TYPES: dict[str, EntityType] = dict(_HEAD_TYPES)
for _word in (
    "understanding disambiguation simplification summarization summarisation extraction categorization "
    "categorisation identification verification parsing tagging labeling labelling linking spotting "
    "completion forecasting grounding recommendation counting navigation super-resolution"
).split():
    _NAME_HEAD_TYPES[_word] = "Task"

# Name endings that say "this is a network": InceptionNeXt, SBCFormer, LBMamba, FastGAN.
_ARCHITECTURE_SHAPE = re.compile(
    r"(Net|NeXt|Nets|Former|former|ViT|ViTs|Mamba|BERT|GPT|GAN|LLaMA|Llama|LM|LMs|Transformer|CNN|RNN|LSTM|Mixer|MLP)"
    r"(-?[A-Z0-9][A-Za-z0-9]*)?(-[A-Za-z0-9]+)?$"
)
_DATASET_SHAPE = re.compile(r"(Bench|Benchmark|Set|Data|DB|MNIST|-\d+[kKM])(-?[A-Za-z0-9]+)?$")
_METRIC_SHAPE = re.compile(r"^(FID|IS|AP|mAP|mIoU|PSNR|SSIM)(\w*)$")


def type_from_head_word(phrase: str) -> tuple[EntityType, str] | None:
    """The type named by the head (last) word of a descriptive phrase.

    >>> type_from_head_word("a simple yet effective framework")
    ('Method', 'head:framework')
    >>> type_from_head_word("Large Reconstruction Model")
    ('Architecture', 'head:model')
    >>> type_from_head_word("Word Sense Disambiguation")
    ('Task', 'head:disambiguation')
    """
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", phrase)
    if not words:
        return None
    head = words[-1].lower()
    found = _NAME_HEAD_TYPES.get(head)
    return (found, f"head:{head}") if found else None


def type_from_shape(name: str) -> tuple[EntityType, str] | None:
    """The type told by a name's own shape: "SBCFormer" is a network, "DPG-Bench" a benchmark.

    >>> type_from_shape("InceptionNeXt"), type_from_shape("KonIQ-10k")
    (('Architecture', 'shape:architecture'), ('Dataset', 'shape:dataset'))
    >>> type_from_shape("Scale-MAE") is None
    True
    """
    last = name.split()[-1] if name.split() else name
    if _METRIC_SHAPE.match(last):
        return ("Metric", "shape:metric")
    if _DATASET_SHAPE.search(last):
        return ("Dataset", "shape:dataset")
    if _ARCHITECTURE_SHAPE.search(last):
        return ("Architecture", "shape:architecture")
    return None


def type_from_description(description: str) -> tuple[EntityType, str] | None:
    """The type given by the phrase that describes a name: ", a novel framework based on …".

    The head of the describing noun phrase decides: the last typed word before
    the phrase ends ("a generalizable 3D Gaussian reconstruction model that …"
    is a model, not a reconstruction).

    >>> type_from_description("a novel framework based on a simple equation")
    ('Method', 'describes:framework')
    >>> type_from_description("a generalizable 3D Gaussian reconstruction model that is capable")
    ('Architecture', 'describes:model')
    >>> type_from_description("a large-scale benchmark for image quality")
    ('Dataset', 'describes:benchmark')
    """
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", description.lower())[:10]
    found: tuple[EntityType, str] | None = None
    for word in words:
        if word in _DESCRIPTION_BREAKS and (found is not None or word == "for"):
            break  # "a proof of concept for image classification" is no classification
        typed = _HEAD_TYPES.get(word)
        if typed:
            found = (typed, f"describes:{word}")
    return found


_DESCRIPTION_BREAKS = {
    "for", "that", "which", "to", "with", "based", "on", "in", "by", "where", "designed", "capable", "using",
    "trained", "built", "and", "of",
}

_PHRASE_BREAKS = {
    "for", "with", "via", "through", "using", "in", "on", "of", "to", "that", "which", "is", "are", "as",
    "by", "from", "towards", "toward", "and", "when", "meets", "improves", "at",
}


def type_from_noun_phrase(phrase: str) -> tuple[EntityType, str] | None:
    """The type named by the head of a phrase's first noun phrase: "Large Reconstruction Model for …".

    >>> type_from_noun_phrase("Long-sequence Large Reconstruction Model for Wide-coverage Gaussian Splats")
    ('Architecture', 'head:model')
    >>> type_from_noun_phrase("Pushing the Limits of Image Generation") is None
    True
    """
    words: list[str] = []
    for word in re.findall(r"[A-Za-z][A-Za-z\-]*", phrase):
        if word.lower() in _PHRASE_BREAKS:
            break
        words.append(word)
    if not words:
        return None
    head = words[-1].lower()
    found = _NAME_HEAD_TYPES.get(head)
    return (found, f"head:{head}") if found else None
