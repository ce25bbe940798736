"""Who works with whom: the stakeholder-relationship graph.

Plain rows in (stakeholders and the relationships partners report), plain
results out: per-stakeholder metrics, a network summary (isolates, brokers,
weak points, communities, sector gaps), deterministic positions for drawing,
and the report JSON of DESIGN.md.

The pieces live in private helper modules to keep files short; import them
from here.

Examples
--------
>>> stakeholders = [
...     {"id": 1, "name": "Food bank", "sector": "nonprofit"},
...     {"id": 2, "name": "City housing", "sector": "government"},
...     {"id": 3, "name": "Clinic", "sector": "health"},
...     {"id": 4, "name": "Tenants' union", "sector": "community"},
... ]
>>> relationships = [
...     {"source": 2, "target": 1, "type": "funding", "date": "2024-03-01"},
...     {"source": 1, "target": 3, "type": "referral"},
... ]
>>> report = network_report(stakeholders, relationships)
>>> report["isolates"], report["articulation_points"], report["brokers"]
([4], [1], [1])
"""

import datetime

from analysis._graph_build import (
    DIRECTED_TYPES,
    MUTUAL_TYPES,
    RELATIONSHIP_TYPES,
    GraphInputError,
    SelfLoopError,
    UnknownStakeholderError,
    _parse_date,
    _parse_weight,
    build_graph,
    directed_view,
    filter_relationships,
    undirected_view,
)
from analysis._graph_layout import LAYOUT_SEED, _layout, layout
from analysis._graph_metrics import (
    BETWEENNESS_PIVOTS,
    EXACT_CENTRALITY_MAX_NODES,
    SEED,
    _metrics,
    _options,
    _summary,
    betweenness_method,
    network_summary,
    stakeholder_metrics,
)
from analysis._graph_network import Network

__all__ = [
    "BETWEENNESS_PIVOTS",
    "DIRECTED_TYPES",
    "EXACT_CENTRALITY_MAX_NODES",
    "LAYOUT_SEED",
    "MUTUAL_TYPES",
    "RELATIONSHIP_TYPES",
    "SEED",
    "GraphInputError",
    "SelfLoopError",
    "UnknownStakeholderError",
    "betweenness_method",
    "build_graph",
    "directed_view",
    "filter_relationships",
    "layout",
    "network_report",
    "network_summary",
    "stakeholder_metrics",
    "undirected_view",
]

#: Per-node metrics copied into the report, in this order.
NODE_METRICS = (
    "degree",
    "weighted_degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "constraint",
    "effective_size",
    "community",
)


def _json_date(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def network_report(
    stakeholders,
    relationships,
    *,
    types=None,
    since=None,
    until=None,
    keep_undated=False,
    exact_max_nodes=EXACT_CENTRALITY_MAX_NODES,
    pivots=BETWEENNESS_PIVOTS,
    seed=SEED,
):
    """Build the network report JSON (DESIGN.md "network") from plain rows.

    Parameters
    ----------
    stakeholders : iterable of mapping
        As for :func:`build_graph`. Every stakeholder appears in the report,
        also when the filters leave them without ties (then as an isolate).
    relationships : iterable of mapping
        As for :func:`build_graph`.
    types, since, until, keep_undated
        Filters, as for :func:`filter_relationships`.
    exact_max_nodes, pivots, seed
        As for :func:`stakeholder_metrics`; ``seed`` also seeds the layout.

    Returns
    -------
    dict
        JSON-serialisable (plain str/int/float/None/list/dict)::

            {"nodes": [{"id", "name", "sector", "kind", "degree",
                        "weighted_degree", "in_degree", "out_degree",
                        "betweenness", "closeness", "pagerank", "constraint",
                        "effective_size", "community", "x", "y"}],
             "edges": [{"source", "target", "type", "weight", "directed",
                        "date"}],
             "isolates", "brokers", "articulation_points",
             "sector_pairs_without_ties", ... every key of
             network_summary ..., "filters": {"types", "since", "until",
             "keep_undated"}}

        ``nodes`` in stakeholder order; ``edges`` one per relationship kept by
        the filters, in input order (``date`` as ISO string or None).
        Undefined values (constraint and effective size of an isolate) are
        None.

    Raises
    ------
    GraphInputError
        Bad rows or filters (see :func:`build_graph`,
        :func:`filter_relationships`).

    Notes
    -----
    Runs :func:`filter_relationships`, :func:`build_graph`,
    :func:`stakeholder_metrics`, :func:`network_summary` and :func:`layout`;
    see each for its method and references.
    """
    stakeholders = list(stakeholders)
    kept = filter_relationships(
        relationships, types=types, since=since, until=until, keep_undated=keep_undated
    )
    G = build_graph(stakeholders, kept)
    options = _options(exact_max_nodes, pivots, seed)
    net = Network.from_graph(G)  # read once, shared by every step below
    metrics = _metrics(net, options)
    summary = _summary(G, net, metrics, options)
    groups = {}
    for i, node in enumerate(net.nodes):
        if metrics[node]["community"] is not None:
            groups.setdefault(metrics[node]["community"], []).append(i)
    positions = _layout(net, seed, [groups[c] for c in sorted(groups)])
    nodes = []
    for node, data in G.nodes(data=True):
        row = {
            "id": node,
            "name": data.get("name"),
            "sector": data.get("sector"),
            "kind": data.get("kind"),
        }
        row.update((key, metrics[node][key]) for key in NODE_METRICS)
        row["x"], row["y"] = positions[node]
        nodes.append(row)
    edges = []
    for index, row in enumerate(kept):
        where = f"relationship #{index + 1}"  # already validated by build_graph
        edges.append(
            {
                "source": row["source"],
                "target": row["target"],
                "type": row["type"],
                "weight": _parse_weight(row.get("weight"), where),
                "directed": row["type"] in DIRECTED_TYPES,
                "date": _json_date(_parse_date(row.get("date"), where)),
            }
        )
    filters = {
        "types": None if types is None else sorted({types} if isinstance(types, str) else {*types}),
        "since": _json_date(since),
        "until": _json_date(until),
        "keep_undated": keep_undated,
    }
    return {"nodes": nodes, "edges": edges, **summary, "filters": filters}
