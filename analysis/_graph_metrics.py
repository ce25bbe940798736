"""Per-stakeholder metrics and the network summary.

Public names are re-exported by :mod:`analysis.graph`; import them from there.
"""

import math
from itertools import combinations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis._graph_build import GraphInputError
from analysis._graph_holes import structural_holes
from analysis._graph_network import Network, communities, node_order_key, pagerank
from analysis._graph_paths import path_centralities, sample_pivots

__all__ = [
    "betweenness_method",
    "stakeholder_metrics",
    "network_summary",
]

#: Largest graph whose betweenness and closeness are computed exactly.
#: Measured on one core of the development machine: the batched Brandes
#: search takes 0.8-1.3 s at 2,000 stakeholders / 20,000 ties, about 1.5 s at
#: 2,500 / 25,000 and 2.2 s at 3,000 / 30,000 (it grows with nodes x ties),
#: so up to 2,500 a report request stays within a few seconds. networkx's own
#: exact betweenness takes 17-26 s at 2,000 / 20,000, its closeness 3-7 s.
EXACT_CENTRALITY_MAX_NODES = 2_500
#: Pivots sampled beyond that size (Brandes and Pich 2007 found rankings stable
#: from a few hundred pivots); 1,000 pivots take about 3 s at 10,000 / 100,000.
BETWEENNESS_PIVOTS = 1_000
#: Seed for pivot sampling and Louvain, fixed so a report is reproducible.
SEED = 2024
#: PageRank damping factor (Brin and Page 1998).
PAGERANK_ALPHA = 0.85
#: PageRank stops when the L1 change per node falls below this (networkx's
#: default, so results match ``networkx.pagerank``) ...
PAGERANK_TOLERANCE = 1e-6
#: ... or after this many iterations (networkx's default; with damping 0.85
#: the change after 100 iterations is below 0.85**100, about 1e-7).
PAGERANK_MAX_ITERATIONS = 100
#: Brokers have betweenness at or above this percentile of non-isolated
#: stakeholders' betweenness ...
BROKER_BETWEENNESS_PERCENTILE = 90
#: ... and constraint at or below this percentile (low constraint: their
#: contacts are not tied to each other, Burt 1992).
BROKER_CONSTRAINT_PERCENTILE = 50
#: Label for stakeholders with no sector in the sector-mixing matrix.
UNSPECIFIED_SECTOR = "unspecified"


def _sorted_ids(nodes):
    return sorted(nodes, key=node_order_key)


def _number(value):
    """Plain float for JSON; None for NaN (undefined)."""
    value = float(value)
    return None if math.isnan(value) else value


def betweenness_method(
    n_nodes, *, exact_max_nodes=EXACT_CENTRALITY_MAX_NODES, pivots=BETWEENNESS_PIVOTS, seed=SEED
):
    """Describe how betweenness is computed for a graph of ``n_nodes``.

    Parameters
    ----------
    n_nodes : int
        Number of stakeholders.
    exact_max_nodes, pivots, seed
        As for :func:`stakeholder_metrics`.

    Returns
    -------
    str
        ``"exact"`` or ``"sampled (k=<pivots>, seed=<seed>)"``.

    Examples
    --------
    >>> betweenness_method(100), betweenness_method(5000)
    ('exact', 'sampled (k=1000, seed=2024)')
    """
    if n_nodes <= exact_max_nodes or pivots >= n_nodes:
        return "exact"
    return f"sampled (k={pivots}, seed={seed})"


def _options(exact_max_nodes, pivots, seed):
    """Validated options shared by the metrics, the summary and the report."""
    if isinstance(pivots, bool) or not isinstance(pivots, int) or pivots < 2:
        raise GraphInputError(f"pivots must be a whole number of at least 2, got {pivots!r}")
    if isinstance(exact_max_nodes, bool) or not isinstance(exact_max_nodes, int):
        raise GraphInputError(f"exact_max_nodes must be a whole number, got {exact_max_nodes!r}")
    return {"exact_max_nodes": exact_max_nodes, "pivots": pivots, "seed": seed}


