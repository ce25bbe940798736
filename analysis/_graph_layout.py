"""Deterministic 2-D positions for drawing the stakeholder graph.

Public names are re-exported by :mod:`analysis.graph`; import them from there.
"""

import math

import networkx as nx
import numpy as np

from analysis._graph_network import Network, communities, node_order_key

__all__ = ["layout"]

#: Seed for the force-directed layout, fixed so the same data draws the same.
LAYOUT_SEED = 2024
#: Largest group laid out by one force-directed run. networkx's dense
#: Fruchterman-Reingold solver serves up to 499 nodes (0.6 s at 499); from
#: 500 it switches to a solver that took 5.9 s at 1,000 and 17.6 s at 2,000
#: nodes here, so larger graphs are laid out community by community.
FORCE_MAX_NODES = 499
#: Height of the band at the bottom of the unit square that holds isolates.
ISOLATE_BAND = 0.1
#: Share of each community's cell left empty so neighbouring blocks stay apart.
CELL_MARGIN = 0.15
#: Row widths tried when packing community blocks (cheap: one pass each).
PACKING_TRIES = 50


def _fit(points, x0, y0, x1, y1):
    """Scale an (n, 2) array uniformly into the box, centred (aspect kept)."""
    low, high = points.min(axis=0), points.max(axis=0)
    span = float((high - low).max())
    size = np.array([x1 - x0, y1 - y0])
    if span == 0:
        return np.tile([(x0 + x1) / 2, (y0 + y1) / 2], (len(points), 1))
    scale = size.min() / span
    offset = np.array([x0, y0]) + (size - (high - low) * scale) / 2
    return np.clip((points - low) * scale + offset, [x0, y0], [x1, y1])


def _spring(H, seed):
    """Force-directed positions of H as an (n, 2) array in graph order."""
    if H.number_of_nodes() == 1:
        return np.zeros((1, 2))
    pos = nx.spring_layout(H, seed=seed, weight="weight", method="force")
    return np.array([pos[node] for node in H])


def _blocks(U, nodes, known_groups, seed):
    """Lay out each community on its own and pack them in rows, largest first.

    Returns ``{node: (x, y)}`` in arbitrary units; the caller fits them.
    """
    placed = set()
    groups = []
    for members in known_groups:
        members = [node for node in members if node in nodes and node not in placed]
        placed.update(members)
        if members:
            groups.append(members)
    rest = sorted(node for node in nodes if node not in placed)
    if rest:
        groups.append(rest)
    groups.sort(key=lambda g: -len(g))
    positions = {}
    sides = [math.sqrt(len(members)) for members in groups]
    for members, side, (x, y) in zip(groups, sides, _pack(sides)):
        H = U.subgraph(members)
        if len(members) <= FORCE_MAX_NODES:
            inner = _spring(H, seed)
        else:
            inner = _split_large(H, seed)
        inner = _fit(inner, -1, -1, 1, 1)
        half = side / 2 * (1 - CELL_MARGIN)
        centre = np.array([x + side / 2, y + side / 2])
        for node, point in zip(H, inner * half + centre):
            positions[node] = point
    return positions


def _shelves(sides, width):
    """Place squares in rows of at most ``width``; return corners and extent."""
    corners = []
    x = y = row_height = extent_x = 0.0
    for side in sides:
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        corners.append((x, y))
        x += side
        row_height = max(row_height, side)
        extent_x = max(extent_x, x)
    return corners, max(extent_x, y + row_height)


def _pack(sides):
    """Shelf-pack squares (largest first) into the most nearly square extent.

    Tries row widths from the widest square to the sum of all, keeping the one
    whose longer side is shortest, so the blocks fill the unit square.
    """
    total = sum(sides)
    candidates = np.linspace(max(sides), total, num=PACKING_TRIES)
    return min((_shelves(sides, width) for width in candidates), key=lambda packed: packed[1])[0]


def _split_large(H, seed):
    """Positions for a community too large for one force run: split it again."""
    sub = communities(H, seed)
    if len(sub) > 1:
        pos = _blocks(H, set(H), sub, seed)
    else:
        # Louvain cannot split it further: a circle is cheap and still readable.
        pos = nx.circular_layout(H)
    return np.array([pos[node] for node in H])


def layout(G, *, seed=LAYOUT_SEED, communities=None):
    """Return deterministic positions in the unit square for every stakeholder.

    Parameters
    ----------
    G : networkx graph
        Usually from :func:`analysis.graph.build_graph`.
    seed : int, default LAYOUT_SEED
        Seed for the force-directed layout (and for Louvain when
        ``communities`` is needed but not given).
    communities : list of list, optional
        Communities as in ``network_summary(G)["communities"]``; used for
        graphs too large for one force-directed run. Computed when needed and
        not given.

    Returns
    -------
    dict
        ``{node: (x, y)}`` with plain floats in ``[0, 1]``.

    Notes
    -----
    Connected stakeholders fill ``[0, 1] x [0.1, 1]``; isolates sit in a row
    along the bottom band (``y = 0``), ordered by id, so they are visible but
    do not crowd the picture (with no isolates the whole square is used).
    Up to 499 connected stakeholders are placed by Fruchterman-Reingold [1]_
    (networkx ``spring_layout``, fixed seed, weights pulling strongly tied
    partners together). Larger graphs are drawn community by community: each
    Louvain community gets its own force-directed run (split again if still
    too large) inside a square cell whose area is proportional to its size,
    cells packed in rows, largest first. The same graph (same node order) and
    seed always give the same positions.

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by
       force-directed placement. Software: Practice and Experience 21(11),
       1129-1164.

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> G.add_node(9)
    >>> pos = layout(G)
    >>> pos[9], all(0 <= c <= 1 for xy in pos.values() for c in xy)
    ((0.5, 0.0), True)
    """
    net = Network.from_graph(G)
    groups = None
    if communities is not None:
        index = {node: i for i, node in enumerate(net.nodes)}
        groups = [[index[node] for node in members if node in index] for members in communities]
    return _layout(net, seed, groups)


def _layout(net, seed, groups):
    """layout on a prepared Network; ``groups`` are communities as node positions."""
    nodes = net.nodes
    indexed = net.indexed_graph
    degree = net.degree
    isolates = sorted((nodes[i] for i in np.flatnonzero(degree == 0)), key=node_order_key)
    connected = np.flatnonzero(degree > 0).tolist()
    positions = {}
    if connected:
        H = indexed.subgraph(connected)
        if len(connected) <= FORCE_MAX_NODES:
            points = _spring(H, seed)
        else:
            if groups is None:
                groups = communities(indexed, seed)
            pos = _blocks(H, set(connected), groups, seed)
            points = np.array([pos[i] for i in H])
        bottom = ISOLATE_BAND if isolates else 0.0
        for i, (x, y) in zip(H, _fit(points, 0.0, bottom, 1.0, 1.0)):
            positions[nodes[i]] = (float(x), float(y))
    for i, node in enumerate(isolates):
        positions[node] = ((i + 0.5) / len(isolates), 0.0)
    return {node: positions[node] for node in nodes}
