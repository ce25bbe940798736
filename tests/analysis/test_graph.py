"""Tests for analysis.graph: building, views, filters, summary, report, layout.

Per-stakeholder metrics are tested in test_graph_metrics.py."""

import copy
import doctest
import json
import math
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from analysis import _graph_build, _graph_holes, _graph_layout, _graph_metrics
from analysis import _graph_network, _graph_paths, graph
from analysis.graph import (
    GraphInputError,
    SelfLoopError,
    UnknownStakeholderError,
    build_graph,
    directed_view,
    filter_relationships,
    layout,
    network_report,
    network_summary,
    stakeholder_metrics,
    undirected_view,
)

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-9


# ---------------------------------------------------------------- fixtures --

def people(*ids, sector=None):
    return [{"id": i, "name": f"Org {i}", "sector": sector} for i in ids]


def tie(source, target, kind="communication", **extra):
    return {"source": source, "target": target, "type": kind, **extra}


def graph_from_edges(edges, nodes=()):
    """build_graph from (u, v) pairs as mutual ties, plus extra isolated nodes."""
    ids = list(dict.fromkeys([*nodes, *(n for e in edges for n in e)]))
    return build_graph(people(*ids), [tie(u, v) for u, v in edges])


def random_weighted_graph(n, m, seed, isolates=0):
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 5))
    G.add_nodes_from(range(n, n + isolates))
    return G


def assert_close_to_networkx(ours, reference, nodes):
    for node in nodes:
        expected = reference[node]
        if math.isnan(expected):
            assert ours[node] is None
        else:
            assert ours[node] == pytest.approx(expected, abs=TOL), node


# ------------------------------------------------------------- build_graph --

def test_build_graph_copies_stakeholder_attributes():
    G = build_graph([{"id": 1, "name": "Clinic", "sector": "health", "ward": "N"}], [])
    assert G.nodes[1] == {"name": "Clinic", "sector": "health", "kind": None, "ward": "N"}


@pytest.mark.parametrize(
    ("kind", "directed"),
    [("funding", True), ("referral", True), ("shared_data", False),
     ("joint_programme", False), ("communication", False)],
)
def test_build_graph_marks_direction_by_type(kind, directed):
    G = build_graph(people(1, 2), [tie(1, 2, kind)])
    assert list(G.edges(data="directed")) == [(1, 2, directed)]


def test_build_graph_keeps_every_relationship_between_a_pair():
    G = build_graph(people(1, 2), [tie(1, 2, "funding"), tie(1, 2, "funding"), tie(2, 1)])
    assert G.number_of_edges() == 3


def test_build_graph_defaults_weight_to_one():
    G = build_graph(people(1, 2), [tie(1, 2)])
    assert G[1][2][0]["weight"] == 1.0


@pytest.mark.parametrize(
    "value", ["2024-03-05", date(2024, 3, 5), datetime(2024, 3, 5, 14, 0), "2024-03-05T09:30:00"]
)
def test_build_graph_parses_dates(value):
    G = build_graph(people(1, 2), [tie(1, 2, date=value)])
    assert G[1][2][0]["date"] == date(2024, 3, 5)


@pytest.mark.parametrize(("source", "target", "missing"), [(9, 1, "9"), (1, "x", "'x'")])
def test_build_graph_names_unknown_stakeholder(source, target, missing):
    with pytest.raises(UnknownStakeholderError, match=f"stakeholder {missing}"):
        build_graph(people(1, 2), [tie(source, target)])


def test_unknown_stakeholder_error_is_a_value_error():
    assert issubclass(UnknownStakeholderError, ValueError)


def test_build_graph_rejects_self_loop():
    with pytest.raises(SelfLoopError, match="stakeholder 1 to itself"):
        build_graph(people(1, 2), [tie(1, 1)])


def test_build_graph_rejects_unknown_type():
    with pytest.raises(GraphInputError, match="relationship #1: relationship type 'friends'"):
        build_graph(people(1, 2), [tie(1, 2, "friends")])


@pytest.mark.parametrize("weight", [0, -1, "2", float("nan"), float("inf"), True])
def test_build_graph_rejects_bad_weight(weight):
    with pytest.raises(GraphInputError, match="weight"):
        build_graph(people(1, 2), [tie(1, 2, weight=weight)])


