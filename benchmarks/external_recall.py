"""Recall (and, on SciER, precision) of kg's extractor on annotated sets it was not tuned on.

    python benchmarks/external_recall.py [--split dev|test|all] [--misses FILE] [--top 40]

Reads, at run time and never into the repository (GPL-3.0 / unlicensed data):

- SciER (``../shared/external/scier/PLM/{dev,test,test_ood}.jsonl``): sentences of
  full ML papers, densely annotated with Method / Task / Dataset spans. One
  document is one text (so acronyms defined early count later).
- CS-NER, PwC part (``../shared/external/cs_ner_pwc/pwc/{dev,test}-abs.data``):
  abstracts with silver METHOD / RESEARCH_PROBLEM spans (Papers-with-Code links
  projected onto the text, so many mentions stay unlabelled: no precision).

``--split dev`` is SciER train (its sentence files, gold strings located in
their sentence) and dev + CS-NER dev-abs (where misses are read to decide
what to fix); ``--split test`` is SciER test + test_ood + CS-NER test-abs
(kept for reporting).

Type mapping: SciER Method and CS-NER METHOD → our Method or Architecture;
Task and RESEARCH_PROBLEM → Task; SciER Dataset → Dataset.

Matching: a gold span is *found* when one of our mentions (the outermost spans,
as ``extract_papers`` returns them) overlaps it in characters and has the same
normalised text (the gold scorer's normalisation: NFKC, case folded, hyphens,
spaces, dots and slashes removed, a trailing plural "s" dropped); *typed* also
needs a compatible type. *overlap* recall accepts any overlapping mention of
a compatible type, whatever its extent.

Which gold spans count (``named_or_specific``): both schemes also mark generic
mentions ("our model", "the network", "deep learning", "classification"),
which our guideline leaves out. A gold span is kept unless, after trimming
edge punctuation, (a) its first word is a determiner or pronoun ("the",
"our", "this", "it", …), or (b) every word is a generic word (GENERIC_WORDS:
"model", "network", "neural", "deep", "learning", "proposed", …), or (c) it is
one bare problem noun ("classification", "segmentation", "detection", …).
Figures are given for the kept subset and for all gold spans.

SciER's text is re-tokenised with digits split ("ResNet - 1 0 1", "VGG 1 6");
``detokenize`` joins it back with simple rules (hyphens and slashes close up,
digit runs join, and join the preceding word when it has an inner capital).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external"

COMPATIBLE = {"Method": {"Method", "Architecture"}, "Task": {"Task"}, "Dataset": {"Dataset"}}
DETERMINERS = set(
    "the a an this these that those our their its his her my your such each both other another "
    "which it they we them any all some several many most these".split()
)
GENERIC_WORDS = set(
    "model models method methods approach approaches framework frameworks network networks system systems "
    "algorithm algorithms architecture architectures technique techniques module modules baseline baselines "
    "data dataset datasets benchmark benchmarks corpus corpora task tasks problem problems neural deep "
    "learning machine proposed existing novel new standard classifier classifiers encoder decoder layer layers "
    "feature features representation representations training based state-of-the-art sota end-to-end "
    "pipeline strategy scheme mechanism procedure process function component structure variant version".split()
)
BARE_PROBLEM_NOUNS = set(
    "classification segmentation detection recognition prediction regression localization localisation "
    "registration reconstruction tracking generation estimation translation retrieval clustering "
    "matching analysis inference optimization optimisation synthesis modeling modelling".split()
)
EDGE_PUNCT = "()[]{},.;:\"'`"


def normalise(name: str) -> str:
    """The gold scorer's normalisation: NFKC, case folded, no hyphens/spaces/dots/slashes, no plural s."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\s\-‐‑–—./]", "", text)
    return text[:-1] if text.endswith("s") and len(text) > 3 else text


def named_or_specific(text: str) -> bool:
    """Whether a gold mention is one our guideline would annotate (see the module docstring)."""
    words = text.lower().replace("-", " ").split()
    if not words:
        return False
    if words[0] in DETERMINERS:
        return False
    if all(w in GENERIC_WORDS or w.rstrip("s") in GENERIC_WORDS for w in words):
        return False
    return not (len(words) == 1 and words[0] in BARE_PROBLEM_NOUNS)


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str  # Method, Task or Dataset