def _closeness_method(n_nodes, **options):
    if betweenness_method(n_nodes, **options) == "exact":
        return "exact"
    return (
        f"estimated from the pivots' distances (k={options['pivots']}, "
        f"seed={options['seed']}); exact for the pivots"
    )


def stakeholder_metrics(
    G, *, exact_max_nodes=EXACT_CENTRALITY_MAX_NODES, pivots=BETWEENNESS_PIVOTS, seed=SEED
):
    """Return network metrics for every stakeholder.

    Parameters
    ----------
    G : networkx graph
        Usually from :func:`analysis.graph.build_graph`; any networkx graph
        works (undirected graphs count every edge as mutual).
    exact_max_nodes : int, default EXACT_CENTRALITY_MAX_NODES (2,500)
        Largest graph whose betweenness and closeness are exact.
    pivots : int, default BETWEENNESS_PIVOTS (1,000)
        Number of sampled source nodes beyond that size (at least 2).
    seed : int, default SEED
        Seed for pivot sampling and for Louvain communities.

    Returns
    -------
    dict
        ``{node: {"degree", "weighted_degree", "in_degree", "out_degree",
        "betweenness", "closeness", "pagerank", "constraint",
        "effective_size", "community"}}`` with plain ints/floats; constraint
        and effective size are None for isolates, community is None for
        isolates and otherwise an index into ``network_summary(G)
        ["communities"]``.

    Raises
    ------
    GraphInputError
        ``pivots`` not a whole number of at least 2, or ``exact_max_nodes``
        not a whole number.

    Notes
    -----
    * ``degree``: distinct partners; ``weighted_degree``: sum of relationship
      weights (:func:`undirected_view`).
    * ``in_degree`` / ``out_degree``: distinct partners with a tie into / out of
      the stakeholder in :func:`directed_view` (a mutual tie counts both ways).
    * ``betweenness``: share of shortest paths between other pairs passing
      through the node, normalised by ``(n-1)(n-2)`` (Freeman 1977; Brandes
      2001), on hop counts of the undirected view (weights are tie strength,
      not distance). Exact up to ``exact_max_nodes``; beyond, estimated from
      ``pivots`` sources drawn as ``networkx.betweenness_centrality(k=pivots,
      seed=seed)`` draws them, so values equal networkx's for the same ``k``
      and ``seed``. :func:`betweenness_method` names the method used.
    * ``closeness``: Wasserman-Faust closeness (networkx's default), same
      graph; when betweenness is sampled, non-pivots' closeness is estimated
      from their distance to the pivots (Eppstein and Wang 2004).
    * ``pagerank``: on the directed view with weights, damping 0.85 (Brin and
      Page 1998): who receives funding and referrals from central partners.
    * ``constraint`` / ``effective_size``: Burt (1992) on the weighted
      undirected view; see :func:`analysis._graph_holes.structural_holes`.
    * ``community``: Louvain (Blondel et al. 2008) on the weighted undirected
      view with a fixed seed; numbered largest first, ties broken by the
      smallest id. Isolates belong to no community (None).

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on
       betweenness. Sociometry 40(1), 35-41.
    .. [2] Brin, S. and Page, L. (1998). The anatomy of a large-scale
       hypertextual web search engine. Computer Networks 30, 107-117.
    .. [3] Burt, R. S. (1992). Structural Holes. Harvard University Press.
    .. [4] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. Journal of
       Statistical Mechanics, P10008.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> metrics = stakeholder_metrics(G)
    >>> round(metrics["Medici"]["betweenness"], 3), metrics["Medici"]["degree"]
    (0.522, 6)
    """
    options = _options(exact_max_nodes, pivots, seed)
    return _metrics(Network.from_graph(G), options)


