"""compute_layout: deterministic, bounded, every node placed, components kept apart."""

import math
import time

import networkx as nx
import pytest

from kg.export.layout import EXTENT, compute_layout


def test_layout_places_every_node_within_the_extent(graph):
    positions = compute_layout(graph)
    assert set(positions) == set(graph.nodes)
    coordinates = [v for xy in positions.values() for v in xy]
    assert all(math.isfinite(v) for v in coordinates)
    assert max(abs(v) for v in coordinates) == pytest.approx(EXTENT)


def test_layout_is_the_same_for_the_same_seed_and_differs_for_another(make_small_graph):
    graph = make_small_graph()
    assert compute_layout(graph, seed=3) == compute_layout(make_small_graph(), seed=3)
    assert compute_layout(graph, seed=3) != compute_layout(graph, seed=4)


def test_layout_does_not_change_the_graph(graph, graph_before, take_snapshot):
    compute_layout(graph)
    assert take_snapshot(graph) == graph_before


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), nx.empty_graph(1), nx.empty_graph(5), nx.complete_graph(2)])
def test_layout_handles_tiny_and_edgeless_graphs(graph):
    positions = compute_layout(graph)
    assert set(positions) == set(graph.nodes)
    if len(graph) > 1:
        assert len(set(positions.values())) == len(graph)


def test_linked_nodes_end_up_closer_than_unlinked_ones():
    # Two dense clusters joined by one edge: members of a cluster sit together.
    graph = nx.disjoint_union(nx.complete_graph(30), nx.complete_graph(30))
    graph.add_edge(0, 30)
    positions = compute_layout(graph)

    def distance(a, b):
        return math.dist(positions[a], positions[b])

    within = sum(distance(a, b) for a in range(30) for b in range(a + 1, 30)) / 435
    across = sum(distance(a, b) for a in range(30) for b in range(30, 60)) / 900
    assert within < across / 2


def test_layout_of_a_5k_node_graph_takes_seconds_not_minutes(make_synthetic_graph):
    graph = make_synthetic_graph(papers=2000, entities=800)
    assert graph.number_of_nodes() > 4500
    started = time.perf_counter()
    positions = compute_layout(graph)
    assert time.perf_counter() - started < 10
    assert len(set(positions.values())) > 0.95 * len(positions)
