"""Scoring per-paper records against gold records, as the reference scorer does.

Records are paired by folded title. Entities match one-to-one when they
share a folded name or alias; typed scores also need the same type.
Proposals match by entity, results by value, metric and dataset (and
subject for ``results_with_subject``). The figures equal those of the
project's reference scorer (``../shared/gold/score.py``); a test checks it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORE_TYPES = ("Method", "Architecture", "Dataset", "Metric")
TYPES = CORE_TYPES + ("Task",)
_DROP = re.compile(r"[\s\-\u2010-\u2015_.,/·'’()\[\]]+")
SCORE_ROWS = ("untyped", "typed", "core_typed", "method_or_arch", "proposes", "results", "results_with_subject")


def score_norm(name: Any) -> str:
    """A name folded as the scorer folds it (case, NFKC, separators, plural "s").

    >>> score_norm("ViTs"), score_norm("DeiT-S"), score_norm("ImageNet-1k")
    ('vit', 'deits', 'imagenet1k')
    """
    raw = _DROP.sub("", unicodedata.normalize("NFKC", str(name)))
    plural = len(raw) > 3 and raw.endswith("s") and raw[-2].isalpha() and raw[-2] not in "sS"
    folded = raw.casefold()
    return folded[:-1] if plural else folded


def _names(entity: dict) -> set[str]:
    return {score_norm(n) for n in [entity.get("name", "")] + list(entity.get("aliases") or []) if n}


def load_records(path: str | Path) -> dict[str, dict]:
    """Records of a JSON Lines file keyed by folded title (the first record of a title wins)."""
    records: dict[str, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON: {error}") from error
            records.setdefault(score_norm(record.get("title", "")), record)
    return records


@dataclass
class Tally:
    """True positives, false positives and false negatives of one score."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def match_entities(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy one-to-one pairs by shared names, in predicted order: (pairs, unmatched pred, unmatched gold)."""
    gold_names = [_names(g) for g in gold]
    used: set[int] = set()
    pairs, extra = [], []
    for pi, p in enumerate(pred):
        names = _names(p)
        hit = next((gi for gi, gn in enumerate(gold_names) if gi not in used and names & gn), None)
        if hit is None:
            extra.append(pi)
        else:
            used.add(hit)
            pairs.append((hit, pi))
    return pairs, extra, [gi for gi in range(len(gold)) if gi not in used]


def _resolve(name: Any, entities: list[dict]) -> set[str] | None:
    if name is None:
        return None
    folded = score_norm(name)
    for entity in entities:
        if folded in _names(entity):
            return _names(entity)
    return {folded}


