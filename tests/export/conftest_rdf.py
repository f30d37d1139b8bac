"""Small hand-built corpora for the RDF export tests (imported explicitly by test_rdf.py).

``small_corpus()`` has three papers, entity families, proposals and results;
``hostile_corpus()`` has names, keys and URLs full of characters that IRIs
and Turtle strings must escape.
"""

from __future__ import annotations

from decimal import Decimal

from kg.records import Corpus, Entity, EntityMention, Paper, ResolvedPaper, Result, SourceLocation


def entity(key: str, name: str, type_: str, *aliases: str, family: str | None = None, description: str | None = None) -> Entity:
    return Entity(key=key, name=name, type=type_, aliases=aliases, family=family, description=description)  # type: ignore[arg-type]


def mention(key: str, sentence: str, cue: str = "vocabulary", confidence: float = 0.9) -> EntityMention:
    return EntityMention(entity=key, surface=(key.split("/", 1)[1],), sentence=sentence, cue=cue, confidence=confidence)


def result(key: str, metric: str | None, value: str, dataset: str | None, subject: str | None, sentence: str,
           unit: str | None = None, relative: bool = False) -> Result:
    return Result(key=key, metric=metric, value=Decimal(value), unit=unit, dataset=dataset, subject=subject,
                  relative=relative, sentence=sentence, confidence=0.8)


def paper(pid: str, title: str, abstract: str, line: int, **extra) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, sources=(SourceLocation("daily/000.txt", line),), **extra)


def small_corpus() -> Corpus:
    entities = [
        entity("dataset/cifar-10", "CIFAR-10", "Dataset", "CIFAR10"),
        entity("dataset/imagenet", "ImageNet", "Dataset", description="A large image database."),
        entity("dataset/imagenet-64", "ImageNet 64x64", "Dataset", family="dataset/imagenet"),
        entity("metric/fid", "FID", "Metric", "Frechet Inception Distance"),
        entity("metric/top-1-accuracy", "top-1 accuracy", "Metric"),
        entity("architecture/resnet", "ResNet", "Architecture"),
        entity("architecture/resnet-50", "ResNet-50", "Architecture", family="architecture/resnet"),
        entity("method/consistency-models", "consistency models", "Method", "CM"),
        entity("task/image-generation", "image generation", "Task"),
    ]
    s1 = "We achieve FID of 3.55 on CIFAR-10 and 6.20 on ImageNet 64x64."
    s2 = "ResNet-50 reaches 76.1% top-1 accuracy on ImageNet, +2.1% over the baseline."
    papers = (
        ResolvedPaper(
            paper=paper("000-000", "Consistency Models", "Consistency models generate images. " + s1, 1,
                        url="https://arxiv.org/abs/2303.01469", date="2023-03-02",
                        code_urls=("https://github.com/openai/consistency_models",)),
            mentions=(mention("method/consistency-models", "Consistency models generate images.", "title-prefix", 1.0),
                      mention("dataset/cifar-10", s1), mention("dataset/imagenet-64", s1), mention("metric/fid", s1),
                      mention("task/image-generation", "Consistency models generate images.", "context:task", 0.55)),
            proposes=("method/consistency-models",),
            results=(result("result/cm-cifar", "metric/fid", "3.55", "dataset/cifar-10", "method/consistency-models", s1),
                     result("result/cm-in64", "metric/fid", "6.20", "dataset/imagenet-64", "method/consistency-models", s1)),
        ),
        ResolvedPaper(
            paper=paper("000-001", "Deep Residual Learning", s2, 4, date="Dec 2015"),
            mentions=(mention("architecture/resnet-50", s2), mention("dataset/imagenet", s2),
                      mention("metric/top-1-accuracy", s2)),
            proposes=("architecture/resnet",),
            results=(result("result/rn-top1", "metric/top-1-accuracy", "76.1", "dataset/imagenet", "architecture/resnet-50", s2, "%"),
                     result("result/rn-gain", "metric/top-1-accuracy", "2.1", "dataset/imagenet", None, s2, "%", True)),
        ),
        ResolvedPaper(
            paper=paper("000-002", "A Paper Without Links", "", 7),
            mentions=(), proposes=(), results=(),
        ),
    )
    return Corpus(entities={e.key: e for e in entities}, papers=papers)


#: Names that break naive IRI minting or string quoting.
HOSTILE_NAMES = (
    'He said "hi" <script>alert(1)</script>',
    "back\\slash\ttab\nnewline\r",
    "emoji 🚀 and accents: Fréchet über 東京",
    "{braces} | pipe ^ caret `tick` 100% #hash ?q=1&x",
    "trailing dot.",
)


def hostile_corpus() -> Corpus:
    entities = {}
    for name in HOSTILE_NAMES:
        key = f"method/{name}"  # deliberately not slugged
        entities[key] = entity(key, name, "Method", name + " alias", description=name)
    entities["dataset/./.."] = entity("dataset/./..", "Dots", "Dataset")
    entities["metric/%20"] = entity("metric/%20", "Percent", "Metric")
    keys = sorted(entities)
    title = 'Title with "quotes", <angles> and \\ backslash'
    papers = (
        ResolvedPaper(
            paper=paper("x y\"z", title, HOSTILE_NAMES[1], 1, url='https://example.org/a b/"c"<d>?q=%zz',
                        date="2024-02-30", code_urls=("not a url", "https://github.com/a/b c")),
            mentions=tuple(mention(k, HOSTILE_NAMES[0], cue='cue "x"') for k in keys),
            proposes=(keys[0],),
            results=(result('result/hostile "1"', "metric/%20", "1E+2", "dataset/./..", keys[0], HOSTILE_NAMES[2], unit='"%"'),),
        ),
    )
    return Corpus(entities=entities, papers=papers)
