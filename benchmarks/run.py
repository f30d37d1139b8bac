"""The build benchmark: seconds per stage, abstracts per second per core, speed-up and peak memory, by corpus size.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--jobs 1,2] [--keep DIR] [-- BUILD OPTIONS]

For each size, a corpus of that many abstracts is made from the real ones
in ``../shared/corpus`` and ``../shared/external/cvpr2024_abstracts/``
into a temporary folder (removed afterwards unless ``--keep``; never
committed). The first copy of each abstract is the original; every further
copy gets a numbered title ("… (copy 7)"), its sentences rotated, its
numbers jittered and about 4% of its words given a suffix (plain
lower-case words only, so names keep their form), with
a seed per copy, so the corpus is the same on every run and spaCy's
tokenizer cache is not handed the same words over and over.

Then, each in its own process so that memory is measured per run:

- spaCy's bare tokenizer (``spacy.blank("en").tokenizer``, cold) over the
  texts the extractor reads: the floor of reading the text at all;
- ``kg build CORPUS -o OUT --jobs J`` for each J in ``--jobs``, with every
  default output (Turtle, GraphML, HTML, papers.jsonl, extractions.jsonl,
  the store) plus any BUILD OPTIONS given after ``--``.

Printed per size and jobs: the seconds of each stage from the build's
``summary.json`` (read, extract, resolve, graph, export, store load) and
the wall and CPU time of the whole command (the store loads while the
other files are written, so stages overlap: "store wait" is what it adds
to the wall time); abstracts per second per core for
extraction alone and for the whole build; extraction speed as a fraction of
the bare tokenizer's (1.0 = as fast as tokenizing alone); the speed-up of
each J over the first; and peak RSS: the largest single process (from
``wait4``) and the peak of the build and its workers summed (sampled from
/proc every 0.25 s; pages a forked worker shares with the builder count
twice, so for J > 1 it is an upper bound).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_SOURCES = [SHARED / "corpus", SHARED / "external" / "cvpr2024_abstracts"]
STAGES = ("read", "extract", "resolve", "graph", "export", "store")

# Free-standing numbers only: "ResNet-50", "top-1" and "64x64" are names and stay as they are.
_NUMBER = re.compile(r"(?<![\w.\-/])\d+(?:\.\d+)?(?![\w\-/])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SUFFIXES = ("s", "ed", "-based", "-like", "ing", "er", "al", "-wise")


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


def perturbed(text: str, rng: random.Random) -> str:
    """``text`` with its sentences rotated, free-standing numbers jittered and ~4% of plain words suffixed.

    >>> perturbed("We train ResNet-50 for 90 epochs. It reaches 76.1% top-1 accuracy.", random.Random(3))
    'It reaches 77.5% top-1 accuracy. We train ResNet-50 for 88 epochs.'
    """
    sentences = _SENTENCE_END.split(text)
    if len(sentences) > 1:
        turn = rng.randrange(1, len(sentences))
        sentences = sentences[turn:] + sentences[:turn]
    text = " ".join(sentences)

    def jitter(match: re.Match[str]) -> str:
        digits = match.group()
        if "." in digits:
            whole, fraction = digits.split(".")
            value = float(digits) * rng.uniform(0.9, 1.1)
            return f"{value:.{len(fraction)}f}"
        return str(max(0, int(digits) + rng.randint(-3, 3))) if len(digits) < 4 else digits

    text = _NUMBER.sub(jitter, text)
    words = text.split(" ")
    # Only plain lower-case words change: names keep their form, so entities do not gain made-up aliases.
    plain = [i for i, word in enumerate(words) if len(word) > 3 and word.rstrip(".,;:").isalpha() and word.islower()]
    for index in rng.sample(plain, k=min(len(plain), int(len(words) / 25 + rng.random()))):
        word = words[index]
        stem, tail = word.rstrip(".,;:"), word[len(word.rstrip(".,;:")):]
        if rng.random() < 0.6:
            words[index] = stem + rng.choice(_SUFFIXES) + tail
        else:  # a word no other copy is likely to share: new strings for the tokenizer
            words[index] = f"{stem}{''.join(rng.choices('abcdefghkmnpqrstvxz', k=2))}{tail}"
    return " ".join(words)


def base_papers(sources: list[Path]) -> list[dict]:
    """The real papers the corpus is made from, as JSON records."""
    from kg.ingest import read_inputs

    papers = read_inputs([s for s in sources if s.exists()])
    return [
        {"title": p.title, "abstract": p.abstract, "url": p.url, "date": p.date, "authors": list(p.authors)}
        for p in papers
        if p.abstract
    ]


def write_corpus(bases: list[dict], size: int, path: Path) -> None:
    """``size`` papers as JSON Lines at ``path``: the bases, then perturbed numbered copies."""
    with open(path, "w", encoding="utf-8") as out:
        for number in range(size):
            copy, index = divmod(number, len(bases))
            base = bases[index]
            record = dict(base, id=f"bench-{number:06d}")
            if copy:
                rng = random.Random(number)
                record["title"] = f"{base['title']} (copy {copy})"
                record["abstract"] = perturbed(base["abstract"], rng)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------
# Running one measured process
# --------------------------------------------------------------------------


@dataclass
class Run:
    """One measured subprocess: wall and CPU seconds, the largest process's peak RSS, the tree's peak RSS."""

    wall: float
    cpu: float
    max_rss_mb: float
    tree_peak_mb: float
    stdout: str = ""
    summary: dict = field(default_factory=dict)


def _tree_rss_kb(pid: int) -> int:
    """Resident set size of ``pid`` and its descendants, summed, in kB (0 where /proc cannot tell).

    From /proc/PID/status, which costs microseconds; smaps_rollup (proportional
    sizes) costs 20 ms for a 2 GB process and, read every 0.1 s, took half a
    core from the build it measured. Pages a forked worker still shares with
    its parent count twice, so for J > 1 this is an upper bound.
    """
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command``, failing loudly on a non-zero exit; return its wall time and memory peaks."""
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{text[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # the build's and its waited-for workers'
    return Run(wall=wall, cpu=cpu, max_rss_mb=usage.ru_maxrss / 1024, tree_peak_mb=peak[0] / 1024, stdout=text)


TOKENIZER_SCRIPT = """
import sys, time, spacy
from kg.ingest import read_inputs
texts = [p.text for p in read_inputs([sys.argv[1]])]
tokenizer = spacy.blank("en").tokenizer
started = time.perf_counter()
for _ in tokenizer.pipe(texts, batch_size=256):
    pass
print(time.perf_counter() - started)
"""


def time_tokenizer(corpus: Path) -> float:
    """Seconds spaCy's bare tokenizer takes over the corpus's texts, cold, in a fresh process."""
    run = run_measured([sys.executable, "-c", TOKENIZER_SCRIPT, str(corpus)])
    return float(run.stdout.strip().splitlines()[-1])


def time_build(corpus: Path, output: Path, jobs: int, extra: list[str]) -> Run:
    """One ``kg build`` of ``corpus`` into ``output`` (emptied first), measured."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(output), "--jobs", str(jobs), "-q", *extra]
    run = run_measured(command)
    run.summary = json.loads((output / "summary.json").read_text())
    return run


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="--jobs values to build with, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs in this folder")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("build_options", nargs="*", help="extra kg build options, after --")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]

    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bases = base_papers(DEFAULT_SOURCES)
    print(f"{len(bases)} real abstracts; cores {os.cpu_count()}; work folder {work}", flush=True)
    rows = []
    try:
        for size in sizes:
            corpus = work / f"corpus-{size}.jsonl"
            write_corpus(bases, size, corpus)
            tokenizer_s = time_tokenizer(corpus)
            print(f"size {size}: bare tokenizer {tokenizer_s:.2f} s ({size / tokenizer_s:,.0f} abstracts/s)", flush=True)
            first = None
            for jobs in jobs_list:
                run = time_build(corpus, work / f"out-{size}-j{jobs}", jobs, args.build_options)
                seconds = run.summary["seconds"]
                row = {
                    "size": size, "jobs": jobs, "seconds": {s: seconds.get(s, 0.0) for s in STAGES},
                    "total": seconds["total"], "wall": round(run.wall, 2), "cpu": round(run.cpu, 1),
                    "store_wait": seconds.get("store_wait", 0.0), "tokenizer": round(tokenizer_s, 3),
                    "extract_per_core": size / seconds["extract"] / jobs,
                    "build_per_core": size / run.wall / jobs,
                    "ratio": tokenizer_s / seconds["extract"] / jobs,
                    "max_rss_mb": round(run.max_rss_mb), "tree_peak_mb": round(run.tree_peak_mb),
                }
                first = first or row
                row["speedup"] = first["wall"] / row["wall"]
                row["extract_speedup"] = first["seconds"]["extract"] / row["seconds"]["extract"]
                rows.append(row)
                print(f"  jobs {jobs}: {run.wall:.1f} s wall, {json.dumps(row['seconds'])}, "
                      f"peak {row['max_rss_mb']} MB", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


def print_table(rows: list[dict]) -> None:
    """The figures as a Markdown table."""
    head = ["size", "jobs", *STAGES, "store wait", "total s", "wall s", "CPU s", "extract /s/core", "build /s/core",
            "extract ÷ tokenizer", "speed-up (wall / extract)", "peak RSS MB (tree sum)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        cells = [f"{row['size']:,}", str(row["jobs"]), *(f"{row['seconds'][s]:.1f}" for s in STAGES),
                 f"{row['store_wait']:.1f}", f"{row['total']:.1f}", f"{row['wall']:.1f}", f"{row['cpu']:.0f}",
                 f"{row['extract_per_core']:,.0f}",
                 f"{row['build_per_core']:,.0f}", f"{row['ratio']:.2f}",
                 f"{row['speedup']:.2f} / {row['extract_speedup']:.2f}",
                 f"{row['max_rss_mb']:,} ({row['tree_peak_mb']:,})"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