@dataclass
class Document:
    source: str
    id: str
    text: str
    gold: list[Gold]


# --- reading -------------------------------------------------------------------------------

_CLOSE_UP_BEFORE = {",", ".", ";", ":", ")", "]", "}", "%", "?", "!", "'s", "n't"}
_CLOSE_UP_AFTER = {"(", "[", "{"}


def detokenize(tokens: list[str]) -> tuple[str, list[int]]:
    """Text and each token's start offset, for SciER's space-joined, digit-split tokens."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        glue = i > 0 and (
            token in _CLOSE_UP_BEFORE
            or prev in _CLOSE_UP_AFTER
            or token in {"-", "/"} and prev[-1:].isalnum() and nxt[:1].isalnum()
            or prev in {"-", "/"} and i > 1 and tokens[i - 2][-1:].isalnum() and token[:1].isalnum()
            or token.isdigit() and len(token) == 1 and prev[-1:].isdigit()
            or token == "." and prev.isdigit() and nxt.isdigit() and len(nxt) == 1
            or token.isdigit() and prev == "." and i > 1 and tokens[i - 2].isdigit()
            or token == "2" and prev.isalpha() and nxt.lower() in {"vec", "seq", "v"}  # word2vec, seq2seq
            or prev == "2" and token.lower() in {"vec", "seq", "v"} and i > 1 and tokens[i - 2].isalpha()
            or token.isdigit() and len(token) == 1 and not _year_at(tokens, i)
            and re.fullmatch(r"[A-Za-z]+[A-Z][A-Za-z]*|[A-Z][a-z]?|v", prev or "-")
            or len(token) == 1 and token.isalpha() and prev.isdigit() and len(prev) == 1 and i > 1
            and re.fullmatch(r"\d|[A-Za-z]+[A-Z][A-Za-z]*|[A-Z]|-", tokens[i - 2])
        )
        if i and not glue:
            parts.append(" ")
            length += 1
        starts.append(length)
        parts.append(token)
        length += len(token)
    return "".join(parts), starts


def _year_at(tokens: list[str], i: int) -> bool:
    """Whether tokens[i:] spell a year digit by digit ("2 0 1 2"): it stays apart from the name before it."""
    digits = "".join(t for t in tokens[i : i + 4] if len(t) == 1 and t.isdigit())
    return len(digits) == 4 and digits[:2] in {"19", "20"} and not (i + 4 < len(tokens) and tokens[i + 4].isdigit())


def read_scier(splits: list[str]) -> list[Document]:
    documents = []
    for split in splits:
        for line in (EXTERNAL / "scier" / "PLM" / f"{split}.jsonl").open(encoding="utf-8"):
            record = json.loads(line)
            tokens = record["doc_tokens"]
            text, starts = detokenize(tokens)
            gold = []
            for sentence in record["ner"]:
                for first, last, kind in sentence:
                    start, end = starts[first], starts[last] + len(tokens[last])
                    gold.append(Gold(start, end, text[start:end], kind))
            documents.append(Document(f"scier/{split}", str(record["doc_id"]), text, gold))
    return documents


def read_scier_sentences(split: str) -> list[Document]:
    """SciER's sentence files (``LLM/``; the PLM train file is missing): gold strings located in their sentence."""
    by_doc: dict[str, list[dict]] = collections.defaultdict(list)
    for line in (EXTERNAL / "scier" / "LLM" / f"{split}.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        by_doc[str(record["doc_id"])].append(record)
    documents = []
    for doc_id, records in by_doc.items():
        tokens: list[str] = []
        spans: list[tuple[int, int, str]] = []
        for record in records:
            words = record["sentence"].split()
            taken: set[int] = set()
            for surface, kind in record["ner"]:
                needle = surface.split()
                for i in range(len(words) - len(needle) + 1):
                    if words[i : i + len(needle)] == needle and i not in taken:
                        taken.add(i)
                        spans.append((len(tokens) + i, len(tokens) + i + len(needle) - 1, kind))
                        break
            tokens.extend(words)
        text, starts = detokenize(tokens)
        gold = []
        for first, last, kind in spans:
            start, end = starts[first], starts[last] + len(tokens[last])
            gold.append(Gold(start, end, text[start:end], kind))
        documents.append(Document(f"scier/{split}", doc_id, text, gold))
    return documents


def read_cs_ner(name: str) -> list[Document]:
    raw = (EXTERNAL / "cs_ner_pwc" / "pwc" / name).read_bytes()
    lines = []
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    types = {"RESEARCH_PROBLEM": "Task", "METHOD": "Method"}
    documents: list[Document] = []
    units: list[list[tuple[str, str]]] = [[]]
    for line in lines:
        line = line.rstrip("\r")
        if not line.strip():
            if units[-1]:
                units.append([])
            continue
        token, _, tag = line.partition("\t")
        units[-1].append((token, tag.strip()))
    for n, unit in enumerate(u for u in units if u):
        text = " ".join(token for token, _ in unit)
        starts, offset = [], 0
        for token, _ in unit:
            starts.append(offset)
            offset += len(token) + 1
        gold, open_at = [], None
        for i, (token, tag) in enumerate(unit):
            prefix, _, kind = tag.partition("-")
            if prefix in {"B", "S"}:
                open_at = i
            if prefix in {"E", "S"} and open_at is not None:
                start, end = starts[open_at], starts[i] + len(token)
                while start < end and text[start] in EDGE_PUNCT:
                    start += 1
                while end > start and text[end - 1] in EDGE_PUNCT:
                    end -= 1
                if end > start:
                    gold.append(Gold(start, end, text[start:end], types[kind]))
                open_at = None
        documents.append(Document(f"cs_ner/{name.removesuffix('.data')}", str(n), text, gold))
    return documents


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    text: str
    type: str
    cue: str


def run_pipeline(documents: list[Document]) -> tuple[list[list[Predicted]], list[list[tuple[int, int]]]]:
    """Our mentions per document (offsets into the document's text) and its token extents."""
    from kg.extract import build_pipeline
    from kg.extract.doc_view import doc_view
    from kg.extract.pipeline import extraction_from_doc
    from kg.records import Paper, SourceLocation

    nlp = build_pipeline()
    # An empty title: the text is "\n\n" + body, so offsets shift by two.
    papers = [Paper(id=d.id, title="", abstract=d.text, sources=(SourceLocation(d.source, 1),)) for d in documents]
    predicted, tokens = [], []
    for doc, paper in nlp.pipe(((p.text, p) for p in papers), as_tuples=True, batch_size=16):
        extraction = extraction_from_doc(paper, doc)
        predicted.append([Predicted(m.start - 2, m.end - 2, m.text, m.type, m.cue) for m in extraction.mentions])
        view = doc_view(doc)
        tokens.append([(s - 2, s - 2 + len(t)) for s, t in zip(view.char_starts, view.texts) if not t.isspace()])
    return predicted, tokens


ACRONYM = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*s?")


def miss_cause(gold: Gold, text: str, ours: list[Predicted], boundaries: set[int]) -> str:
    """Why a gold span was not found (first rule that applies)."""
    overlapping = [p for p in ours if p.start < gold.end and gold.start < p.end]
    if any(normalise(p.text) == normalise(gold.text) for p in overlapping):
        return "wrong type"
    if overlapping:
        longer = any(p.start <= gold.start and p.end >= gold.end for p in overlapping)
        return "ours longer (boundary)" if longer else "ours shorter/shifted (boundary)"
    if gold.start not in boundaries or gold.end not in boundaries:
        return "tokenizer split"
    words = gold.text.split()
    if len(words) == 1 and ACRONYM.fullmatch(gold.text) and len(gold.text) <= 8:
        defined = f"({gold.text})" in text.replace("( ", "(").replace(" )", ")")
        return "acronym defined, missed" if defined else "acronym not defined"
    if any(c.isupper() or c.isdigit() for c in gold.text):
        return "name not in vocabulary"
    if "/" in gold.text or "-" in gold.text:
        return "hyphen/slash form"
    if re.search(rf"\b\w+(?:-| )?(?:and|or|,)\s+{re.escape(gold.text)}", text) and len(words) > 1:
        return "elided list"
    return "lower-case phrase not discovered" if len(words) > 1 else "lower-case word not discovered"


def score(documents, predicted, tokens, top: int, misses_path: Path | None) -> None:
    sources = sorted({d.source.split("/")[0] for d in documents})
    miss_rows = []
    for source in sources:
        picked = [i for i, d in enumerate(documents) if d.source.startswith(source)]
        counts: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
        causes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        missed_names: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        precision = collections.Counter()
        for i in picked:
            doc, ours = documents[i], predicted[i]
            boundaries = {s for s, _ in tokens[i]} | {e for _, e in tokens[i]}
            for gold in doc.gold:
                subset = "named" if named_or_specific(gold.text) else "generic"
                overlapping = [p for p in ours if p.start < gold.end and gold.start < p.end]
                same = [p for p in overlapping if normalise(p.text) == normalise(gold.text)]
                typed = [p for p in same if p.type in COMPATIBLE[gold.type]]
                for kind in (gold.type, "all"):
                    for sub in (subset, "any"):
                        c = counts[(kind, sub)]
                        c["gold"] += 1
                        c["found"] += bool(same)
                        c["typed"] += bool(typed)
                        c["overlap"] += any(p.type in COMPATIBLE[gold.type] for p in overlapping)
                if subset == "named" and not typed:
                    cause = miss_cause(gold, doc.text, ours, boundaries)
                    causes[gold.type][cause] += 1
                    missed_names[gold.type][gold.text] += 1
                    start = doc.text.rfind(" ", 0, max(0, gold.start - 60))
                    miss_rows.append((doc.source, gold.type, gold.text, cause,
                                      " ".join(f"{p.text}/{p.type}" for p in overlapping),
                                      doc.text[start + 1 : gold.end + 60].replace("\t", " ").replace("\n", " ")))
            if source == "scier":
                for p in ours:
                    if p.type == "Metric":
                        continue
                    hits = [g for g in doc.gold if p.start < g.end and g.start < p.end]
                    precision["predicted"] += 1
                    precision["overlaps gold"] += bool(hits)
                    precision["same text"] += any(normalise(g.text) == normalise(p.text) for g in hits)
                    precision["same text, type"] += any(
                        normalise(g.text) == normalise(p.text) and p.type in COMPATIBLE[g.type] for g in hits)
        print(f"\n== {source}: {len(picked)} texts ({', '.join(sorted({documents[i].source for i in picked}))})")
        print(f"{'type':10} {'subset':8} {'gold':>6} {'found':>7} {'typed':>7} {'overlap':>8}")
        for kind in ("Method", "Task", "Dataset", "all"):
            for sub in ("named", "any"):
                c = counts.get((kind, sub))
                if not c:
                    continue
                print(f"{kind:10} {sub:8} {c['gold']:6d} {c['found'] / c['gold']:7.3f} "
                      f"{c['typed'] / c['gold']:7.3f} {c['overlap'] / c['gold']:8.3f}")
        if precision:
            n = precision["predicted"]
            print(f"precision over our {n} Method/Architecture/Task/Dataset mentions: "
                  + ", ".join(f"{k} {precision[k] / n:.3f}" for k in ("overlaps gold", "same text", "same text, type")))
        for kind in ("Method", "Task", "Dataset"):
            if causes[kind]:
                total = sum(causes[kind].values())
                print(f"-- missed named {kind} ({total}):", "; ".join(f"{c} {n}" for c, n in causes[kind].most_common()))
                print("   top:", ", ".join(f"{t} ({n})" for t, n in missed_names[kind].most_common(top)))
    if misses_path:
        with misses_path.open("w", encoding="utf-8") as out:
            out.write("source\ttype\tgold\tcause\tours overlapping\tcontext\n")
            for row in miss_rows:
                out.write("\t".join(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--misses", type=Path, help="write every missed named gold span here (TSV)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    scier = {"dev": ["dev"], "test": ["test", "test_ood"], "all": ["dev", "test", "test_ood"]}[args.split]
    cs_ner = {"dev": ["dev-abs.data"], "test": ["test-abs.data"], "all": ["dev-abs.data", "test-abs.data"]}[args.split]
    documents = read_scier(scier) + (read_scier_sentences("train") if args.split != "test" else []) + [d for name in cs_ner for d in read_cs_ner(name)]
    predicted, tokens = run_pipeline(documents)
    score(documents, predicted, tokens, args.top, args.misses)


if __name__ == "__main__":
    sys.exit(main())
