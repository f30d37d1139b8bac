"""Node positions for the exported views: a force-directed layout fast enough for 20k nodes.

Gephi, Gephi Lite and the HTML viewer all draw a file at once when it carries
positions, and otherwise start from random ones (the browser viewer would have
to simulate physics for minutes, see notes/speeds.md §6). networkx's
``spring_layout`` needs SciPy above 500 nodes and compares every pair of nodes
in each step, so this module runs its own ForceAtlas2-style model in NumPy:

- attraction along each edge of the undirected simple projection, linear in
  the distance;
- repulsion between every pair, ``mass_i * mass_j / distance`` with
  ``mass = degree + 1`` (hubs push harder, so their leaves do not pile up);
  summed exactly for small components and, above 300 nodes, computed on a
  grid with FFTs (the particle-mesh method of N-body codes), which costs
  O(n + G² log G) per step instead of O(n²);
- gravity towards the centre, linear in the distance, which keeps small
  components and isolated nodes near the main one;
- a step limit that cools linearly, so the layout settles in a fixed number
  of steps and the same graph and seed give the same positions.

Each connected component is laid out alone and the components are packed
in rows: with one shared simulation, isolated nodes drift far out and the
final rescaling would shrink the main component to a dot.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

# Positions are rescaled so the farthest node sits this far from the centre.
EXTENT = 1000.0
GRAVITY = 0.02
REPULSION = 1.0
# Below this many nodes, summing every pair is cheaper than the grid and exact.
EXACT_REPULSION_MAX = 300


def compute_layout(graph: nx.Graph, seed: int = 0) -> dict[Hashable, tuple[float, float]]:
    """Positions in roughly ±1000 for every node of ``graph``, the same for the same graph and seed.

    Direction, parallel edges and self-loops are ignored: only who is linked
    to whom shapes the drawing. Each connected component is laid out on its
    own and the components are packed in rows, largest first, so isolated
    nodes line up beside the main component instead of being flung to the
    edge of the picture. About 1 s for 5k nodes and 4 s for 20k on one core.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> pos = compute_layout(g)
    >>> sorted(pos) == ["a", "b", "c"] and pos == compute_layout(g)
    True
    >>> max(abs(v) for xy in pos.values() for v in xy)
    1000.0
    """
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    sources, targets = _undirected_edges(graph, nodes)
    boxes = []
    for component, (comp_sources, comp_targets) in _components(len(nodes), sources, targets):
        local = _force_directed(len(component), comp_sources, comp_targets, seed)
        boxes.append((component, local - local.min(axis=0)))
    positions = _pack(boxes, len(nodes))
    positions -= (positions.min(axis=0) + positions.max(axis=0)) / 2
    extent = float(np.abs(positions).max()) or 1.0
    positions *= EXTENT / extent
    return {node: (round(float(x), 2), round(float(y), 2)) for node, (x, y) in zip(nodes, positions)}


def _undirected_edges(graph: nx.Graph, nodes: list[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of the undirected simple projection, without self-loops, sorted."""
    index = {node: i for i, node in enumerate(nodes)}
    # Parallel edges share one adjacency entry, so each linked pair is met once per direction at most.
    ends = [(index[u], index[v]) for u, neighbours in graph.adj.items() for v in neighbours if u != v]
    if not ends:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    array = np.array(ends, dtype=np.int64)
    low, high = array.min(axis=1), array.max(axis=1)
    codes = np.unique(low * len(nodes) + high)  # sorted, as sorted((i, j)) would be
    return codes // len(nodes), codes % len(nodes)


