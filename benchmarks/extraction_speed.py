"""Extraction throughput against spaCy's bare tokenizer, measured in the same run.

    python benchmarks/extraction_speed.py [--repeat 3] [INPUTS…]

Reads the inputs (default: ../shared/corpus and the CVPR 2024 abstracts),
then times, on the same texts: spaCy's bare English tokenizer (the floor of
reading the text at all), and kg's whole extraction pipeline. Each figure is
the median of --repeat timed passes after one warm-up pass, the two runs
alternating so that machine noise weighs on both alike. Prints abstracts
per second and the ratio pipeline / tokenizer.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_INPUTS = [SHARED / "corpus", SHARED / "external" / "cvpr2024_abstracts"]


def interleaved_medians(runs: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each run, alternating them so machine noise hits all alike."""
    for run in runs.values():
        run()  # warm-up: tokenizer caches, lazy imports
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT_INPUTS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from kg.extract import build_pipeline, extract_papers
    from kg.ingest import read_inputs

    papers = read_inputs([p for p in args.inputs if p.exists()])
    texts = [p.text for p in papers]
    bare = spacy.blank("en")
    nlp = build_pipeline()

    medians = interleaved_medians(
        {
            "tokenizer": lambda: list(bare.tokenizer.pipe(texts, batch_size=256)),
            "pipeline": lambda: list(extract_papers(papers, nlp, batch_size=64)),
        },
        args.repeat,
    )
    tokenizer_s, pipeline_s = medians["tokenizer"], medians["pipeline"]
    n = len(papers)
    print(f"abstracts                 {n}")
    print(f"bare tokenizer            {n / tokenizer_s:9.0f} abstracts/s")
    print(f"kg extraction pipeline    {n / pipeline_s:9.0f} abstracts/s")
    print(f"ratio pipeline/tokenizer  {tokenizer_s / pipeline_s:9.3f}")


if __name__ == "__main__":
    main()
