"""Tests for analysis.graph's per-stakeholder metrics (stakeholder_metrics and
the matrix helpers behind it), checked by hand, against published values and
against networkx."""

import math

import networkx as nx
import numpy as np
import pytest

from analysis import _graph_holes, graph
from analysis._graph_holes import structural_holes
from analysis._graph_paths import path_centralities, sample_pivots
from analysis.graph import GraphInputError, build_graph, directed_view, stakeholder_metrics
from tests.analysis.test_graph import (
    assert_close_to_networkx,
    graph_from_edges,
    people,
    random_weighted_graph,
    tie,
)

TOL = 1e-9


# ------------------------------------------------------ betweenness/closeness --

def test_medici_has_highest_betweenness_published_value():
    # Padgett & Ansell (1993) marriage ties, 15 connected families as in
    # networkx.florentine_families_graph(); Medici normalised betweenness 0.522
    # (Jackson 2008, Social and Economic Networks, sec. 2.2.4).
    metrics = stakeholder_metrics(nx.florentine_families_graph())
    top = max(metrics, key=lambda family: metrics[family]["betweenness"])
    assert (top, round(metrics[top]["betweenness"], 3)) == ("Medici", 0.522)


@pytest.mark.parametrize(
    "G",
    [nx.florentine_families_graph(), random_weighted_graph(120, 300, seed=1, isolates=3),
     nx.barbell_graph(5, 3), nx.path_graph(40), nx.complete_graph(6), nx.empty_graph(3)],
    ids=["florentine", "random+isolates", "barbell", "path", "complete", "empty"],
)
def test_exact_betweenness_and_closeness_match_networkx(G):
    metrics = stakeholder_metrics(G)
    betweenness = {v: m["betweenness"] for v, m in metrics.items()}
    closeness = {v: m["closeness"] for v, m in metrics.items()}
    assert_close_to_networkx(betweenness, nx.betweenness_centrality(G), G)
    assert_close_to_networkx(closeness, nx.closeness_centrality(G), G)


def test_sampled_betweenness_matches_networkx_with_same_pivots():
    G = random_weighted_graph(150, 450, seed=2, isolates=2)
    metrics = stakeholder_metrics(G, exact_max_nodes=100, pivots=40, seed=5)
    reference = nx.betweenness_centrality(G, k=40, seed=5)
    assert_close_to_networkx({v: m["betweenness"] for v, m in metrics.items()}, reference, G)


def test_sampled_closeness_is_exact_for_pivots():
    G = random_weighted_graph(150, 450, seed=2)
    metrics = stakeholder_metrics(G, exact_max_nodes=100, pivots=40, seed=5)
    pivots = [list(G)[i] for i in sample_pivots(len(G), 40, 5)]
    reference = nx.closeness_centrality(G)
    assert_close_to_networkx({v: metrics[v]["closeness"] for v in pivots}, reference, pivots)


def test_sampled_closeness_estimates_non_pivots_within_ten_percent():
    G = random_weighted_graph(300, 1200, seed=3)
    metrics = stakeholder_metrics(G, exact_max_nodes=100, pivots=60, seed=5)
    reference = nx.closeness_centrality(G)
    errors = [abs(metrics[v]["closeness"] / reference[v] - 1) for v in G]
    assert max(errors) < 0.10


def test_sampled_closeness_is_exact_in_components_without_pivots():
    G = random_weighted_graph(100, 400, seed=4)
    nx.add_path(G, ["a", "b", "c"])  # 103 nodes; 10 pivots rarely land here
    pivots = set(sample_pivots(len(G), 10, 2).tolist())
    assert not {100, 101, 102} & pivots  # the chosen seed leaves the path pivot-free
    metrics = stakeholder_metrics(G, exact_max_nodes=50, pivots=10, seed=2)
    # 'b' reaches 2 nodes at distance 1: (2/2) * (2/102)
    assert metrics["b"]["closeness"] == pytest.approx(2 / 102)