def _same_value(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= max(1e-6, 1e-3 * abs(a))


def _same_ref(g: Any, p: Any, gold_entities: list[dict], pred_entities: list[dict]) -> bool:
    gr, pr = _resolve(g, gold_entities), _resolve(p, pred_entities)
    if (gr is None) != (pr is None):
        return False
    return not gr or bool(gr & pr)


def _result_matches(g: dict, p: dict, gents: list[dict], pents: list[dict], with_subject: bool) -> bool:
    if not _same_value(g.get("value"), p.get("value")):
        return False
    roles = ("metric", "dataset", "subject") if with_subject else ("metric", "dataset")
    return all(_same_ref(g.get(role), p.get(role), gents, pents) for role in roles)


def _match_count(gold_items: list, pred_items: list, same) -> int:
    hit: set[int] = set()
    for p in pred_items:
        k = next((i for i, g in enumerate(gold_items) if i not in hit and same(g, p)), None)
        if k is not None:
            hit.add(k)
    return len(hit)


def score_records(gold: dict[str, dict], pred: dict[str, dict], errors: list | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of ``pred`` against ``gold``, overall, per type and for relations."""
    tallies = {k: Tally() for k in SCORE_ROWS}
    per_type = {t: Tally() for t in TYPES}
    for key, g in gold.items():
        p = pred.get(key, {"entities": [], "proposes": [], "results": []})
        gents = [e for e in g.get("entities", []) if e.get("type") in TYPES]
        pents = [e for e in p.get("entities", []) or [] if e.get("type") in TYPES]
        pairs, extra, missed = match_entities(gents, pents)
        tallies["untyped"].add(len(pairs), len(extra), len(missed))
        typed_ok = [(gi, pi) for gi, pi in pairs if gents[gi]["type"] == pents[pi]["type"]]
        wrong = len(pairs) - len(typed_ok)
        tallies["typed"].add(len(typed_ok), len(extra) + wrong, len(missed) + wrong)
        method_or_arch = {"Method", "Architecture"}
        ma_ok = sum(1 for gi, pi in pairs if gents[gi]["type"] == pents[pi]["type"]
                    or {gents[gi]["type"], pents[pi]["type"]} <= method_or_arch)
        tallies["method_or_arch"].add(ma_ok, len(extra) + len(pairs) - ma_ok, len(missed) + len(pairs) - ma_ok)
        for t in TYPES:
            tp = sum(1 for gi, pi in typed_ok if gents[gi]["type"] == t)
            fp = sum(1 for pi in extra if pents[pi]["type"] == t) + sum(
                1 for gi, pi in pairs if pents[pi]["type"] == t and gents[gi]["type"] != t)
            fn = sum(1 for gi in missed if gents[gi]["type"] == t) + sum(
                1 for gi, pi in pairs if gents[gi]["type"] == t and pents[pi]["type"] != t)
            per_type[t].add(tp, fp, fn)
            if t in CORE_TYPES:
                tallies["core_typed"].add(tp, fp, fn)
        gold_props = [_resolve(n, gents) for n in g.get("proposes", [])]
        pred_props = [_resolve(n, pents) for n in p.get("proposes", []) or []]
        tp = _match_count(gold_props, pred_props, lambda gp, pp: bool(gp & pp))
        tallies["proposes"].add(tp, len(pred_props) - tp, len(gold_props) - tp)
        for row, with_subject in (("results", False), ("results_with_subject", True)):
            gres, pres = g.get("results", []), p.get("results", []) or []
            tp = _match_count(gres, pres, lambda gr, pr: _result_matches(gr, pr, gents, pents, with_subject))
            tallies[row].add(tp, len(pres) - tp, len(gres) - tp)
        if errors is not None:
            errors.append({
                "title": g.get("title"),
                "missed": [f'{gents[i]["type"]}:{gents[i]["name"]}' for i in missed],
                "spurious": [f'{pents[i]["type"]}:{pents[i]["name"]}' for i in extra],
                "mistyped": [f'{gents[gi]["name"]}: {gents[gi]["type"]}≠{pents[pi]["type"]}'
                             for gi, pi in pairs if gents[gi]["type"] != pents[pi]["type"]],
            })
    scores: dict[str, Any] = {k: v.prf() for k, v in tallies.items()}
    scores["per_type"] = {t: v.prf() for t, v in per_type.items()}
    scores["papers"] = {"gold": len(gold), "predicted": sum(1 for k in gold if k in pred)}
    return scores


def evaluate_files(gold_path: str | Path, pred_path: str | Path, with_errors: bool = False):
    """Scores (and per-paper errors when asked) of a predictions file against a gold file."""
    errors: list | None = [] if with_errors else None
    scores = score_records(load_records(gold_path), load_records(pred_path), errors)
    return scores, errors


def format_scores(scores: dict[str, Any], errors: list | None = None) -> str:
    """The score table as the reference scorer prints it, after the per-paper errors if any."""
    lines: list[str] = []
    for error in errors or []:
        if error["missed"] or error["spurious"] or error["mistyped"]:
            lines.append(f'# {error["title"]}')
            for kind in ("missed", "spurious", "mistyped"):
                if error[kind]:
                    lines.append(f"  {kind}: " + "; ".join(error[kind]))
    lines.append(f'papers: {scores["papers"]["predicted"]}/{scores["papers"]["gold"]} found')
    lines.append(f'{"score":24} {"P":>6} {"R":>6} {"F1":>6}')
    rows = [(k, scores[k]) for k in ("untyped", "typed", "core_typed", "method_or_arch")]
    rows += [(f"  {t}", v) for t, v in scores["per_type"].items()]
    rows += [(k, scores[k]) for k in ("proposes", "results", "results_with_subject")]
    for name, v in rows:
        lines.append(f'{name:24} {v["p"]:6.3f} {v["r"]:6.3f} {v["f1"]:6.3f}')
    return "\n".join(lines) + "\n"
