"""kg eval gives the reference scorer's figures on the same files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluate import evaluate_files

SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "score.py"

GOLD = [
    {"title": "Paper One", "entities": [
        {"name": "FID", "aliases": ["Frechet Inception Distance"], "type": "Metric"},
        {"name": "CIFAR-10", "type": "Dataset"}, {"name": "Quick Flow", "aliases": ["QF"], "type": "Method"},
        {"name": "ViT", "type": "Architecture"}],
     "proposes": ["Quick Flow"],
     "results": [{"subject": "Quick Flow", "metric": "FID", "dataset": "CIFAR-10", "value": 3.55, "unit": None}]},
    {"title": "Paper Two", "entities": [{"name": "image classification", "type": "Task"}], "proposes": [], "results": []},
]
PRED = [
    {"title": "paper one", "entities": [
        {"name": "Frechet Inception Distance", "type": "Metric"}, {"name": "cifar10", "type": "Dataset"},
        {"name": "QF", "type": "Architecture"}, {"name": "ViTs", "type": "Architecture"},
        {"name": "GAN", "type": "Method"}],
     "proposes": ["QF"],
     "results": [{"subject": "QF", "metric": "Frechet Inception Distance", "dataset": "cifar10", "value": 3.55},
                 {"subject": None, "metric": "FID", "dataset": None, "value": 1.0}]},
]


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_eval_counts_matches_mistypes_and_results(tmp_path):
    scores, errors = evaluate_files(write(tmp_path / "g.jsonl", GOLD), write(tmp_path / "p.jsonl", PRED), True)
    assert scores["untyped"]["tp"] == 4 and scores["untyped"]["fp"] == 1 and scores["untyped"]["fn"] == 1
    assert scores["typed"]["tp"] == 3
    assert scores["proposes"]["tp"] == 1
    assert scores["results"]["tp"] == 1 and scores["results"]["fp"] == 1
    assert errors[0]["mistyped"] == ["Quick Flow: Method≠Architecture"]


@pytest.mark.skipif(not SCORER.exists(), reason="reference scorer not present")
def test_eval_equals_reference_scorer(tmp_path):
    gold, pred = write(tmp_path / "g.jsonl", GOLD), write(tmp_path / "p.jsonl", PRED)
    reference = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json"],
                               capture_output=True, text=True, check=True)
    ours, _ = evaluate_files(gold, pred)
    assert ours == json.loads(reference.stdout)
