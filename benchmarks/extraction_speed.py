"""Extraction throughput against spaCy's bare tokenizer, measured in the same run.

    python benchmarks/extraction_speed.py [--repeat 3] [INPUTS…]

Reads the inputs (default: ../shared/corpus and the CVPR 2024 abstracts),
then times, on the same texts: spaCy's bare English tokenizer (the floor of
reading the text at all), and kg's whole extraction pipeline. Each figure is
the median of --repeat timed passes after one warm-up pass. Prints abstracts
per second and the ratio pipeline / tokenizer.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_INPUTS = [SHARED / "corpus", SHARED / "external" / "cvpr2024_abstracts"]


def median_seconds(run, repeat: int) -> float:
    run()  # warm-up: tokenizer caches, lazy imports
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


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

    tokenizer_s = median_seconds(lambda: list(bare.tokenizer.pipe(texts, batch_size=256)), args.repeat)
    pipeline_s = median_seconds(lambda: list(extract_papers(papers, nlp, batch_size=64)), args.repeat)
    n = len(papers)
    print(f"abstracts                 {n}")
    print(f"bare tokenizer            {n / tokenizer_s:9.0f} abstracts/s")
    print(f"kg extraction pipeline    {n / pipeline_s:9.0f} abstracts/s")
    print(f"ratio pipeline/tokenizer  {tokenizer_s / pipeline_s:9.3f}")


if __name__ == "__main__":
    main()
