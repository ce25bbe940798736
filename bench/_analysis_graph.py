"""Benchmark for analysis.graph: metrics, summary, report and layout.

``run(out)`` builds synthetic stakeholder networks of realistic shape with a
fixed seed and prints seconds, items/s and peak memory (tracemalloc), with
networkx's own functions as the baseline where they exist.
"""

import sys
from datetime import date, timedelta

import networkx as nx
import numpy as np

from analysis import graph
from bench._measure import measure
from analysis._graph_holes import structural_holes

#: Seed for the synthetic data.
DATA_SEED = 7
#: Sectors of a typical collective-impact initiative.
SECTORS = (
    "nonprofit", "government", "health", "education", "business",
    "faith", "community", "philanthropy",
)
#: Relationship types and how often partners report each (made-up, plausible).
TYPE_SHARES = {
    "communication": 0.35, "referral": 0.25, "shared_data": 0.15,
    "joint_programme": 0.15, "funding": 0.10,
}
#: Share of ties kept within the stakeholder's own sector (homophily).
SAME_SECTOR_SHARE = 0.6
#: Share of stakeholders who report no tie at all.
ISOLATE_SHARE = 0.02


def synthetic_network(n_stakeholders, n_relationships, seed=DATA_SEED):
    """Stakeholder and relationship rows with skewed activity and homophily."""
    rng = np.random.default_rng(seed)
    sectors = rng.choice(len(SECTORS), size=n_stakeholders)
    stakeholders = [
        {"id": i, "name": f"Org {i}", "sector": SECTORS[s], "kind": "organisation"}
        for i, s in enumerate(sectors)
    ]
    active = rng.random(n_stakeholders) >= ISOLATE_SHARE
    # A few partners report many ties: Pareto-distributed activity.
    activity = (rng.pareto(2.0, n_stakeholders) + 1.0) * active
    activity /= activity.sum()
    by_sector = [np.flatnonzero((sectors == s) & active) for s in range(len(SECTORS))]
    pool = np.flatnonzero(active)
    types = list(TYPE_SHARES)
    sources = rng.choice(n_stakeholders, size=n_relationships, p=activity)
    same = rng.random(n_relationships) < SAME_SECTOR_SHARE
    kinds = rng.choice(len(types), size=n_relationships, p=list(TYPE_SHARES.values()))
    weights = rng.integers(1, 4, size=n_relationships)
    days = rng.integers(0, 5 * 365, size=n_relationships)
    start = date(2020, 1, 1)
    relationships = []
    for source, in_sector, kind, weight, day in zip(sources, same, kinds, weights, days):
        candidates = by_sector[sectors[source]] if in_sector else pool
        target = candidates[rng.integers(len(candidates))]
        if target == source:
            continue
        relationships.append({
            "source": int(source), "target": int(target), "type": types[kind],
            "weight": int(weight), "date": (start + timedelta(days=int(day))).isoformat(),
        })
    return stakeholders, relationships



def run(out):
    """Print benchmark figures through ``out`` (e.g. ``print``)."""
    out("analysis.graph benchmark (fixed seed; seconds without tracemalloc, "
        "peak memory from a second run under tracemalloc)")
    for n_nodes, n_ties in ((2_000, 20_000), (10_000, 100_000)):
        stakeholders, relationships = synthetic_network(n_nodes, n_ties)
        G, secs, peak = measure(lambda: graph.build_graph(stakeholders, relationships))
        out(f"{n_nodes} stakeholders / {len(relationships)} relationships")
        out(f"  build_graph: {secs:.2f} s, {len(relationships) / secs:,.0f} relationships/s, "
            f"peak {peak:.0f} MiB")
        metrics, secs_m, peak_m = measure(lambda: graph.stakeholder_metrics(G))
        summary, secs_s, peak_s = measure(lambda: graph.network_summary(G, metrics=metrics))
        total = secs_m + secs_s
        out(f"  stakeholder_metrics {secs_m:.2f} s (peak {peak_m:.0f} MiB) + "
            f"network_summary {secs_s:.2f} s (peak {peak_s:.0f} MiB) = {total:.2f} s, "
            f"{n_nodes / total:,.0f} stakeholders/s [betweenness {summary['betweenness_method']}]")
        _, secs, peak = measure(lambda: graph.layout(G, communities=summary["communities"]))
        out(f"  layout: {secs:.2f} s (peak {peak:.0f} MiB)")
        _, secs, peak = measure(lambda: graph.network_report(stakeholders, relationships))
        out(f"  network_report (filter, build, metrics, summary, layout): {secs:.2f} s "
            f"(peak {peak:.0f} MiB)")
        _baselines(out, G, n_nodes)


def _baselines(out, G, n_nodes):
    """networkx's own implementations of the slow parts, on the same graph."""
    U = graph.undirected_view(G)
    W = nx.to_scipy_sparse_array(U, weight="weight", format="csr")
    _, secs, peak = measure(lambda: structural_holes(W))
    out(f"  structural holes (ours, sparse): {secs:.3f} s, peak {peak:.0f} MiB")
    sample = list(U)[:100]
    _, secs, _ = measure(lambda: (nx.constraint(U, nodes=sample, weight="weight"),
                                   nx.effective_size(U, nodes=sample, weight="weight")),
                          memory=False)
    out(f"  networkx constraint + effective_size, per-node path: {secs / len(sample) * 1000:.1f} ms/node "
        f"-> {secs / len(sample) * n_nodes:.0f} s for all {n_nodes}")
    if n_nodes <= 5_000:
        _, secs, peak = measure(lambda: nx.effective_size(U, weight="weight"))
        out(f"  networkx effective_size, all-node matrix path: {secs:.2f} s, peak {peak:.0f} MiB (dense n x n)")
    k = 100
    _, secs, _ = measure(lambda: nx.betweenness_centrality(U, k=k, seed=1), memory=False)
    out(f"  networkx betweenness, k={k} pivots: {secs:.2f} s -> exact (k=n) about {secs * n_nodes / k:.0f} s")
    if n_nodes <= 2_000:
        _, secs, _ = measure(lambda: nx.closeness_centrality(U), memory=False)
        out(f"  networkx closeness: {secs:.2f} s")


if __name__ == "__main__":
    sys.path.insert(0, ".")
    run(print)