@pytest.mark.parametrize("value", ["05/03/2024", "yesterday", 20240305])
def test_build_graph_rejects_bad_date(value):
    with pytest.raises(GraphInputError, match="is not an ISO date"):
        build_graph(people(1, 2), [tie(1, 2, date=value)])


@pytest.mark.parametrize(
    ("stakeholders", "message"),
    [([{"id": 1}, {"id": 1}], "duplicate stakeholder id 1"),
     ([{"name": "no id"}], "stakeholder #1 has no usable 'id'"),
     (["not a mapping"], "stakeholder #1 is not a mapping")],
)
def test_build_graph_rejects_bad_stakeholders(stakeholders, message):
    with pytest.raises(GraphInputError, match=message):
        build_graph(stakeholders, [])


def test_build_graph_does_not_modify_its_input():
    stakeholders, relationships = people(1, 2), [tie(1, 2, date="2024-01-01")]
    before = copy.deepcopy((stakeholders, relationships))
    build_graph(stakeholders, relationships)
    assert (stakeholders, relationships) == before


# -------------------------------------------------------------------- views --

def test_undirected_view_sums_weights_over_types_and_directions():
    G = build_graph(people(1, 2), [tie(1, 2, "funding", weight=2), tie(2, 1, "referral"),
                                   tie(1, 2, "shared_data", weight=0.5)])
    # 2 + 1 + 0.5 = 3.5 over three relationships of three types
    assert undirected_view(G)[1][2] == {
        "weight": 3.5, "types": ["funding", "referral", "shared_data"], "n_relationships": 3
    }


def test_undirected_view_of_a_plain_graph_counts_each_edge_once():
    U = undirected_view(nx.path_graph(3))
    assert sorted(U.edges(data="weight")) == [(0, 1, 1.0), (1, 2, 1.0)]


def test_directed_view_keeps_funding_one_way_and_mutual_ties_both_ways():
    G = build_graph(people(1, 2, 3), [tie(1, 2, "funding", weight=3), tie(2, 3)])
    assert sorted(directed_view(G).edges(data="weight")) == [
        (1, 2, 3.0), (2, 3, 1.0), (3, 2, 1.0)
    ]


# ----------------------------------------------------- filter_relationships --

DATED = [
    tie(1, 2, "funding", date="2023-12-31"),
    tie(1, 3, "referral", date="2024-01-01"),
    tie(2, 3, "referral", date="2024-06-30"),
    tie(3, 4, "communication"),
]


@pytest.mark.parametrize(
    ("options", "kept"),
    [({"types": ["referral"]}, [1, 2]),
     ({"types": "funding"}, [0]),
     ({"since": "2024-01-01"}, [1, 2]),
     ({"until": date(2024, 1, 1)}, [0, 1]),
     ({"since": "2024-01-01", "until": "2024-01-01"}, [1]),
     ({"since": "2024-01-01", "keep_undated": True}, [1, 2, 3]),
     ({}, [0, 1, 2, 3])],
)
def test_filter_relationships(options, kept):
    assert filter_relationships(DATED, **options) == [DATED[i] for i in kept]


@pytest.mark.parametrize(
    ("options", "message"),
    [({"types": ["gossip"]}, "'gossip' is not one of"),
     ({"since": "2024-02-01", "until": "2024-01-01"}, "since 2024-02-01 is after until"),
     ({"since": "soon"}, "not an ISO date")],
)
def test_filter_relationships_rejects_bad_filters(options, message):
    with pytest.raises(GraphInputError, match=message):
        filter_relationships(DATED, **options)


# --------------------------------------------------------- network_summary --

def test_articulation_points_of_a_path_are_its_interior():
    summary = network_summary(graph_from_edges([(1, 2), (2, 3), (3, 4)]))
    assert summary["articulation_points"] == [2, 3]


def test_bow_tie_centre_is_articulation_point_and_broker():
    # Two triangles sharing node 0: every path between the wings crosses 0.
    summary = network_summary(graph_from_edges([(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0)]))
    assert (summary["articulation_points"], summary["brokers"]) == ([0], [0])


def test_florentine_brokers_follow_the_documented_rule():
    # 90th percentile of the 15 betweenness values lies between Albizzi (0.212)
    # and Guadagni (0.255); both Medici (0.21) and Guadagni (0.25) have
    # constraint below the median (0.46).
    summary = network_summary(nx.florentine_families_graph())
    assert summary["brokers"] == ["Medici", "Guadagni"]


