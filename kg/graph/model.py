"""The in-memory graph: a networkx MultiDiGraph of papers, entities and results.

Node ids are the records' stable keys ("paper/3f2a…", "dataset/cifar-10",
"result/9c1e…"), the same keys the RDF exporter turns into IRIs. Node
attributes (every exporter reads these, and only these):

- every node: ``kind`` ("Paper", one of the five entity types, or "Result")
  and ``label`` (what a person reads: title, name, or "FID 3.55 on CIFAR-10");
- Paper: ``title``, ``abstract``, ``paper_id``, ``date``, ``url``,
  ``code_urls`` (tuple), ``sources`` (tuple of "file:line");
- entity: ``name``, ``aliases`` (tuple), ``description``, ``papers`` (number
  of papers naming it);
- Result: ``value`` (Decimal), ``unit``, ``relative`` (bool), ``evidence``,
  ``metric``/``dataset``/``subject`` (names, for display) and ``paper`` (key).

Edges are keyed by relation: paper —mentions→ entity and paper —proposes→
entity (``evidence``, ``cue``, ``confidence``), paper —reports→ result,
result —metric/dataset/subject→ entity, entity —variant_of→ family.
Values may be None or tuples here; exporters flatten them for their format.
"""

from __future__ import annotations

import networkx as nx

from kg.records import Corpus, Result

RELATIONS = ("mentions", "proposes", "reports", "metric", "dataset", "subject", "variant_of")


def result_label(result: Result, corpus: Corpus) -> str:
    """A one-line reading of a result: "FID 3.55 on CIFAR-10"."""
    metric = corpus.entities[result.metric].name if result.metric else "value"
    unit = result.unit or ""
    sign = "+" if result.relative else ""
    sep = "" if unit in ("%", "x") else " "
    text = f"{metric} {sign}{result.value}{sep}{unit}".rstrip()
    if result.dataset:
        text += f" on {corpus.entities[result.dataset].name}"
    return text


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """The MultiDiGraph of a resolved corpus, with nodes and edges in a stable order."""
    graph = nx.MultiDiGraph()
    paper_counts: dict[str, int] = {}
    for resolved in corpus.papers:
        for mention in resolved.mentions:
            paper_counts[mention.entity] = paper_counts.get(mention.entity, 0) + 1
    for key in sorted(corpus.entities):
        entity = corpus.entities[key]
        graph.add_node(
            key,
            kind=entity.type,
            label=entity.name,
            name=entity.name,
            aliases=entity.aliases,
            description=entity.description,
            papers=paper_counts.get(key, 0),
        )
    for key in sorted(corpus.entities):
        family = corpus.entities[key].family
        if family:
            graph.add_edge(key, family, key="variant_of", relation="variant_of")
    for resolved in corpus.papers:
        paper = resolved.paper
        pkey = paper_key(paper.title)
        graph.add_node(
            pkey,
            kind="Paper",
            label=paper.title,
            title=paper.title,
            abstract=paper.abstract,
            paper_id=paper.id,
            date=paper.date,
            url=paper.url,
            code_urls=paper.code_urls,
            sources=tuple(str(s) for s in paper.sources),
        )
        proposed = set(resolved.proposes)
        for mention in resolved.mentions:
            attrs = dict(evidence=mention.sentence, cue=mention.cue, confidence=mention.confidence)
            graph.add_edge(pkey, mention.entity, key="mentions", relation="mentions", **attrs)
            if mention.entity in proposed:
                graph.add_edge(pkey, mention.entity, key="proposes", relation="proposes", **attrs)
        for result in resolved.results:
            graph.add_node(
                result.key,
                kind="Result",
                label=result_label(result, corpus),
                value=result.value,
                unit=result.unit,
                relative=result.relative,
                evidence=result.sentence,
                metric=corpus.entities[result.metric].name if result.metric else None,
                dataset=corpus.entities[result.dataset].name if result.dataset else None,
                subject=corpus.entities[result.subject].name if result.subject else None,
                paper=pkey,
            )
            graph.add_edge(pkey, result.key, key="reports", relation="reports")
            for role in ("metric", "dataset", "subject"):
                target = getattr(result, role)
                if target:
                    graph.add_edge(result.key, target, key=role, relation=role)
    return graph


def paper_key(title: str) -> str:
    """The stable key of a paper: "paper/" and a hash of its folded title.

    >>> paper_key("Consistency Models") == paper_key("consistency   models!")
    True
    """
    import hashlib

    from kg.ingest.sources import title_key

    return "paper/" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:12]
