"""Sparse-matrix form of a stakeholder graph, PageRank and Louvain communities.

Internal to :mod:`analysis.graph`: the metrics read every relationship once
into index arrays and work on scipy sparse matrices from there.
"""

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis._graph_build import _arcs

__all__ = ["Network", "communities", "node_order_key", "pagerank"]


def node_order_key(node):
    """Sort key that orders ids of one type naturally and mixed types by type name."""
    return (type(node).__name__, node)


@dataclass(frozen=True)
class Network:
    """A graph's nodes with its ties as sparse matrices (rows/columns in node order).

    Attributes
    ----------
    nodes : list
        Node ids in graph order.
    weights : scipy.sparse.csr_array
        Symmetric tie strength: the summed weight of all relationships between
        two stakeholders in either direction (the undirected view).
    flows : scipy.sparse.csr_array
        Directed tie strength ``u -> v``: directed relationships one way,
        mutual relationships both ways (the directed view).
    n_relationships : int
        Edges of the input graph (self-loops excluded).
    """

    nodes: list
    weights: sp.csr_array
    flows: sp.csr_array
    n_relationships: int

    @classmethod
    def from_graph(cls, G):
        """Read every edge of any networkx graph once."""
        nodes = list(G)
        index = {node: i for i, node in enumerate(nodes)}
        source, target, weight, mutual = [], [], [], []
        for u, v, w, _, directed in _arcs(G):
            source.append(index[u])
            target.append(index[v])
            weight.append(w)
            mutual.append(not directed)
        n = len(nodes)
        source = np.asarray(source, dtype=np.intp)
        target = np.asarray(target, dtype=np.intp)
        weight = np.asarray(weight, dtype=float)
        mutual = np.asarray(mutual, dtype=bool)
        # COO to CSR sums duplicate entries: parallel relationships add up.
        arcs = sp.coo_array((weight, (source, target)), shape=(n, n)).tocsr()
        weights = (arcs + arcs.T).tocsr()
        back = sp.coo_array(
            (weight[mutual], (target[mutual], source[mutual])), shape=(n, n)
        ).tocsr()
        flows = (arcs + back).tocsr()
        for matrix in (weights, flows):
            matrix.sum_duplicates()
            matrix.sort_indices()
        return cls(nodes, weights, flows, len(weight))

    @property
    def degree(self):
        """Distinct partners of each node."""
        return np.diff(self.weights.indptr)

    @cached_property
    def indexed_graph(self):
        """The undirected view as a networkx Graph on node positions 0..n-1.

        Integer labels keep set iteration (inside Louvain and subgraphs) in the
        same order in every process; string hashes are salted per process.
        """
        upper = sp.triu(self.weights, k=1).tocoo()
        H = nx.Graph()
        H.add_nodes_from(range(len(self.nodes)))
        H.add_weighted_edges_from(
            zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist())
        )
        return H


def pagerank(flows, *, alpha, tolerance, max_iterations):
    """PageRank by power iteration on a sparse matrix, as networkx computes it.

    Parameters
    ----------
    flows : scipy sparse array, shape (n, n)
        Weighted adjacency, ``flows[u, v]`` the weight of the arc ``u -> v``.
    alpha : float
        Damping factor.
    tolerance : float
        Stop when the L1 change is below ``n * tolerance``.
    max_iterations : int
        Iteration cap; the last iterate is returned if reached.

    Returns
    -------
    numpy.ndarray
        PageRank of each node (sums to 1).

    Notes
    -----
    The same iteration as ``networkx.pagerank`` (uniform start and teleport;
    dangling nodes spread their rank uniformly) [1]_, without rebuilding a
    networkx graph.

    References
    ----------
    .. [1] Brin, S. and Page, L. (1998). The anatomy of a large-scale
       hypertextual web search engine. Computer Networks 30, 107-117.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> cycle = sp.csr_array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    >>> pagerank(cycle, alpha=0.85, tolerance=1e-6, max_iterations=100).round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    n = flows.shape[0]
    out_strength = np.asarray(flows.sum(axis=1), dtype=float)
    dangling = out_strength == 0
    inverse = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, out_strength))
    transition = sp.csr_array(sp.diags_array(inverse) @ flows)
    uniform = np.full(n, 1.0 / n)
    rank = uniform
    for _ in range(max_iterations):
        previous = rank
        rank = alpha * (rank @ transition + rank[dangling].sum() * uniform) + (1 - alpha) * uniform
        if np.abs(rank - previous).sum() < n * tolerance:
            break
    return rank


def communities(graph, seed):
    """Louvain communities of the non-isolated nodes, largest first.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected graph with ``weight`` on its edges.
    seed : int
        Seed for Louvain's node order.

    Returns
    -------
    list of list
        Each community's nodes sorted by id; communities ordered by size,
        largest first, ties by their smallest id. Isolates are left out.

    Notes
    -----
    Louvain modularity optimisation [1]_ (``networkx.community.louvain_
    communities``, resolution 1). It runs on integer labels (positions in
    ``graph``) so the result does not depend on Python's per-process hash seed.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. Journal of
       Statistical Mechanics, P10008.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> G.add_node(99)
    >>> communities(G, seed=1)
    [[0, 1, 2], [3, 4, 5]]
    """
    nodes = list(graph)
    if all(isinstance(node, int) for node in nodes) and nodes == list(range(len(nodes))):
        indexed = graph
    else:
        indexed = nx.convert_node_labels_to_integers(graph)
    found = nx.community.louvain_communities(indexed, weight="weight", seed=seed)
    groups = [
        sorted((nodes[i] for i in members), key=node_order_key)
        for members in found
        if len(members) > 1 or indexed.degree(next(iter(members)))
    ]
    groups.sort(key=lambda members: (-len(members), node_order_key(members[0])))
    return groups