def test_brokers_need_low_constraint():
    # Two 6-cycles joined through x; x's tie to a1 is 100 times its tie to b1.
    # a1, b1 and x top betweenness (0.56, 0.56, 0.55), but x and a1 spend
    # nearly everything on each other (constraint 0.98, 0.96, above the 0.5
    # median), so only b1 (constraint 3 * (1/3)**2 = 1/3) bridges a hole.
    G = nx.Graph()
    nx.add_cycle(G, ["a1", "a2", "a3", "a4", "a5", "a6"], weight=1)
    nx.add_cycle(G, ["b1", "b2", "b3", "b4", "b5", "b6"], weight=1)
    G.add_weighted_edges_from([("x", "a1", 100), ("x", "b1", 1)])
    assert network_summary(G)["brokers"] == ["b1"]


def test_cycle_has_no_articulation_points():
    assert network_summary(nx.cycle_graph(5))["articulation_points"] == []


def test_isolates_and_weakly_tied():
    summary = network_summary(graph_from_edges([(1, 2), (2, 3), (3, 1), (3, 4)], nodes=[9, 5]))
    assert (summary["isolates"], summary["weakly_tied"]) == ([5, 9], [4])


def test_counts_and_density_by_hand():
    G = build_graph(people(1, 2, 3, 4), [tie(1, 2, "funding"), tie(2, 1), tie(2, 3)])
    summary = network_summary(G)
    # 2 connected pairs of 4*3/2 = 6 possible: density 1/3; 3 relationships.
    assert (summary["n_nodes"], summary["n_edges"], summary["n_relationships"]) == (4, 2, 3)
    assert summary["density"] == pytest.approx(1 / 3)


SECTORED = [
    {"id": 1, "sector": "health"}, {"id": 2, "sector": "health"},
    {"id": 3, "sector": "housing"}, {"id": 4, "sector": "youth"},
    {"id": 5, "sector": "faith"}, {"id": 6},
]


def test_sector_mixing_counts_ties_once_per_pair():
    G = build_graph(SECTORED, [tie(1, 2), tie(2, 1, "funding"), tie(1, 3), tie(3, 4), tie(6, 5)])
    mixing = network_summary(G)["sector_mixing"]
    # sectors sorted; 1-2 within health (two relationships, one tie); 1-3
    # health-housing; 3-4 housing-youth; 6-5 unspecified-faith.
    assert mixing == {
        "sectors": ["faith", "health", "housing", "unspecified", "youth"],
        "matrix": [[0, 0, 0, 1, 0],
                   [0, 1, 1, 0, 0],
                   [0, 1, 0, 0, 1],
                   [1, 0, 0, 0, 0],
                   [0, 0, 1, 0, 0]],
    }


def test_sector_pairs_without_ties_leave_out_same_sector_and_unspecified():
    G = build_graph(SECTORED, [tie(1, 2), tie(1, 3), tie(3, 4), tie(6, 5)])
    assert network_summary(G)["sector_pairs_without_ties"] == [
        ["faith", "health"], ["faith", "housing"], ["faith", "youth"], ["health", "youth"]
    ]


def test_summary_reports_sampled_method():
    G = random_weighted_graph(50, 100, seed=1)
    summary = network_summary(G, exact_max_nodes=10, pivots=20, seed=3)
    assert summary["betweenness_method"] == "sampled (k=20, seed=3)"


def test_summary_reuses_given_metrics():
    G = nx.florentine_families_graph()
    metrics = stakeholder_metrics(G)
    assert network_summary(G, metrics=metrics) == network_summary(G)


def test_summary_rejects_too_few_pivots():
    with pytest.raises(GraphInputError, match="pivots"):
        network_summary(nx.path_graph(3), pivots=1)


def test_summary_of_an_empty_graph():
    summary = network_summary(nx.Graph())
    assert (summary["n_nodes"], summary["density"], summary["communities"]) == (0, 0.0, [])


# ---------------------------------------------------------------- network_report --

REPORT_PEOPLE = [
    {"id": "fb", "name": "Food bank", "sector": "nonprofit", "kind": "organisation"},
    {"id": "city", "name": "City", "sector": "government"},
    {"id": "clinic", "name": "Clinic", "sector": "health"},
    {"id": "union", "name": "Tenants' union", "sector": "community"},
]
REPORT_TIES = [
    tie("city", "fb", "funding", weight=2, date="2024-03-01"),
    tie("fb", "clinic", "referral", date=date(2023, 5, 1)),
    tie("clinic", "union", "communication"),
]


