"""GraphML and GEXF exports open in the parsers Gephi Lite uses (graphology, run under Node).

Runs .ci/graphology_check.mjs; skipped when Node or .ci/node_modules is
missing (``npm ci --prefix .ci`` installs the pinned parsers).
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.export.gexf import write_gexf
from kg.export.graphml import write_graphml
from kg.export.layout import compute_layout

CI_DIR = Path(__file__).parents[2] / ".ci"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (CI_DIR / "node_modules" / "graphology-graphml").is_dir(),
    reason="needs node and `npm ci --prefix .ci`",
)


def run_check(graph, tmp_path, nodes=None, edges=None):
    positions = compute_layout(graph)
    write_graphml(graph, tmp_path / "kg.graphml", positions=positions)
    write_gexf(graph, tmp_path / "kg.gexf", positions=positions)
    counts = [str(graph.number_of_nodes() if nodes is None else nodes), str(graph.number_of_edges() if edges is None else edges)]
    return subprocess.run(
        [NODE, str(CI_DIR / "graphology_check.mjs"), str(tmp_path / "kg.graphml"), str(tmp_path / "kg.gexf"), *counts],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_small_graph_opens_in_gephi_lite_parsers(graph, tmp_path):
    result = run_check(graph, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "multi=true" in result.stdout


def test_synthetic_graph_opens_in_gephi_lite_parsers(make_synthetic_graph, tmp_path):
    result = run_check(make_synthetic_graph(papers=300, entities=120), tmp_path)
    assert result.returncode == 0, result.stderr


def test_check_fails_when_counts_differ(graph, tmp_path):
    result = run_check(graph, tmp_path, edges=graph.number_of_edges() + 1)
    assert result.returncode == 1
    assert "edges" in result.stderr