def test_path_centralities_on_a_path_by_hand():
    # Path 0-1-2-3: node 1 lies between (0,2) and (0,3): 2 of 3 pairs not
    # involving it -> 2/3; closeness of 0: 3 / (1+2+3) = 0.5.
    A = nx.to_scipy_sparse_array(nx.path_graph(4), format="csr")
    betweenness, closeness = path_centralities(A)
    assert betweenness.tolist() == pytest.approx([0, 2 / 3, 2 / 3, 0])
    assert closeness[0] == pytest.approx(0.5)


@pytest.mark.parametrize(("n", "expected"), [(2_500, "exact"), (2_501, "sampled (k=1000, seed=2024)")])
def test_betweenness_method_switches_at_the_named_limit(n, expected):
    assert graph.betweenness_method(n) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [({"pivots": 1}, "pivots must be a whole number of at least 2"),
     ({"pivots": 2.5}, "pivots must be"),
     ({"exact_max_nodes": "many"}, "exact_max_nodes must be a whole number")],
)
def test_stakeholder_metrics_rejects_bad_options(options, message):
    with pytest.raises(GraphInputError, match=message):
        stakeholder_metrics(nx.path_graph(3), **options)


# ---------------------------------------------------------- structural holes --

def test_star_constraint_and_effective_size_by_hand():
    # Centre spends 1/4 on each of four unconnected leaves: 4 * (1/4)**2 = 0.25;
    # a leaf spends everything on the centre: (1)**2 = 1.
    metrics = stakeholder_metrics(nx.star_graph(4))
    assert (metrics[0]["constraint"], metrics[1]["constraint"]) == (0.25, 1.0)
    assert (metrics[0]["effective_size"], metrics[1]["effective_size"]) == (4.0, 1.0)


def test_triangle_constraint_by_hand():
    # p = 1/2 to each contact; indirect 1/2 * 1/2; (1/2 + 1/4)**2 = 9/16, twice.
    metrics = stakeholder_metrics(nx.complete_graph(3))
    assert metrics[0]["constraint"] == pytest.approx(9 / 8)


def test_effective_size_follows_borgatti_formula():
    # Borgatti (1997): e = n - 2t/n for binary undirected ties. Ego 0 has
    # n = 4 contacts with t = 2 ties among them: 4 - 2*2/4 = 3.
    G = nx.star_graph(4)
    G.add_edges_from([(1, 2), (3, 4)])
    assert stakeholder_metrics(G)[0]["effective_size"] == pytest.approx(3.0)