def _component_labels(n: int, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each node, the smallest node index of its connected component.

    Hooking and pointer jumping on arrays (Shiloach–Vishkin style): a few
    rounds of vectorised work instead of a Python graph search.
    """
    label = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(label[sources], label[targets])
        np.minimum.at(label, label[sources], low)
        np.minimum.at(label, label[targets], low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label[sources], label[targets]):
            return label


def _components(n: int, sources: np.ndarray, targets: np.ndarray):
    """Connected components, largest first: (node indices, (edge sources, edge targets) renumbered within it).

    Components of equal size come in the order of their first node; nodes
    within a component in index order.
    """
    root = _component_labels(n, sources, targets)
    roots, first, size = np.unique(root, return_index=True, return_counts=True)
    ranked = np.lexsort((first, -size))  # largest first, then by first node
    number_of_root = np.empty(len(roots), dtype=np.int64)
    number_of_root[ranked] = np.arange(len(roots))
    label = number_of_root[np.searchsorted(roots, root)]
    members = np.argsort(label, kind="stable")  # by component, then node index
    member_bounds = np.searchsorted(label[members], np.arange(len(roots) + 1))
    local_index = np.empty(n, dtype=np.int64)
    for number in range(len(roots)):
        local_index[members[member_bounds[number] : member_bounds[number + 1]]] = np.arange(
            member_bounds[number + 1] - member_bounds[number]
        )
    order = np.argsort(label[sources], kind="stable")
    bounds = np.searchsorted(label[sources][order], np.arange(len(roots) + 1))
    for number in range(len(roots)):
        component = members[member_bounds[number] : member_bounds[number + 1]]
        chosen = order[bounds[number] : bounds[number + 1]]
        yield component, (local_index[sources[chosen]], local_index[targets[chosen]])


def _pack(boxes: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Place laid-out components in rows (shelves) of about the width of the largest one."""
    gap = 2.0
    widths = [float(local[:, 0].max()) + gap for _, local in boxes]
    total_area = sum((float(local[:, 0].max()) + gap) * (float(local[:, 1].max()) + gap) for _, local in boxes)
    row_width = max(max(widths), np.sqrt(total_area))
    positions = np.zeros((n, 2))
    x = y = row_height = 0.0
    for component, local in boxes:
        width, height = float(local[:, 0].max()) + gap, float(local[:, 1].max()) + gap
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        positions[component] = local + (x, y)
        x += width
        row_height = max(row_height, height)
    return positions


def _force_directed(n: int, sources: np.ndarray, targets: np.ndarray, seed: int) -> np.ndarray:
    """Positions (n × 2) of one connected component after a cooled run of attraction, repulsion and gravity."""
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    degree = np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)
    mass = degree.astype(np.float64) + 1.0
    # Start in a square whose area grows with the number of nodes, as the final layout does.
    side = 2.0 * np.sqrt(n)
    positions = rng.uniform(-side / 2, side / 2, size=(n, 2))
    if n <= EXACT_REPULSION_MAX:
        repulsion = _exact_repulsion
        steps = 60 if n < 50 else 150
    else:
        # The FFT grid is 2 * (cells + 1) a side: a power of two (256, 512) is 10x faster than 258 or 514 (2 x 257).
        cells = 127 if n < 8000 else 255
        kernel = _repulsion_kernel_fft(cells)
        repulsion = lambda p, m: _grid_repulsion(p, m, cells, kernel)  # noqa: E731
        steps = 150 if n < 10000 else 80
    for step in range(steps):
        forces = REPULSION * mass[:, None] * repulsion(positions, mass)
        delta = positions[targets] - positions[sources]
        for axis in range(2):
            forces[:, axis] += np.bincount(sources, weights=delta[:, axis], minlength=n)
            forces[:, axis] -= np.bincount(targets, weights=delta[:, axis], minlength=n)
        forces -= GRAVITY * mass[:, None] * (positions - positions.mean(axis=0))
        spread = float(np.ptp(positions, axis=0).max()) or 1.0
        limit = spread * 0.1 * (1.0 - step / steps) + 1e-9
        length = np.hypot(forces[:, 0], forces[:, 1])
        scale = np.minimum(1.0, limit / np.maximum(length, 1e-12))
        positions += forces * scale[:, None]
    return positions


def _exact_repulsion(positions: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """The field sum_j mass_j (p - p_j) / |p - p_j|² at every node, summed over all pairs."""
    delta = positions[:, None, :] - positions[None, :, :]
    distance2 = (delta**2).sum(axis=2)
    np.fill_diagonal(distance2, np.inf)
    distance2 = np.maximum(distance2, 1e-9)
    return (delta * (mass[None, :] / distance2)[:, :, None]).sum(axis=1)


def _repulsion_kernel_fft(cells: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFTs of the x and y components of d / |d|² on a grid of ``cells`` + 1 points a side.

    The grid is padded to twice its size, so the circular convolution of the
    FFT equals the plain one for every pair of grid points.
    """
    size = 2 * (cells + 1)
    offsets = np.arange(size)
    offsets = np.where(offsets > size // 2, offsets - size, offsets).astype(np.float64)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    distance2 = dx * dx + dy * dy
    distance2[0, 0] = np.inf  # a grid point does not push itself
    return np.fft.rfft2(dx / distance2), np.fft.rfft2(dy / distance2)


def _grid_repulsion(
    positions: np.ndarray, mass: np.ndarray, cells: int, kernel: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """The field sum_j mass_j (p - p_j) / |p - p_j|² at every node, from a cloud-in-cell grid.

    Depositing and reading back with the same bilinear weights makes a node's
    force on itself cancel (the kernel is odd), so no self-term is subtracted.
    """
    n = len(positions)
    size = 2 * (cells + 1)
    low = positions.min(axis=0)
    spacing = (float(np.ptp(positions, axis=0).max()) or 1.0) / (cells - 1e-6)
    grid_xy = (positions - low) / spacing
    corner = np.minimum(np.floor(grid_xy).astype(np.int64), cells - 1)
    frac = grid_xy - corner
    weights = []
    flat_indices = []
    for ox in (0, 1):
        wx = frac[:, 0] if ox else 1.0 - frac[:, 0]
        for oy in (0, 1):
            wy = frac[:, 1] if oy else 1.0 - frac[:, 1]
            weights.append(wx * wy)
            flat_indices.append((corner[:, 0] + ox) * size + corner[:, 1] + oy)
    density = np.zeros(size * size)
    for w, idx in zip(weights, flat_indices):
        density += np.bincount(idx, weights=w * mass, minlength=size * size)
    density_fft = np.fft.rfft2(density.reshape(size, size))
    field = np.zeros((n, 2))
    for axis, kernel_fft in enumerate(kernel):
        component = np.fft.irfft2(density_fft * kernel_fft, s=(size, size)).ravel()
        for w, idx in zip(weights, flat_indices):
            field[:, axis] += w * component[idx]
    # The kernel was built in grid units; d / |d|² scales as 1 / spacing.
    return field / spacing
