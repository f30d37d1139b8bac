"""Reported results: numbers tied to a metric, a dataset and a subject, as a spaCy component.

"we achieve the new state-of-the-art FID of 3.55 on CIFAR-10" → metric FID,
value 3.55, dataset CIFAR-10, subject the paper's proposal. A number is a
result only when a metric is named close to it; dataset sizes, years and
step counts are left out. Relative gains ("+0.2%", "improves by 4 AP",
"2.6x faster") carry ``relative=True``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import compress

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.doc_view import doc_view
from kg.extract.spans import add_span, ensure_extensions, kg_spans
from kg.records import ResultMention

_NUMBER_STARTS = set("0123456789+-±")


class _NumberStartTable(dict):
    """Token text → may it start a number, filled on first sight: ``map(table.__getitem__, texts)``
    runs in C, where ``str.startswith`` with a tuple tries each of its prefixes."""

    def __missing__(self, text: str) -> bool:
        if len(self) > 200_000:
            self.clear()
        value = self[text] = text[:1] in _NUMBER_STARTS
        return value


_STARTS_NUMBER = _NumberStartTable()
_FRACTION = re.compile(r"^(\d{1,2})/(\d{1,3})$")
# Words before a number that make it an index: "at epoch 10", "layer 4".
_COUNTED_BY = {"epoch", "epochs", "iteration", "iterations", "step", "steps", "layer", "layers", "stage", "round", "level"}
# Capitalised words a value may follow: "FID 3.55", "Top-1 80.1".
_METRIC_LIKE_WORDS = {"FID", "AP", "IS", "PSNR", "SSIM", "Top", "Acc", "Accuracy", "mAP", "mIoU"}
_NUMBER = re.compile(r"^([+\-±]?)(\d+(?:,\d{3})*(?:\.\d+)?)(%|x|×|M|B|K|G|ms|s|dB)?$")
_UNIT_TOKENS = {
    "%": "%", "x": "x", "×": "x", "times": "x", "ms": "ms", "s": "s", "sec": "s", "seconds": "s",
    "fps": "FPS", "FPS": "FPS", "M": "M", "B": "B", "G": "G", "K": "K", "GFLOPs": "G", "dB": "dB",
    "pp": "%", "percent": "%", "points": None, "point": None,
    "second": "s", "secs": "s", "milliseconds": "ms", "millisecond": "ms",
    "hour": "h", "hours": "h", "hrs": "h", "minute": "min", "minutes": "min", "mins": "min",
}
# Units of duration: a value in them reports a time ("in just 0.09 second", "Training took about 5 hours").
_TIME_UNITS = {"s", "ms", "h", "min"}
_REPORTED_UNITS = {"%", "x", "ms", "s", "h", "min", "FPS", "M", "B", "G", "K", "dB"}
_TRAINING_WORDS = {"training", "train", "trained", "trains", "pretraining", "pre-training", "fine-tuning"}
# Words after a number that make the metric the one named next, not one before:
# "3.39% better F1", "1.1% higher APm".
_TOP_K_ACCURACY = re.compile(r"^top[- ]?[15] accuracy$", re.IGNORECASE)
_COMPARATIVES = {"higher", "lower", "better", "worse", "more", "fewer", "less", "smaller", "larger", "greater"}
_RELATIVE_BEFORE = {
    "by", "+", "improves", "improved", "improvement", "improvements", "gain", "gains", "boost", "boosts",
    "outperforms", "surpasses", "margin", "increase", "increases", "reduction", "reduces",
}
_RELATIVE_AFTER = {
    "higher", "lower", "better", "faster", "slower", "improvement", "improvements", "gain", "gains",
    "fewer", "less", "more", "smaller", "larger", "reduction", "boost", "increase", "decrease", "over",
    "relative", "absolute",
}
# Words after a number that make it a count, not a metric value.
# Words between a number and "points" that make the points a measure, not a count.
_MEASURE_WORDS = {"percentage", "percent", "average", "absolute", "relative", "mean"}
_COUNT_NOUNS = {
    "images", "samples", "classes", "categories", "layers", "steps", "epochs", "hours", "days", "gpus",
    "pairs", "videos", "papers", "programs", "annotations", "labels", "examples", "subjects", "scenes",
    "views", "frames", "languages", "tasks", "datasets", "models", "experts", "heads", "patients",
    "participants", "users", "questions", "prompts", "captions", "objects", "points", "volumes",
    "species", "hrs", "minutes", "years", "months", "weeks", "runs", "nodes", "cores", "bits",
    "gpu", "gpus", "tpu", "tpus", "billion", "million", "thousand", "trillion", "fold", "shots", "shot",
    "seeds", "vertices", "pixels", "channels", "dimensions", "blocks", "stages", "size", "resolution",
    "px", "res", "p", "baselines", "methods", "structures", "architectures", "benchmarks", "domains",
}
# Metrics on a 0-100 scale: a value above 100 next to them is something else (a resolution).
_PERCENT_SCALE_WORDS = ("accuracy", "acc", "ap", "map", "miou", "iou", "dice", "f1", "precision", "recall")
# Metrics measured in thousands, millions or billions ("14.3M parameters", "4.1 GFLOPs").
_MAGNITUDE_METRIC_WORDS = ("param", "flop", "mac", "size", "memory", "throughput", "compute", "token", "cost", "storage")
_SUBJECT_BLOCKERS = {
    "than", "over", "vs", "vs.", "versus", "baseline", "baselines", "compared", "against", "like",
    "with", "using", "to", "from", "of", "via", "by",
}
_LOWER_IS_BETTER = ("fid", "error", "latency", "time", "loss", "perplexity", "flops", "parameters", "bpp")


@dataclass(frozen=True)
class NumberToken:
    """A number read from one or two tokens: value, unit, sign, and where it sits."""

    start: int
    end: int
    value: Decimal
    unit: str | None
    signed: bool


def parse_number(doc: Doc, i: int) -> NumberToken | None:
    """The number at token ``i`` with a unit glued to it or in the next token.

    >>> import spacy
    >>> from kg.extract.tokenizer import customize_tokenizer
    >>> nlp = customize_tokenizer(spacy.blank("en"))
    >>> n = parse_number(nlp("top-1 of 83.4% here"), 2); (n.value, n.unit)
    (Decimal('83.4'), '%')
    >>> n = parse_number(nlp("runs 2.62 x faster"), 1); (n.value, n.unit, n.end)
    (Decimal('2.62'), 'x', 3)
    """
    texts = doc_view(doc).texts
    text = texts[i]
    match = _NUMBER.match(text)
    if not match:
        fraction = _FRACTION.match(text)
        if fraction and int(fraction.group(2)) > 1:
            # "with only 1/4 parameters": a ratio, written to two places as people read it.
            value = (Decimal(fraction.group(1)) / Decimal(fraction.group(2))).quantize(Decimal("0.01"))
            return NumberToken(i, i + 1, value, "x", False)
        return None
    sign, digits, unit = match.groups()
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None
    end = i + 1
    if unit in ("×",):
        unit = "x"
    if unit is None and texts[end : end + 2] in (["frame", "/"], ["frames", "/"]) and end + 2 < len(texts) \
            and texts[end + 2] in ("sec", "s", "second"):
        unit, end = "FPS", end + 3  # "1.0 frame/sec"
    if unit is None and end < len(texts) and texts[end] in _UNIT_TOKENS and not (
        _UNIT_TOKENS[texts[end]] in _TIME_UNITS and end + 1 < len(texts) and texts[end + 1].lower() in ("of", "per")
    ):
        unit = _UNIT_TOKENS[texts[end]]
        end += 1
    signed = sign in ("+", "±") or (i > 0 and texts[i - 1] == "+")
    return NumberToken(i, end, value, unit, signed)


def _is_year_or_count(doc: Doc, number: NumberToken) -> bool:
    """True for numbers that are not metric values: years, counts, labels, spreads, sizes."""
    texts = doc_view(doc).texts
    lowers = doc_view(doc).lowers
    text = texts[number.start]
    if number.unit is None and re.fullmatch(r"(19|20)\d\d", text):
        return True
    before = texts[number.start - 1] if number.start > 0 else ""
    before2 = lowers[number.start - 2] if number.start > 1 else ""
    after = texts[number.end] if number.end < len(doc) else ""
    # Enumerations "(1)", "(2)"; labels and versions "Task 1", "Pi 4"; spreads "± 0.43"; "3.22 out of 5".
    if number.unit is None and (before == "(" and after == ")" or _enumerator(texts, number.start)):
        return True  # "(1) …", "two principles: 1) …"
    if after in ("]", ",") and before in ("[", ","):
        k = number.start - 1
        while k > 0 and (texts[k] == "," or texts[k].isdigit()):
            k -= 1
        if texts[k] == "[":
            return True  # a citation: "MobileNetV2 [20]", "[20, 21]"
    if number.unit is None and before == ")":
        opening = next((k for k in range(number.start - 2, max(-1, number.start - 10), -1) if texts[k] == "("), None)
        if opening is not None and opening > 0 and texts[opening - 1].isupper():
            before = texts[opening - 1]  # "IPC (Images Per Class) 50" is "IPC 50"; not "Distance (FID) 12.3"
    if number.unit is None and before[:1].isupper() and before.isalpha() and before not in _METRIC_LIKE_WORDS:
        return True
    if before == "^":
        return True  # an exponent: "a resolution of 384^2"
    if number.unit is None and before.lower() in _COUNTED_BY:
        return True  # "at epoch 10", "layer 4": an index, not a value
    if before in ("±", "+-", "+/-") or (before == "-" and before2 == "+") or (before == "of" and before2 in ("out", "size")):
        return True  # spreads "± 0.43", "3.22 out of 5", "a batch size of 4096"
    # Sizes "1024 x 1024" and folds "5-fold".
    if after in ("x", "×") and number.end + 1 < len(doc) and texts[number.end + 1][:1].isdigit():
        return True
    if after == "-" and number.end + 1 < len(doc):
        if texts[number.end + 1].isalpha() and texts[number.end + 1] not in _UNIT_TOKENS:
            return True  # an attribute, not a value: "5-fold", "a 500-item subset", "1-D heatmaps", "4-second videos"
        partner = parse_number(doc, number.end + 1) if texts[number.end + 1][:1].isdigit() else None
        if partner is not None:
            return _is_year_or_count(doc, partner)  # a range is what its end is: "1-2 layers", "2-3 seconds"
    # Counts: "8 AMD MI300X GPUs", "300 epochs", "15 different models" (one describing word between).
    described = False
    for k in range(number.end, min(len(doc), number.end + 3)):
        if lowers[k] in _COUNT_NOUNS and not (number.unit == "%" and lowers[k] in ("points", "point")):
            return True  # (but "1.31% points" are percentage points)
        if texts[k][:1].isupper() or texts[k][:1].isdigit():
            continue
        if described or number.unit is not None or not texts[k].isalpha() or lowers[k] in STOP_WORDS \
                or lowers[k] in _MEASURE_WORDS:
            break  # "10 percentage points", "7.0 average points" measure
        described = True
    return False


def _nearest(spans: list[Span], number: NumberToken, before: int, after: int) -> Span | None:
    best: tuple[int, Span] | None = None
    for span in spans:
        if span.end <= number.start:
            distance = number.start - span.end
            if distance > before:
                continue
        elif span.start >= number.end:
            distance = span.start - number.end
            if distance > after:
                continue
            distance -= 0  # after and before weigh the same
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, span)
    return best[1] if best else None


def _is_relative(doc: Doc, sentence: Span, number: NumberToken, metric_name: str | None) -> bool:
    if number.signed:
        return True
    before = {t.lower_ for t in doc[max(sentence.start, number.start - 3) : number.start]}
    after_tokens = doc[number.end : min(sentence.end, number.end + 3)]
    after = {t.lower_ for t in after_tokens}
    if "from" in before or ("to" in before and "up" not in before):
        return False  # "from 37.2 to 23.3": absolute values; "by up to 2×" is a gain
    if "by" in before or before & _RELATIVE_BEFORE:
        return True
    if after & _RELATIVE_AFTER:
        return not (metric_name and "speed" in metric_name.lower() and number.unit == "x")
    return False


def find_results(doc: Doc, proposals: list[str]) -> list[ResultMention]:
    """The results reported in ``doc``, reading metric/dataset/subject spans found by earlier components.

    A number needs a metric close by, or the metric of the number listed just
    before it ("FID of 2.06 on CIFAR-10, 1.48 on ImageNet 64x64"), or a word that
    implies one ("4.3x faster" → speedup); a relative gain in percent ("improvements
    of 11.1% on Tiny-ImageNet") is kept without a metric.
    """
    spans = kg_spans(doc)
    view = doc_view(doc)
    texts, text = view.texts, view.text
    results: list[ResultMention] = []
    actors = {_fold(text[s.start_char : s.end_char]) for s in spans if s.label_ in ("Method", "Architecture")}
    proposed_actors = [p for p in proposals if _fold(p) in actors]
    subject_default = proposed_actors[0] if proposed_actors else _title_subject(doc, spans)
    proposal_names = {_fold(p) for p in proposals}
    for acronym in doc._.kg_acronyms or []:
        if _fold(acronym.long) in proposal_names:
            proposal_names.add(_fold(acronym.short))
    all_datasets = {s.kb_id_ or text[s.start_char : s.end_char].lower() for s in spans if s.label_ == "Dataset"}
    only_dataset = next((s for s in spans if s.label_ == "Dataset"), None) if len(all_datasets) == 1 else None
    # Tokens that may start a number; a sentence without one reports nothing and is skipped.
    candidates = list(compress(range(len(texts)), map(_STARTS_NUMBER.__getitem__, texts)))
    span_starts = [s.start for s in spans]  # spans are in text order
    # The metric last reported in each unit: "7.38% better than X" after "91.04% accuracy"
    # is an accuracy, not the "2.95x faster" between them.
    last_metric: dict[str | None, Span] = {}
    for sentence in view.sentences[1:]:
        first = bisect.bisect_left(candidates, sentence.start)
        if first == len(candidates) or candidates[first] >= sentence.end:
            continue
        in_sentence = []
        for k in range(bisect.bisect_left(span_starts, sentence.start), len(spans)):
            if span_starts[k] >= sentence.end:
                break
            if spans[k].end <= sentence.end:
                in_sentence.append(spans[k])
        metrics = [s for s in in_sentence if s.label_ == "Metric"]
        datasets = [s for s in in_sentence if s.label_ == "Dataset"]
        subjects = [s for s in in_sentence if s.label_ in ("Architecture", "Method")]
        named_tokens = {i for s in in_sentence for i in range(s.start, s.end)}
        previous: tuple[int, Span | None, NumberToken] | None = None
        runs = _respective_lists(doc, sentence, named_tokens)
        respectively = _respectively_pairs(doc, sentence, runs, metrics)
        respective_datasets = _respectively_pairs(doc, sentence, runs, datasets)
        free = sentence.start  # tokens before this belong to a number already read
        for i in candidates[first : bisect.bisect_left(candidates, sentence.end)]:
            if i < free or i in named_tokens:
                continue
            number = parse_number(doc, i)
            if number is None or _is_year_or_count(doc, number):
                continue
            free = number.end
            number = _with_range_unit(doc, number)
            metric = (
                _implied_metric(doc, number)
                or _metric_named_next(doc, number, metrics)
                or _time_metric(doc, sentence, number)
                or _metric_before_or_after_list(doc, number, [m for m in metrics if not _written_with_another(doc, m, number)])
            )
            if metric is None and len(metrics) == 1 and number.unit in ("%", None):
                metric = metrics[0] if abs(metrics[0].start - number.start) <= 25 else None
            if (metric is None and previous is not None and number.start - previous[0] <= 20
                    and previous[1] is not None and previous[2].unit == number.unit
                    and not (previous[1].start == previous[0] and len({m.kb_id_ or m.text for m in metrics}) > 1)):
                # "2.06 on CIFAR-10, 1.48 on ImageNet 64x64": same metric, same unit. Not when each
                # value is written with its own metric: in "62.4 mAP on COCO, 80.36 on VQA" the second
                # metric is unsaid.
                metric = previous[1]
            if number.start in respectively:
                metric = respectively[number.start]
            if metric is None:
                metric = _metric_after_list(doc, number, metrics)  # "5%, 16% and 32% higher accuracy"
            relative = _is_relative(doc, sentence, number, (metric.kb_id_ or metric.text) if metric else None)
            if metric is None and relative and number.unit == "%" and "%" in last_metric:
                metric = last_metric["%"]  # "… 81.7% accuracy. It outperforms the baseline by 1.3%."
            listed_gain = (previous is not None and previous[1] is None and previous[2].unit == number.unit
                           and number.start - previous[0] <= 8)
            relative = relative or (metric is None and listed_gain)  # "gains of 11.1% on A, 9.0% on B"
            if metric is None and not (relative and number.unit == "%" and (_names_a_gain(doc, sentence, number) or listed_gain)):
                continue
            if metric is not None and number.value > 100 and number.unit in (None, "%") and any(
                w == (metric.kb_id_ or metric.text).lower().split()[-1] for w in _PERCENT_SCALE_WORDS
            ):
                continue
            if number.unit in ("K", "M", "B", "G") and not (
                metric is not None and any(w in (metric.kb_id_ or metric.text).lower() for w in _MAGNITUDE_METRIC_WORDS)
            ):
                continue  # "a batch size of 96K" near "accuracy" is not an accuracy
            dataset_name = (respective_datasets.get(number.start) or _dataset_of(doc, sentence, number, datasets)
                            or only_dataset)
            dataset_name = dataset_name.text if dataset_name is not None else None
            if dataset_name is None and not datasets and metric is not None:
                # "we further improve the FID to 22.4": the benchmark of the last FID reported.
                prior = next((r for r in reversed(results) if r.metric == metric.text), None)
                dataset_name = prior.dataset if prior is not None else None
            if metric is not None and metric.text.lower() == "accuracy" and dataset_name is not None:
                # "75.3% top-1 accuracy on ImageNet …, and the accuracy can be further improved to 76.2%"
                top_k = next((r.metric for r in results if r.dataset == dataset_name and r.metric
                              and _TOP_K_ACCURACY.match(r.metric)), None)
                if top_k is not None:
                    metric = next(s for s in spans if s.label_ == "Metric" and s.text == top_k)
            subject = _subject_of(doc, subjects, sentence, number, proposal_names, subject_default)
            results.append(
                ResultMention(
                    metric=metric.text if metric is not None else None,
                    value=number.value,
                    unit=number.unit if number.unit in _REPORTED_UNITS else None,
                    dataset=dataset_name,
                    subject=subject,
                    relative=relative,
                    sentence=text[sentence.start_char : sentence.end_char].strip(),
                    confidence=(0.7 if dataset_name is not None else 0.55) if metric is not None else 0.45,
                )
            )
            previous = (number.end, metric, number)
            if metric is not None:
                last_metric[number.unit] = metric
    return results


_HEADER_WORDS = {"of", ":", "=", "is", "was", "are", "were", "from"}


def _metric_before_or_after_list(doc: Doc, number: NumberToken, metrics: list[Span]) -> Span | None:
    """The metric named just before a number ("top-1 accuracy of 83.74"), else the one a list of
    values ends in ("51M, 90M and 201M parameters achieve 84.3%, 84.9% and 85.6% Top-1 accuracy":
    not the "parameters" before them), else the nearest."""
    lowers = doc_view(doc).lowers
    if number.start >= 2 and (lowers[number.start - 1] == "to" or lowers[number.start - 1] in _ARROWS) \
            and lowers[number.start - 2][:1].isdigit():
        # "FID from 18.65 to 1.80, inception score …": the metric of the range's start; "(37.2 → 23.3 in FID)".
        return _nearest(metrics, number, before=8, after=0) or _nearest(metrics, number, before=0, after=3)
    nearest = _nearest(metrics, number, before=8, after=3)
    if nearest is not None and nearest.end <= number.start and all(
            lowers[k] in _HEADER_WORDS for k in range(nearest.end, number.start)) and number.start - nearest.end <= 2:
        return nearest
    return _metric_after_list(doc, number, metrics) or nearest


def _written_with_another(doc: Doc, metric: Span, number: NumberToken) -> bool:
    """True for a metric written with another value: as its unit ("mAP" in "62.4 mAP on COCO,
    80.36 on VQA" is 62.4's, not 80.36's) or as its header ("FVD" in "… to 8.19 and FVD from 484")."""
    texts = doc_view(doc).texts
    k = metric.start - 1
    if k >= 0 and texts[k] in _UNIT_TOKENS:
        k -= 1
    if k >= 0 and k < number.start and texts[k][:1].isdigit():
        return True
    k = metric.end
    while k < len(texts) and k - metric.end < 2 and texts[k] in _HEADER_WORDS:
        k += 1
    if not (k > metric.end and k < len(texts) and k != number.start and texts[k][:1].isdigit()):
        return False
    # The header's own range goes on to this number: "accuracy from 60.3% to 73.2%".
    own = parse_number(doc, k)
    return not (own is not None and own.end + 1 == number.start and texts[own.end] in ("to", "-", "–", *_ARROWS))


def _metric_named_next(doc: Doc, number: NumberToken, metrics: list[Span]) -> Span | None:
    """The metric a number is written with, when it follows it: "58 FPS" (the unit is the
    metric), "3.39% better F1", and for the first number of a range, the second's:
    "0.8% to 1.6% higher top-1 accuracy"."""
    texts = doc_view(doc).texts
    starts = {m.start: m for m in metrics}
    for k in range(number.start + 1, number.end):
        if k in starts:
            return starts[k]
    k = number.end
    if k < len(texts) and texts[k] in _COMPARATIVES:
        k += 1
    if k in starts:
        return starts[k]
    if number.end + 1 < len(texts) and texts[number.end] in ("to", "-", "–"):
        partner = parse_number(doc, number.end + 1)
        if partner is not None:
            return _metric_named_next(doc, partner, metrics)
    return None


def _time_metric(doc: Doc, sentence: Span, number: NumberToken) -> Span | None:
    """A duration reports a time: training time when its clause speaks of training, else
    inference time ("InstaFlow yields an FID of 13.1 in just 0.09 second")."""
    if number.unit not in _TIME_UNITS:
        return None
    if number.end == number.start + 1:
        # The first number of a range takes its unit from the second ("2-3 seconds"); a unit
        # glued to the digits ("5s") is as often a label as a duration.
        partner = parse_number(doc, number.end + 1) if number.end + 1 < len(doc) and doc[number.end].text in ("-", "–", "to") else None
        if partner is None or partner.end == partner.start + 1:
            return None
        number = partner
    return _duration_span(doc, sentence, number, number.end - 1, number.end)


def _duration_span(doc: Doc, sentence: Span, number: NumberToken, start: int, end: int) -> Span:
    """The implied time metric at doc[start:end]: training time when the words up to ``end`` in
    the number's clause speak of training, else inference time."""
    lowers = doc_view(doc).lowers
    clause = set(lowers[_clause_start(lowers, sentence, number) : end])
    span = Span(doc, start, end, label="Metric", kb_id="training time" if _TRAINING_WORDS & clause else "inference time")
    add_span(doc, span, cue="implied:duration", confidence=0.6)
    return span


def _clause_start(lowers: list[str], sentence: Span, number: NumberToken) -> int:
    """Where the clause a number ends begins: after the last comma or semicolon before it."""
    for k in range(number.start - 1, sentence.start, -1):
        if lowers[k] in (",", ";", ":"):
            return k + 1
    return sentence.start


# Datasets a model was pre-trained on are not where a number was measured:
# "with ImageNet-21K pre-training, our model achieves 88.7% top-1 accuracy".
_PRETRAINING_AFTER = {"pre-training", "pretraining", "pre-trained", "pretrained", "pre", "pretrain"}
_PRETRAINING_BEFORE = ("pre-trained on", "pretrained on", "pre-training on", "pretraining on", "pre - trained on",
                       "pre - training on", "trained on", "pretrain on")


def _is_training_data(doc: Doc, dataset: Span) -> bool:
    view = doc_view(doc)
    after = view.lowers[dataset.end] if dataset.end < len(doc) else ""
    before = " ".join(view.lowers[max(0, dataset.start - 4) : dataset.start])
    return after in _PRETRAINING_AFTER or before.endswith(_PRETRAINING_BEFORE)


def _dataset_of(doc: Doc, sentence: Span, number: NumberToken, datasets: list[Span]) -> Span | None:
    """Where a number was measured: a dataset just after it in its clause ("72.1% mAP on
    VOC2007"), else the nearest before it ("ImageNet-A top-1 accuracy from 61.0% to 83.7%"),
    else one just after a comma. Pre-training data is skipped."""
    candidates = [d for d in datasets if not _is_training_data(doc, d)]
    bracket = _open_bracket_before(doc, sentence, number)
    bracketed = next((d for d in candidates if bracket is not None and d.end == bracket), None)
    if bracketed is not None:
        return bracketed  # "on both VAD (+2.1% AUROC) and the VisA dataset (+0.4% AUROC)"
    lowers = doc_view(doc).lowers
    clause_end = next((k for k in range(number.end, sentence.end) if lowers[k] in (",", ";")), sentence.end)
    after = [d for d in candidates if number.end <= d.start < clause_end]
    return (
        _nearest(after, number, before=0, after=8)
        or _nearest(candidates, number, before=25, after=0)
        or _nearest([d for d in candidates if d.start >= number.end], number, before=0, after=8)
    )


_VERSUS = {"vs", "vs.", "versus"}
_DIGIT_IN_WORD = re.compile(r"[a-z]\d")
_ACHIEVED = {"achieved", "obtained", "attained", "reached", "reported", "set"}
_SPREAD_MARKS = {"±", "+-", "+/-", "+"}
_LIST_TOKENS = {",", "and", "or", "%", "x", "to", "-", "higher", "lower", "better", "more", "fewer", "less"}


def _metric_after_list(doc: Doc, number: NumberToken, metrics: list[Span]) -> Span | None:
    """The metric after a list of values that share it: "5%, 16% and 32% higher accuracy"."""
    texts = doc_view(doc).texts
    starts = {m.start: m for m in metrics}
    k = number.end
    while k < len(texts) and k - number.end < 12:
        if k in starts and texts[k - 1] in (",", "and", "or"):
            return None  # "(FID) from 18.65 to 1.80, inception score …": the list ended at the comma
        if k in starts:
            metric = starts[k]
            after = metric.end + (metric.end < len(texts) and texts[metric.end] in _HEADER_WORDS)
            if after < len(texts) and texts[after][:1].isdigit():
                return None  # "FID from 9.67 to 8.19 and FVD from 484 to 441": FVD heads the next values
            return metric if k > number.end + 1 else None
        text = texts[k]
        if not (text in _LIST_TOKENS or text[:1].isdigit() or text in _UNIT_TOKENS):
            return None
        k += 1
    return None


def _respective_lists(doc: Doc, sentence: Span, named: set[int]) -> list[list[NumberToken]]:
    """The lists of values of a "…, respectively" sentence ("76.1%, 78.9%, and 70.6%", "4.76 +- 0.43
    and 46.401"), each read once for the metrics and the datasets they pair with."""
    view = doc_view(doc)
    texts = view.texts
    if "respectively" not in view.lowers[sentence.start : sentence.end]:
        return []
    runs: list[list[NumberToken]] = []
    i = sentence.start
    while i < sentence.end:
        number = parse_number(doc, i) if i not in named and texts[i][:1] in _NUMBER_STARTS else None
        if number is not None and not _is_year_or_count(doc, number):
            previous = runs[-1][-1] if runs else None
            if previous is not None and all(texts[k] in _LIST_TOKENS or texts[k] in _SPREAD_MARKS or texts[k][:1].isdigit()
                                            for k in range(previous.end, number.start)):
                runs[-1].append(number)
            else:
                runs.append([number])
            i = number.end
        else:
            i += 1
    return runs


def _respectively_pairs(doc: Doc, sentence: Span, runs: list[list[NumberToken]], spans: list[Span]) -> dict[int, Span]:
    """Values paired in order with the names after their list: the metrics of "4.76 and 46.40 on
    Inception Score and FID, respectively", the datasets of "76.1%, 78.9%, and 70.6% mIoU on ScanNet
    v2, nuScenes, and SemanticKITTI respectively". Each list takes the names between it and the next."""
    texts = doc_view(doc).texts
    pairs: dict[int, Span] = {}
    for n, run in enumerate(runs):
        stop = runs[n + 1][0].start if n + 1 < len(runs) else sentence.end
        after: list[Span] = []
        for span in (s for s in spans if run[-1].end <= s.start < stop):
            if after and span.start == after[-1].end + 1 and texts[after[-1].end] == "(":
                continue  # "root mean squared error (RMSE)" is one metric
            after.append(span)
        listed = all(0 < b.start - a.end <= 3 and any(texts[k] in (",", "and", "/", "or") for k in range(a.end, b.start))
                     for a, b in zip(after, after[1:]))  # the names are a list too: "IS and FID"
        if len(run) >= 2 and len(after) == len(run) and listed:
            pairs.update({number.start: span for number, span in zip(run, after)})
        elif len(run) >= 2 and len(after) == 1 and after[0].start - run[-1].end <= 6 \
                and "," not in texts[run[-1].end : after[0].start]:
            pairs.update({number.start: after[0] for number in run})  # "17.3% and 29.4% in terms of RMSE"
    return pairs


_SPEED_WORDS = {"faster": "speedup", "speedup": "speedup", "speed-up": "speedup", "quicker": "speedup"}
_GAIN_WORDS = {
    "improvement", "improvements", "gain", "gains", "improves", "improved", "boost", "boosts", "better", "higher",
    "outperforms", "outperform", "outperforming", "surpasses", "surpassing",
}


def _implied_metric(doc: Doc, number: NumberToken) -> Span | None:
    """A metric implied by the word after a ratio: "4.3x faster" reports a speedup."""
    if number.unit != "x" or number.end >= len(doc):
        return None
    word = doc[number.end]
    metric = _SPEED_WORDS.get(word.lower_)
    end = word.i + 1
    if metric is None and word.lower_ == "speed" and doc[end : end + 2].text.lower() == "-up":
        metric, end = "speedup", end + 2  # "1.53x speed-up", split at its hyphen
    if metric is None:
        return _ratio_of_time(doc, number)
    span = Span(doc, word.i, end, label="Metric", kb_id=metric)
    add_span(doc, span, cue="implied:speedup", confidence=0.6)
    return span


_LESS_WORDS = {"less", "lower", "shorter", "reduced", "fewer"}


def _ratio_of_time(doc: Doc, number: NumberToken) -> Span | None:
    """The time a ratio cuts: "in 16.4x lower pre-training time", "in 10.6x less time" (training
    time when the words or its clause speak of training, else inference time)."""
    lowers = doc_view(doc).lowers
    if lowers[number.end] not in _LESS_WORDS:
        return None
    end = next((k + 1 for k in range(number.end + 1, min(len(lowers), number.end + 5)) if lowers[k] == "time"), None)
    if end is None or any(not doc[k].is_alpha and lowers[k] != "-" for k in range(number.end + 1, end)):
        return None
    return _duration_span(doc, doc_view(doc).sentence_at(number.start), number, number.end + 1, end)


def _names_a_gain(doc: Doc, sentence: Span, number: NumberToken) -> bool:
    window = doc[max(sentence.start, number.start - 4) : min(sentence.end, number.end + 4)]
    return any(t.lower_ in _GAIN_WORDS for t in window)


def _with_range_unit(doc: Doc, number: NumberToken) -> NumberToken:
    """The first number of a range takes the unit of the second: "2.4 - 5.6%", "0.5 to 3.4%"."""
    if number.unit is not None or number.end + 1 >= len(doc):
        return number
    if doc[number.end].text in ("-", "–", "to"):
        following = parse_number(doc, number.end + 1)
        if following is not None and following.unit is not None:
            return NumberToken(number.start, number.end, number.value, following.unit, number.signed)
    return number


_ARROWS = {"rightarrow", "→", "->", "⟶", "longrightarrow", "=>"}
_OUR_WORK = re.compile(r"\bour (?:method|approach|framework|model|models|technique|algorithm|system|network)\b")


def _subject_of(doc: Doc, subjects: list[Span], sentence: Span, number: NumberToken,
                proposal_names: set[str], default: str | None) -> str | None:
    """Who obtains a number: the baseline in "from 61.0% to 83.7%", "our X", the paper's
    proposal when the sentence names it or "our method", else the actor before the number."""
    lowers = doc_view(doc).lowers
    before = lowers[max(sentence.start, number.start - 2) : number.start]
    # "a 31.42% accuracy achieved by the state-of-the-art GPT-4V": the model named after the value.
    by = next((k for k in range(number.end, min(sentence.end - 1, number.end + 6)) if lowers[k] == "by"
               and lowers[k - 1] in _ACHIEVED), None)
    if by is not None:
        if "our" in lowers[by + 1 : by + 4]:
            return default  # "the 85.1% accuracy achieved by our method"
        owner = next((s for s in subjects if by < s.start <= by + 9 and not _technique(s.text)), None)
        if owner is not None:
            return owner.text  # "by the state-of-the-art GPT-4V"
        return None  # "over the 51.2 mAP achieved by the state-of-the-art method": not the paper's
    if _VERSUS & set(lowers[max(sentence.start, number.start - 3) : number.start]):  # "(vs e.g. 0.141 …)"
        # "(62.15 mAP vs. 69.02 mAP)": the value compared against is not the paper's, but the model
        # named with it: "(vs e.g. 0.141 of T2M-GPT)".
        k = number.end + (number.end < len(lowers) and lowers[number.end] in ("of", "for", "by"))
        owner = next((s for s in subjects if s.start == k and k > number.end), None)
        return owner.text if owner is not None else None
    if "from" in before:
        # "the accuracy of ResNet-50 from 35.6% to 46.7%": the starting value is the baseline's.
        start = number.start - 1 - before[::-1].index("from")
        owner = next((s for s in subjects if s.end == start and not _technique(s.text)), None)
        return owner.text if owner is not None else None
    if lowers[number.start - 1] in _ARROWS and number.start >= 2 and lowers[number.start - 2][:1].isdigit():
        return default  # "(37.2 → 23.3 in FID)": the improved value is the paper's
    # "Swin-B (83.3%)": the model right before a bracketed number, whoever else the sentence names.
    bracket = _open_bracket_before(doc, sentence, number)
    if bracket is not None and number.signed and default is not None:
        return default  # "outperform MobileNetV2 [20] (+4.2%)": a gain over the model named, by the paper's
    if bracket is not None:
        owner = next((s for s in subjects if s.end == bracket), None)
        if owner is not None:
            return owner.text  # "StyleGAN-T (13.9 in 0.1 second)" too
    starts_a_change = number.end < len(lowers) and lowers[number.end] in _ARROWS  # "(37.2 → 23.3)": a baseline's
    if not starts_a_change:
        # A technique or model class in lower case ("our pre-training pipeline achieves", "in
        # semi-supervised learning by 1 mAP") is what the paper works on, not who obtains the number.
        subjects = [s for s in subjects if not _technique(s.kb_id_ or s.text) or _fold(s.text) in proposal_names]
    # The clause the number ends: after the last comma before it ("For example, with X, a Y attains 83.2%").
    clause_start = _clause_start(lowers, sentence, number)
    ours = next((s for s in subjects if s.end <= number.start and _after_our(doc, sentence, s)), None)
    if ours is not None:
        return ours.text
    before_number = [s for s in subjects if s.end <= number.start]
    proposed_in_clause = [s for s in before_number if s.start >= clause_start and _fold(s.text) in proposal_names]
    if proposed_in_clause:
        # A paper proposing two things ("LBMamba … LBVim") credits the one the clause names;
        # "DeiT-T with MCTF reduces FLOPs by 44%" credits the proposal, not the base model.
        return proposed_in_clause[-1].text
    if _OUR_WORK.search(doc[sentence.start : number.start].text.lower()):
        return default
    in_clause = [s for s in subjects if s.start >= clause_start]
    span = _subject_before(doc, in_clause, sentence, number) or _subject_before(doc, subjects, sentence, number)
    return span.text if span is not None else default


def _technique(text: str) -> bool:
    """True for a technique written in lower-case words ("semi-supervised learning"), which no
    result belongs to; a lower-case name with digits ("data2vec 2.0") is a model."""
    return text.islower() and not _DIGIT_IN_WORD.search(text)  # but "1.58-bit quantization" is a technique


def _open_bracket_before(doc: Doc, sentence: Span, number: NumberToken) -> int | None:
    """The index of the "(" a number stands in, when it opened at most six tokens before."""
    texts = doc_view(doc).texts
    for k in range(number.start - 1, max(sentence.start, number.start - 7) - 1, -1):
        if texts[k] == ")":
            return None
        if texts[k] == "(":
            return k
    return None


def _after_our(doc: Doc, sentence: Span, span: Span) -> bool:
    """True for "our X" and "our huge-size X": the paper's own model, whatever it is called."""
    texts = doc_view(doc).texts
    k = span.start - 1
    # Read from the view's strings: this runs for every model before every number.
    while k > sentence.start and k > span.start - 5 and texts[k].lower() != "our":
        word = texts[k]
        if not (word == "-" or word.isalpha() and word.islower() and word not in STOP_WORDS):
            return False
        k -= 1
    return k >= sentence.start and texts[k].lower() == "our"


_NOT_LETTERS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) > 100_000:
            _FOLDED.clear()
        folded = _FOLDED[text] = _NOT_LETTERS.sub("", text.lower())
    return folded


_FOLDED: dict[str, str] = {}  # names recur across abstracts


def _subject_before(doc: Doc, subjects: list[Span], sentence: Span, number: NumberToken) -> Span | None:
    """The method or model a number belongs to.

    "Swin-B (83.3%)": the model right before a bracketed number. Otherwise the
    first one named before the number in its sentence, unless it is what the
    result is compared against ("faster than EfficientNet-B0") or a setting
    rather than the actor ("with a ResNet-50 backbone", "applied to InternViT-6B").
    "our method" means the paper's proposal, so no span is returned for it.
    """
    if number.start >= 2 and doc[number.start - 1].text == "(":
        for span in subjects:
            if span.end == number.start - 1:
                return span
    for span in subjects:
        if span.end > number.start:
            break
        window = {t.lower_ for t in doc[max(sentence.start, span.start - 3) : span.start]}
        if window & _SUBJECT_BLOCKERS:
            continue
        return span
    return None


def _title_subject(doc: Doc, spans: list[Span]) -> str | None:
    """The method or model the title names first: the subject when the paper proposes nothing."""
    sentences = doc_view(doc).sentences
    if not sentences:
        return None
    title = sentences[0]
    for span in spans:
        if span.start >= title.end:
            break
        if span.label_ in ("Method", "Architecture"):
            # Not a technique ("Efficient Self-supervised Learning with …"), nor the name after one
            # ("Diffusion Models Beat GANs"): then the paper names no subject of its own.
            return None if _technique(span.kb_id_ or span.text) else span.text
    return None


def lower_is_better(metric_name: str) -> bool:
    """True for metrics where a smaller number is a better result (FID, error, latency).

    >>> lower_is_better("FID"), lower_is_better("top-1 accuracy")
    (True, False)
    """
    folded = metric_name.lower()
    return any(word in folded for word in _LOWER_IS_BETTER)


# Cost measures that are everyday words: a mention without a figure in its
# sentence ("with fewer parameters", "at low computational cost") describes
# rather than reports, so it is kept only as a weak mention.
_COST_METRICS = {
    "parameters", "model size", "computational cost", "computational complexity", "gpu days", "gpu hours",
    "inference speed", "runtime", "precision", "memory usage", "memory footprint", "training cost",
    "training time", "inference time",
}
WEAK_CONFIDENCE = 0.3
# Durations that also name a phase of a model's life: "at inference time", "during training time".
_PHASE_METRICS = {"inference time", "training time"}
_PHASE_PREPOSITIONS = {"at", "during", "in", "on"}


# Words that compare a cost, which makes it a measure the work is judged by even without a
# figure: "with fewer trainable parameters", "at lower computational cost", "the number of parameters".
_COMPARING_WORDS = {"fewer", "lower", "less", "faster", "smaller", "reduced", "higher", "slower", "iso"}
_COST_QUALIFIERS = {"trainable", "learnable", "memory", "the", "-", "inference", "computational", "overall"}


def _compared_cost(span: Span, lowers: list[str]) -> bool:
    """True for a cost a comparison is made in: "fewer trainable parameters", "lower memory footprint",
    "(without increasing) the number of parameters"."""
    if span.text.lower() == "precision":
        return False  # "reduced precision weights" are numbers stored in fewer bits
    if span.text.lower().startswith("number of"):
        return True
    i = span.start - 1
    while i >= 0 and lowers[i] in _COST_QUALIFIERS:
        i -= 1
    return i >= 0 and (lowers[i] in _COMPARING_WORDS or (lowers[i] == "of" and i > 0 and lowers[i - 1] == "number"))


def _enumerator(texts: list[str], i: int) -> bool:
    """True for the number of a list item, no figure: "(1) neuron-level processing", "2) a kernel"."""
    return texts[i].isdigit() and len(texts[i]) == 1 and i + 1 < len(texts) and texts[i + 1] == ")" \
        and (i == 0 or texts[i - 1] in ("(", ",", ";", ":", ".", "and"))  # not "FID of 0.08 and 0.429)"


def demote_figureless_cost_metrics(doc: Doc) -> None:
    """Lower the confidence of cost metrics named in a sentence with no number unless a
    comparison is made in them ("fewer parameters" stays), of durations that name a phase ("at
    inference time"), and of a bare "accuracy" in a paper that reports top-1 accuracy (it is the
    same measure)."""
    spans = kg_spans(doc)
    if any(s.label_ == "Metric" and _TOP_K_ACCURACY.match(s.text) for s in spans) and not any(
        r.metric and r.metric.lower() == "accuracy" for r in doc._.kg_results or ()
    ):
        for span in spans:
            if span.label_ == "Metric" and span.text.lower() == "accuracy":
                span._.kg_confidence = WEAK_CONFIDENCE
    lowers = doc_view(doc).lowers
    for span in spans:
        if span.label_ == "Metric" and (span.kb_id_ or span.text).lower() in _PHASE_METRICS and span.start > 1 and (
            lowers[span.start - 1] in _PHASE_PREPOSITIONS
            or (lowers[span.start - 1] == "the" and lowers[span.start - 2] in _PHASE_PREPOSITIONS)
        ):
            span._.kg_confidence = WEAK_CONFIDENCE  # "at inference time" says when, it measures nothing
            continue
        if span.label_ != "Metric" or (span.kb_id_ or span.text).lower() not in _COST_METRICS:
            continue
        if _compared_cost(span, lowers):
            continue
        sentence = doc_view(doc).sentence_at(span.start)
        texts = doc_view(doc).texts
        if not any(texts[i][:1] in _NUMBER_STARTS and parse_number(doc, i) and not _enumerator(texts, i)
                   for i in range(sentence.start, sentence.end) if not span.start <= i < span.end):
            span._.kg_confidence = WEAK_CONFIDENCE


class ResultParser:
    def __init__(self, nlp: Language):
        ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_results = find_results(doc, list(doc._.kg_proposals or []))
        demote_figureless_cost_metrics(doc)
        return doc


@Language.factory(
    "kg_results",
    requires=["doc.spans", "doc._.kg_proposals"],
    assigns=["doc._.kg_results"],
)
def make_result_parser(nlp: Language, name: str):
    return ResultParser(nlp)