def test_weighted_effective_size_by_hand():
    # b's ties: a (1), c (3): p_ba = 1/4, p_bc = 3/4. a's strongest tie is 1, so
    # m_ac = 1; c's strongest is 3, so m_ca = 1/3.
    # e_b = (1 - p_bc m_ac) + (1 - p_ba m_ca) = 1/4 + 11/12 = 7/6.
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 3), ("a", "c", 1), ("c", "d", 1)])
    assert stakeholder_metrics(G)["b"]["effective_size"] == pytest.approx(7 / 6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_structural_holes_match_networkx_per_node_definition(seed):
    # networkx's per-node code follows Burt's definition term by term. (Its
    # all-node matrix path for effective_size normalises m by the wrong axis
    # on weighted graphs: 1.5 instead of 7/6 in the example above.)
    G = random_weighted_graph(60, 200, seed=seed, isolates=2)
    nodes = list(G)
    W = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr")
    constraint, effective_size = structural_holes(W)
    ours_c = {v: None if math.isnan(c) else c for v, c in zip(nodes, constraint)}
    ours_e = {v: None if math.isnan(e) else e for v, e in zip(nodes, effective_size)}
    assert_close_to_networkx(ours_c, nx.constraint(G, nodes=nodes, weight="weight"), nodes)
    assert_close_to_networkx(ours_e, nx.effective_size(G, nodes=nodes, weight="weight"), nodes)


def test_stakeholder_metrics_structural_holes_match_networkx_on_weighted_ties():
    G = random_weighted_graph(60, 200, seed=4, isolates=1)
    metrics = stakeholder_metrics(G)
    nodes = list(G)
    reference_c = nx.constraint(G, nodes=nodes, weight="weight")
    reference_e = nx.effective_size(G, nodes=nodes, weight="weight")
    assert_close_to_networkx({v: metrics[v]["constraint"] for v in G}, reference_c, nodes)
    assert_close_to_networkx({v: metrics[v]["effective_size"] for v in G}, reference_e, nodes)


def test_structural_holes_row_blocks_give_the_same_result(monkeypatch):
    G = random_weighted_graph(80, 300, seed=7)
    W = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    whole = structural_holes(W)
    monkeypatch.setattr(_graph_holes, "TWO_STEP_BUDGET", 64)
    blocked = structural_holes(W)
    np.testing.assert_allclose(blocked, whole, rtol=0, atol=TOL)


# -------------------------------------------------- other per-node metrics --

def test_isolate_metrics_are_zero_or_undefined():
    metrics = stakeholder_metrics(graph_from_edges([(1, 2)], nodes=[3]))
    isolate = {k: v for k, v in metrics[3].items() if k != "pagerank"}
    assert isolate == {
        "degree": 0, "weighted_degree": 0.0, "in_degree": 0, "out_degree": 0,
        "betweenness": 0.0, "closeness": 0.0,
        "constraint": None, "effective_size": None, "community": None,
    }


def test_isolate_pagerank_by_hand():
    # The isolate only teleports in and spreads its rank as a dangling node:
    # c = 0.85 * c / 3 + 0.15 / 3  ->  c = 0.15 / 2.15 = 3/43.
    metrics = stakeholder_metrics(graph_from_edges([(1, 2)], nodes=[3]))
    assert metrics[3]["pagerank"] == pytest.approx(3 / 43, abs=1e-6)


def test_degrees_count_partners_and_direction():
    G = build_graph(people(1, 2, 3), [tie(1, 2, "funding", weight=2), tie(1, 2, "funding"),
                                      tie(3, 1, "shared_data")])
    metrics = stakeholder_metrics(G)
    # node 1: partners 2 and 3; weights 2 + 1 + 1; out to 2 and 3 (mutual), in from 3.
    assert {k: metrics[1][k] for k in ("degree", "weighted_degree", "in_degree", "out_degree")} == {
        "degree": 2, "weighted_degree": 4.0, "in_degree": 1, "out_degree": 2
    }


def test_pagerank_matches_networkx_on_the_directed_view():
    rows = [tie(i, (i * 7 + 3) % 30, kind, weight=1 + i % 3)
            for i, kind in zip(range(30), ["funding", "referral", "communication"] * 10)
            if i != (i * 7 + 3) % 30]
    G = build_graph(people(*range(32)), rows)
    reference = nx.pagerank(directed_view(G), weight="weight")
    ours = {v: m["pagerank"] for v, m in stakeholder_metrics(G).items()}
    assert_close_to_networkx(ours, reference, G)


def test_communities_are_numbered_largest_first_then_smallest_id():
    # Two triangles and a 4-clique, joined by single ties.
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (10, 11), (11, 12), (10, 12),
                  (20, 21), (20, 22), (20, 23), (21, 22), (21, 23), (22, 23),
                  (2, 10), (12, 20)])
    G.add_node(99)
    metrics = stakeholder_metrics(G)
    assert [metrics[v]["community"] for v in (20, 0, 10, 99)] == [0, 1, 2, None]


def test_communities_are_the_same_on_a_second_run():
    G = random_weighted_graph(200, 600, seed=9)
    first = [m["community"] for m in stakeholder_metrics(G).values()]
    assert [m["community"] for m in stakeholder_metrics(G).values()] == first


def test_matrix_helpers_do_not_modify_their_input():
    W = nx.to_scipy_sparse_array(random_weighted_graph(30, 60, seed=1), weight="weight",
                                 format="csr", dtype=float)
    before = W.copy()
    path_centralities(W)
    structural_holes(W)
    assert (W != before).nnz == 0
