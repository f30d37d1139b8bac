"""A small corpus for the store tests, loaded once into an on-disk store.

Three papers report FID on CIFAR-10 (9.5, 10.2 and 100: lexical order
differs from numeric order) and top-1 accuracy on ImageNet (9.5, 10.2,
100 again, plus a relative gain that a leaderboard must leave out).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.records import Corpus, Entity, EntityMention, Paper, ResolvedPaper, Result, SourceLocation

FID_VALUES = ("100", "9.5", "10.2")
ACCURACY_VALUES = ("10.2", "100", "9.5")


def _entity(key: str, name: str, type_: str, *aliases: str, family: str | None = None) -> Entity:
    return Entity(key=key, name=name, type=type_, aliases=aliases, family=family)  # type: ignore[arg-type]


def _mention(key: str, sentence: str) -> EntityMention:
    return EntityMention(entity=key, surface=(key,), sentence=sentence, cue="vocabulary", confidence=0.9)


def leaderboard_corpus() -> Corpus:
    entities = [
        _entity("dataset/cifar-10", "CIFAR-10", "Dataset", "CIFAR10"),
        _entity("dataset/imagenet", "ImageNet", "Dataset", "ImageNet-1K"),
        _entity("metric/fid", "FID", "Metric", "Frechet Inception Distance"),
        _entity("metric/top-1-accuracy", "top-1 accuracy", "Metric", "Top-1"),
        _entity("architecture/vit", "ViT", "Architecture", "Vision Transformer"),
        _entity("architecture/vit-b-16", "ViT-B/16", "Architecture", family="architecture/vit"),
        _entity("architecture/vit-b-16-384", "ViT-B/16@384", "Architecture", family="architecture/vit-b-16"),
        _entity("architecture/resnet", "ResNet", "Architecture"),
        _entity("architecture/resnet-50", "ResNet-50", "Architecture", family="architecture/resnet"),
        _entity("method/model-0", "Model Zero", "Method"),
        _entity("method/model-1", "Model One", "Method"),
        _entity("method/model-2", "Model Two", "Method"),
        _entity("task/image-generation", "image generation", "Task"),
    ]
    papers = []
    variants = ("architecture/vit", "architecture/vit-b-16-384", "architecture/resnet-50")
    for i, (fid, accuracy) in enumerate(zip(FID_VALUES, ACCURACY_VALUES)):
        method = f"method/model-{i}"
        sentence = f"Model {i} reaches FID {fid} on CIFAR-10 and {accuracy}% top-1 accuracy on ImageNet."
        keys = (method, "dataset/cifar-10", "metric/fid", "metric/top-1-accuracy", variants[i])
        keys += ("dataset/imagenet",) if i != 2 else ()
        results = [
            Result(f"result/fid-{i}", "metric/fid", Decimal(fid), None, "dataset/cifar-10", method, False, sentence, 0.9),
            Result(f"result/acc-{i}", "metric/top-1-accuracy", Decimal(accuracy), "%", "dataset/imagenet", method, False, sentence, 0.9),
        ]
        if i == 0:
            results.append(Result("result/gain-0", "metric/top-1-accuracy", Decimal("1000"), "%", "dataset/imagenet",
                                  method, True, sentence, 0.9))
        papers.append(
            ResolvedPaper(
                paper=Paper(id=f"001-{i:03d}", title=f"Paper {i}: Model {i} for Image Generation",
                            abstract=sentence, sources=(SourceLocation("daily/001.txt", 1 + 3 * i),)),
                mentions=tuple(_mention(k, sentence) for k in keys),
                proposes=(method,),
                results=tuple(results),
            )
        )
    return Corpus(entities={e.key: e for e in entities}, papers=tuple(papers))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return leaderboard_corpus()


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory, corpus) -> Path:
    from kg.store.oxigraph import load_store

    directory = tmp_path_factory.mktemp("stores") / "store"
    load_store(corpus, directory)
    return directory


@pytest.fixture(scope="session")
def store(store_dir):
    from kg.store.oxigraph import open_store

    return open_store(store_dir)


def write_build_folder(folder: Path, html: str) -> Path:
    """A build folder as ``kg build`` leaves it: store/ of the leaderboard corpus, kg.html, and kg.ttl dumped from the store."""
    import pyoxigraph as ox

    from kg.store.oxigraph import load_store, open_store

    load_store(leaderboard_corpus(), folder / "store")
    (folder / "kg.html").write_text(html, encoding="utf-8")
    store = open_store(folder / "store")
    (folder / "kg.ttl").write_bytes(store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()))
    del store  # the store's lock is released before a server opens it
    return folder