def _metrics(net, options):
    """stakeholder_metrics on a prepared :class:`Network`."""
    n = len(net.nodes)
    if n == 0:
        return {}
    W = net.weights
    degree = net.degree
    weighted_degree = W.sum(axis=1)
    out_degree = np.diff(net.flows.indptr)
    in_degree = np.bincount(net.flows.indices, minlength=n)
    chosen = None
    if betweenness_method(n, **options) != "exact":
        chosen = sample_pivots(n, options["pivots"], options["seed"])
    betweenness, closeness = path_centralities(W, pivots=chosen)
    constraint, effective_size = structural_holes(W)
    rank = pagerank(
        net.flows,
        alpha=PAGERANK_ALPHA,
        tolerance=PAGERANK_TOLERANCE,
        max_iterations=PAGERANK_MAX_ITERATIONS,
    )
    community_of = {}
    for number, members in enumerate(communities(net.indexed_graph, options["seed"])):
        community_of.update(dict.fromkeys(members, number))
    return {
        node: {
            "degree": int(degree[i]),
            "weighted_degree": float(weighted_degree[i]),
            "in_degree": int(in_degree[i]),
            "out_degree": int(out_degree[i]),
            "betweenness": float(betweenness[i]),
            "closeness": float(closeness[i]),
            "pagerank": float(rank[i]),
            "constraint": _number(constraint[i]),
            "effective_size": _number(effective_size[i]),
            "community": community_of.get(i),
        }
        for i, node in enumerate(net.nodes)
    }


def _brokers(metrics):
    """Apply the broker rule documented in :func:`network_summary`."""
    tied = [node for node, m in metrics.items() if m["degree"] > 0]
    if not tied:
        return []
    betweenness = np.array([metrics[node]["betweenness"] for node in tied])
    constraint = np.array([metrics[node]["constraint"] for node in tied])
    high = np.percentile(betweenness, BROKER_BETWEENNESS_PERCENTILE)
    low = np.percentile(constraint, BROKER_CONSTRAINT_PERCENTILE)
    chosen = [
        node
        for node, b, c in zip(tied, betweenness, constraint)
        if b > 0 and b >= high and c <= low
    ]
    return sorted(chosen, key=lambda node: (-metrics[node]["betweenness"], node_order_key(node)))


def _sector_mixing(sector_of_node, weights):
    """Tie counts between sectors: sorted labels and a symmetric matrix."""
    labels = [UNSPECIFIED_SECTOR if s is None else str(s) for s in sector_of_node]
    sectors = sorted(set(labels))
    position = {sector: i for i, sector in enumerate(sectors)}
    code = np.array([position[label] for label in labels], dtype=np.intp)
    ties = sp.triu(weights, k=1).tocoo()
    counts = np.zeros((len(sectors), len(sectors)), dtype=np.int64)
    np.add.at(counts, (code[ties.row], code[ties.col]), 1)
    # Each tie was counted once at (sector of u, sector of v): mirror it.
    counts = counts + counts.T - np.diag(counts.diagonal())
    return sectors, counts.tolist()


