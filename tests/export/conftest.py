"""Graphs for the export tests, built by hand in the shape of kg/graph/model.py.

``small_graph`` has three papers, eight entities and three results; one paper
and one entity carry HTML and script in their text, so every writer is tested
against markup in its input. ``synthetic_graph`` makes bigger graphs of the
same shape for the layout and size tests.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import networkx as nx
import pytest

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_ABSTRACT = (
    'We beat <script>alert("abstract")</script> on CIFAR-10 & ImageNet; '
    "see <a href=\"javascript:alert(1)\">code</a> — it's \"fast\". </script><b>bold</b>"
)
HOSTILE_ENTITY = '"><svg onload=alert(2)>'


def _paper(graph: nx.MultiDiGraph, key: str, title: str, abstract: str, **extra) -> None:
    graph.add_node(
        key,
        kind="Paper",
        label=title,
        title=title,
        abstract=abstract,
        paper_id=extra.pop("paper_id"),
        date=extra.pop("date", None),
        url=extra.pop("url", None),
        code_urls=extra.pop("code_urls", ()),
        sources=extra.pop("sources", ()),
    )


def _entity(graph: nx.MultiDiGraph, key: str, kind: str, name: str, papers: int, aliases=(), description=None):
    graph.add_node(
        key, kind=kind, label=name, name=name, aliases=tuple(aliases), description=description, papers=papers
    )


def _mention(graph: nx.MultiDiGraph, paper: str, entity: str, sentence: str, proposes: bool = False) -> None:
    attrs = dict(evidence=sentence, cue="vocabulary", confidence=0.9)
    graph.add_edge(paper, entity, key="mentions", relation="mentions", **attrs)
    if proposes:
        graph.add_edge(paper, entity, key="proposes", relation="proposes", **attrs)


def _result(graph, key, paper, label, value, metric, dataset, subject, evidence, unit=None):
    names = {k: graph.nodes[k]["name"] if k else None for k in (metric, dataset, subject)}
    graph.add_node(
        key,
        kind="Result",
        label=label,
        value=Decimal(value),
        unit=unit,
        relative=False,
        evidence=evidence,
        metric=names[metric],
        dataset=names[dataset],
        subject=names[subject],
        paper=paper,
    )
    graph.add_edge(paper, key, key="reports", relation="reports")
    for role, target in (("metric", metric), ("dataset", dataset), ("subject", subject)):
        if target:
            graph.add_edge(key, target, key=role, relation=role)


def small_graph() -> nx.MultiDiGraph:
    """Three papers (one with a hostile title and abstract), eight entities, three results."""
    g = nx.MultiDiGraph()
    _entity(g, "dataset/cifar-10", "Dataset", "CIFAR-10", 3, aliases=("CIFAR10", "CIFAR 10"))
    _entity(g, "dataset/imagenet", "Dataset", "ImageNet", 2, description="A large image dataset")
    _entity(g, "metric/fid", "Metric", "FID", 2, aliases=("Frechet Inception Distance",))
    _entity(g, "method/consistency-model", "Method", "Consistency Model", 1)
    _entity(g, "method/diffusion-model", "Method", "Diffusion Model", 2)
    _entity(g, "architecture/u-net", "Architecture", "U-Net", 1)
    _entity(g, "method/hostile", "Method", HOSTILE_ENTITY, 1, aliases=("<i>x</i>",))
    _entity(g, "task/unnamed", "Task", "Image Generation", 0)
    g.add_edge("method/consistency-model", "method/diffusion-model", key="variant_of", relation="variant_of")

    _paper(
        g,
        "paper/aaa",
        "Consistency Models",
        "Consistency models reach FID 3.55 on CIFAR-10 in one step.",
        paper_id="000-000",
        date="2023-03-02",
        url="https://arxiv.org/abs/2303.01469",
        code_urls=("https://github.com/openai/consistency_models",),
        sources=("daily/000.txt:3",),
    )
    _paper(
        g,
        "paper/bbb",
        HOSTILE_TITLE,
        HOSTILE_ABSTRACT,
        paper_id="000-001",
        code_urls=("javascript:alert(1)", "https://github.com/x/y"),
        sources=("daily/000.txt:5", "extra.jsonl:1"),
    )
    _paper(
        g,
        "paper/ccc",
        "Diffusion Models Beat GANs on Image Synthesis",
        "Diffusion models reach FID 2.97 on ImageNet with a U-Net.",
        paper_id="000-002",
        date="2021-05-11",
    )
    _mention(g, "paper/aaa", "dataset/cifar-10", "Consistency models reach FID 3.55 on CIFAR-10 in one step.")
    _mention(g, "paper/aaa", "metric/fid", "Consistency models reach FID 3.55 on CIFAR-10 in one step.")
    _mention(g, "paper/aaa", "method/consistency-model", "Consistency models reach FID 3.55.", proposes=True)
    _mention(g, "paper/aaa", "method/diffusion-model", "Unlike diffusion models, they are fast.")
    _mention(g, "paper/bbb", "dataset/cifar-10", HOSTILE_ABSTRACT)
    _mention(g, "paper/bbb", "dataset/imagenet", HOSTILE_ABSTRACT)
    _mention(g, "paper/bbb", "method/hostile", HOSTILE_ABSTRACT, proposes=True)
    _mention(g, "paper/ccc", "dataset/imagenet", "Diffusion models reach FID 2.97 on ImageNet with a U-Net.")
    _mention(g, "paper/ccc", "dataset/cifar-10", "We also train on CIFAR-10.")
    _mention(g, "paper/ccc", "method/diffusion-model", "Diffusion models reach FID 2.97.")
    _mention(g, "paper/ccc", "architecture/u-net", "with a U-Net.")
    _result(
        g, "result/r1", "paper/aaa", "FID 3.55 on CIFAR-10", "3.55", "metric/fid", "dataset/cifar-10",
        "method/consistency-model", "Consistency models reach FID 3.55 on CIFAR-10 in one step.",
    )
    _result(
        g, "result/r2", "paper/ccc", "FID 2.97 on ImageNet", "2.97", "metric/fid", "dataset/imagenet",
        "method/diffusion-model", "Diffusion models reach FID 2.97 on ImageNet with a U-Net.",
    )
    _result(
        g, "result/r3", "paper/bbb", "FID 9.9 on CIFAR-10", "9.9", "metric/fid", "dataset/cifar-10",
        "method/hostile", "We get <b>9.9</b> FID & more", unit="%",
    )
    return g


ENTITY_KINDS = ("Method", "Architecture", "Dataset", "Metric", "Task")


def synthetic_graph(papers: int, entities: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph of the model's shape: Zipf-popular entities, 3–12 mentions and up to 2 results per paper."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    keys = []
    for i in range(entities):
        kind = ENTITY_KINDS[i % len(ENTITY_KINDS)]
        key = f"{kind.lower()}/e{i}"
        keys.append(key)
        _entity(g, key, kind, f"{kind} {i}", 0)
    weights = [1.0 / (rank + 1) for rank in range(entities)]
    for p in range(papers):
        pkey = f"paper/p{p}"
        _paper(g, pkey, f"Paper {p} on things", "An abstract. " * 20, paper_id=f"{p:06d}", date=f"2024-{1 + p % 12:02d}-01")
        for entity in set(rng.choices(keys, weights=weights, k=rng.randint(3, 12))):
            _mention(g, pkey, entity, f"Paper {p} uses {entity}.")
            g.nodes[entity]["papers"] += 1
        for r in range(rng.randint(0, 2)):
            metric, dataset, subject = (f"metric/e{3 + 5 * rng.randrange(3)}", f"dataset/e{2 + 5 * rng.randrange(3)}", None)
            if metric in g and dataset in g:
                _result(
                    g, f"result/p{p}r{r}", pkey, f"value {r} on {dataset}", f"{rng.uniform(1, 99):.2f}",
                    metric, dataset, subject, f"Paper {p} reports a number.",
                )
    return g


def snapshot(graph: nx.MultiDiGraph) -> tuple:
    """Everything about a graph that an exporter could change, for before/after comparisons."""
    return (
        list(graph.nodes(data=True)),
        list(graph.edges(keys=True, data=True)),
        dict(graph.graph),
    )


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return small_graph()


@pytest.fixture
def graph_before(graph) -> tuple:
    return copy.deepcopy(snapshot(graph))


@pytest.fixture(scope="session")
def make_small_graph():
    """The builder of ``small_graph``, for tests that need two independent copies."""
    return small_graph


@pytest.fixture(scope="session")
def make_synthetic_graph():
    return synthetic_graph


@pytest.fixture(scope="session")
def take_snapshot():
    return snapshot
