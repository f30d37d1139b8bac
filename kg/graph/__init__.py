"""Graph: the networkx model of the resolved corpus, and its summary figures."""

from kg.graph.model import RELATIONS, build_graph, paper_key

__all__ = ["RELATIONS", "build_graph", "paper_key"]