def network_summary(
    G,
    *,
    metrics=None,
    exact_max_nodes=EXACT_CENTRALITY_MAX_NODES,
    pivots=BETWEENNESS_PIVOTS,
    seed=SEED,
):
    """Summarise the network: gaps, brokers, weak points, communities, sectors.

    Parameters
    ----------
    G : networkx graph
        Usually from :func:`analysis.graph.build_graph`.
    metrics : dict, optional
        The result of :func:`stakeholder_metrics` for ``G`` with the same
        options, to avoid computing it twice; computed when None.
    exact_max_nodes, pivots, seed
        As for :func:`stakeholder_metrics`.

    Returns
    -------
    dict
        ``{"n_nodes", "n_edges", "n_relationships", "density", "isolates",
        "weakly_tied", "brokers", "articulation_points", "communities",
        "sector_mixing": {"sectors", "matrix"}, "sector_pairs_without_ties",
        "betweenness_method", "closeness_method"}``; id lists are sorted.

    Notes
    -----
    * ``n_edges``: pairs of stakeholders with at least one relationship
      (edges of :func:`undirected_view`); ``n_relationships``: edges of ``G``;
      ``density``: ``2 n_edges / (n (n - 1))``.
    * ``isolates``: stakeholders with no relationship.
    * ``weakly_tied``: stakeholders with exactly one partner; losing that one
      relationship would cut them off.
    * ``brokers``: betweenness > 0, at or above the 90th percentile of
      non-isolated stakeholders' betweenness, and constraint at or below their
      median: on many shortest paths *and* bridging contacts who are not tied
      to each other (Burt 1992). Ordered by betweenness, highest first.
    * ``articulation_points``: stakeholders whose removal disconnects part of
      the network (Hopcroft and Tarjan 1973).
    * ``communities``: Louvain communities (see :func:`stakeholder_metrics`),
      isolates excluded.
    * ``sector_mixing``: ties counted once per pair of stakeholders; the
      diagonal counts ties within a sector. Stakeholders without a sector are
      counted as ``"unspecified"``.
    * ``sector_pairs_without_ties``: pairs ``[a, b]`` (``a < b``) of
      *different* sectors present in the graph, isolates included, with no tie
      between them; ``"unspecified"`` is left out because a gap with an
      unknown sector cannot be acted on. Missing ties *within* a sector show
      as a zero on the diagonal of ``sector_mixing``.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes. Harvard University Press.
    .. [2] Hopcroft, J. and Tarjan, R. (1973). Algorithm 447: efficient
       algorithms for graph manipulation. Communications of the ACM 16(6),
       372-378.

    Examples
    --------
    >>> summary = network_summary(nx.florentine_families_graph())
    >>> summary["brokers"], summary["articulation_points"]
    (['Medici', 'Guadagni'], ['Albizzi', 'Guadagni', 'Medici', 'Salviati'])
    """
    options = _options(exact_max_nodes, pivots, seed)
    net = Network.from_graph(G)
    if metrics is None:
        metrics = _metrics(net, options)
    return _summary(G, net, metrics, options)


def _summary(G, net, metrics, options):
    """network_summary on a prepared :class:`Network` and metrics."""
    n = len(net.nodes)
    degree = net.degree
    groups = {}
    for node, m in metrics.items():
        if m["community"] is not None:
            groups.setdefault(m["community"], []).append(node)
    sector_of_node = [G.nodes[node].get("sector") for node in net.nodes]
    sectors, matrix = _sector_mixing(sector_of_node, net.weights)
    named = [s for s in sectors if s != UNSPECIFIED_SECTOR]
    index = {s: i for i, s in enumerate(sectors)}
    n_edges = int(net.weights.nnz // 2)
    cut = nx.articulation_points(net.indexed_graph)
    return {
        "n_nodes": n,
        "n_edges": n_edges,
        "n_relationships": net.n_relationships,
        "density": 2 * n_edges / (n * (n - 1)) if n > 1 else 0.0,
        "isolates": _sorted_ids(net.nodes[i] for i in np.flatnonzero(degree == 0)),
        "weakly_tied": _sorted_ids(net.nodes[i] for i in np.flatnonzero(degree == 1)),
        "brokers": _brokers(metrics),
        "articulation_points": _sorted_ids(net.nodes[i] for i in cut),
        "communities": [_sorted_ids(groups[i]) for i in sorted(groups)],
        "sector_mixing": {"sectors": sectors, "matrix": matrix},
        "sector_pairs_without_ties": [
            [a, b] for a, b in combinations(named, 2) if matrix[index[a]][index[b]] == 0
        ],
        "betweenness_method": betweenness_method(n, **options),
        "closeness_method": _closeness_method(n, **options),
    }