def test_report_is_plain_json():
    report = network_report(REPORT_PEOPLE, REPORT_TIES)
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_report_has_the_design_contract_keys():
    report = network_report(REPORT_PEOPLE, REPORT_TIES)
    assert {"nodes", "edges", "isolates", "brokers", "articulation_points",
            "sector_pairs_without_ties"} <= set(report)
    assert {"id", "name", "sector", "degree", "betweenness", "constraint", "community",
            "x", "y"} <= set(report["nodes"][0])
    assert set(report["edges"][0]) >= {"source", "target", "type", "weight"}


def test_report_edges_follow_input_order_with_iso_dates():
    report = network_report(REPORT_PEOPLE, REPORT_TIES)
    assert [(e["source"], e["type"], e["date"]) for e in report["edges"]] == [
        ("city", "funding", "2024-03-01"), ("fb", "referral", "2023-05-01"),
        ("clinic", "communication", None)]


def test_report_filters_leave_untied_stakeholders_as_isolates():
    report = network_report(REPORT_PEOPLE, REPORT_TIES, since="2024-01-01")
    assert report["isolates"] == ["clinic", "union"]
    assert [n["constraint"] for n in report["nodes"] if n["id"] == "union"] == [None]


def test_report_echoes_filters():
    report = network_report(REPORT_PEOPLE, REPORT_TIES, types=["referral", "funding"],
                            until=date(2024, 12, 31))
    assert report["filters"] == {"types": ["funding", "referral"], "since": None,
                                 "until": "2024-12-31", "keep_undated": False}


def test_report_raises_clear_error_for_unknown_stakeholder():
    with pytest.raises(UnknownStakeholderError, match="'ghost'"):
        network_report(REPORT_PEOPLE, [tie("fb", "ghost")])


# -------------------------------------------------------------------- layout --

def test_layout_is_inside_the_unit_square_with_isolates_in_the_bottom_row():
    pos = layout(graph_from_edges([(1, 2), (2, 3)], nodes=[7, 5]))
    assert (pos[5], pos[7]) == ((0.25, 0.0), (0.75, 0.0))
    assert all(0 <= x <= 1 and 0.1 <= y <= 1 for node, (x, y) in pos.items() if node < 5)


def test_connected_stakeholders_fill_the_band_above_the_isolates():
    # Scaled uniformly into [0, 1] x [0.1, 1]: either the vertical extent runs
    # from 0.1 or the drawing is centred on y = 0.55.
    pos = layout(graph_from_edges([(1, 2), (2, 3), (3, 4), (2, 5)], nodes=[9]))
    ys = [y for node, (_, y) in pos.items() if node != 9]
    assert min(ys) >= 0.1 - 1e-12
    assert min(ys) == pytest.approx(0.1) or (min(ys) + max(ys)) / 2 == pytest.approx(0.55)


def test_layout_is_deterministic():
    G = random_weighted_graph(80, 200, seed=4, isolates=2)
    assert layout(G) == layout(G)


def test_large_layout_by_community_blocks_is_deterministic_and_in_range():
    G = random_weighted_graph(_graph_layout.FORCE_MAX_NODES + 100, 1500, seed=5)
    pos = layout(G)
    assert pos == layout(G)
    assert all(0 <= c <= 1 for xy in pos.values() for c in xy)


def test_layout_of_an_empty_graph():
    assert layout(nx.Graph()) == {}


def test_communities_and_layout_do_not_depend_on_the_hash_seed():
    # String ids hash differently per process; results must not.
    script = (
        "import json, networkx as nx\n"
        "from analysis.graph import stakeholder_metrics, layout\n"
        "G = nx.relabel_nodes(nx.gnm_random_graph(120, 300, seed=3), lambda i: f'org-{i}')\n"
        "m = stakeholder_metrics(G)\n"
        "print(json.dumps([[m[v]['community'] for v in G], layout(G)]))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(outputs) == 1


# ----------------------------------------------------------------- doctests --

@pytest.mark.parametrize(
    "module",
    [graph, _graph_build, _graph_metrics, _graph_network, _graph_paths, _graph_holes, _graph_layout],
)
def test_doctests(module):
    assert doctest.testmod(module).failed == 0

