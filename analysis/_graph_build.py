"""Build stakeholder graphs from plain rows; filter relationships; simple views.

Public names are re-exported by :mod:`analysis.graph`; import them from there.
"""

import math
from collections.abc import Hashable, Mapping
from datetime import date, datetime

import networkx as nx

__all__ = [
    "DIRECTED_TYPES",
    "MUTUAL_TYPES",
    "RELATIONSHIP_TYPES",
    "GraphInputError",
    "SelfLoopError",
    "UnknownStakeholderError",
    "build_graph",
    "directed_view",
    "filter_relationships",
    "undirected_view",
]

#: Relationship types that run from one stakeholder to another (funder to
#: funded, referrer to the organisation that receives the referral).
DIRECTED_TYPES = frozenset({"funding", "referral"})
#: Relationship types that both sides take part in equally.
MUTUAL_TYPES = frozenset({"shared_data", "joint_programme", "communication"})
#: Every relationship type the partner survey asks about.
RELATIONSHIP_TYPES = DIRECTED_TYPES | MUTUAL_TYPES
#: Weight of a relationship that gives none (one tie of ordinary strength).
DEFAULT_WEIGHT = 1.0
#: Node attributes every stakeholder node carries (``None`` when not given).
STAKEHOLDER_ATTRIBUTES = ("name", "sector", "kind")


class GraphInputError(ValueError):
    """Stakeholder or relationship rows that cannot form a graph."""


class UnknownStakeholderError(GraphInputError):
    """A relationship names a stakeholder that is not in the stakeholder list."""


class SelfLoopError(GraphInputError):
    """A relationship connects a stakeholder to itself."""


def _parse_date(value, where):
    """Return ``value`` as a :class:`datetime.date` (or None)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise GraphInputError(
        f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD) or a date object"
    )


def _parse_weight(value, where):
    """Return ``value`` as a positive finite float."""
    if value is None:
        return DEFAULT_WEIGHT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GraphInputError(f"{where}: weight {value!r} is not a number")
    if not math.isfinite(value) or value <= 0:
        raise GraphInputError(f"{where}: weight {value!r} must be a positive number")
    return float(value)


def _check_type(value, where):
    if value not in RELATIONSHIP_TYPES:
        allowed = ", ".join(sorted(RELATIONSHIP_TYPES))
        raise GraphInputError(
            f"{where}: relationship type {value!r} is not one of {allowed}"
        )
    return value


def build_graph(stakeholders, relationships):
    """Build the stakeholder graph: one node per stakeholder, one arc per relationship.

    Parameters
    ----------
    stakeholders : iterable of mapping
        One mapping per stakeholder with at least ``"id"`` (hashable, unique);
        ``"name"``, ``"sector"`` and ``"kind"`` become node attributes (None
        when missing) and any other keys are copied as node attributes too.
    relationships : iterable of mapping
        One mapping per relationship: ``"source"`` and ``"target"`` (stakeholder
        ids), ``"type"`` (one of :data:`RELATIONSHIP_TYPES`), optional
        ``"weight"`` (positive number, default 1) and optional ``"date"`` (ISO
        string, :class:`datetime.date` or :class:`datetime.datetime`).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes in the order given, with attributes ``name``, ``sector``,
        ``kind``; one arc per relationship from source to target with
        attributes ``type``, ``weight`` (float), ``date`` (date or None) and
        ``directed`` (True for funding and referral, False for the mutual types
        shared_data, joint_programme and communication).

    Raises
    ------
    GraphInputError
        A stakeholder without an id, a duplicate id, or a relationship with an
        unknown type, a bad weight or a bad date.
    UnknownStakeholderError
        A relationship names a stakeholder id that is not in ``stakeholders``.
    SelfLoopError
        A relationship has the same source and target.

    Notes
    -----
    A multigraph keeps every relationship (two partners may fund *and* share
    data, or report the same tie for two years), so filtering by type or date
    never loses information. A mutual relationship is stored once, as given,
    with ``directed=False`` instead of as two arcs, so counting arcs counts
    relationships. Analyses use :func:`undirected_view` (structure: who is
    connected to whom) or :func:`directed_view` (flows: funding and referrals
    go one way, mutual ties both ways).

    Examples
    --------
    >>> G = build_graph(
    ...     [{"id": 1, "name": "Food bank", "sector": "nonprofit"},
    ...      {"id": 2, "name": "City", "sector": "government"}],
    ...     [{"source": 2, "target": 1, "type": "funding", "weight": 2}],
    ... )
    >>> G.nodes[1]["sector"], list(G.edges(data="type"))
    ('nonprofit', [(2, 1, 'funding')])
    """
    G = nx.MultiDiGraph()
    for index, row in enumerate(stakeholders):
        where = f"stakeholder #{index + 1}"
        if not isinstance(row, Mapping):
            raise GraphInputError(f"{where} is not a mapping")
        node = row.get("id")
        if node is None or not isinstance(node, Hashable):
            raise GraphInputError(f"{where} has no usable 'id'")
        if node in G:
            raise GraphInputError(f"{where}: duplicate stakeholder id {node!r}")
        attributes = {key: row.get(key) for key in STAKEHOLDER_ATTRIBUTES}
        attributes.update((k, v) for k, v in row.items() if k != "id")
        G.add_node(node, **attributes)
    for index, row in enumerate(relationships):
        where = f"relationship #{index + 1}"
        if not isinstance(row, Mapping):
            raise GraphInputError(f"{where} is not a mapping")
        source, target = row.get("source"), row.get("target")
        for end in (source, target):
            if not isinstance(end, Hashable) or end not in G:
                raise UnknownStakeholderError(
                    f"{where} names stakeholder {end!r}, which is not in the "
                    "stakeholder list"
                )
        if source == target:
            raise SelfLoopError(
                f"{where} connects stakeholder {source!r} to itself"
            )
        kind = _check_type(row.get("type"), where)
        G.add_edge(
            source,
            target,
            type=kind,
            weight=_parse_weight(row.get("weight"), where),
            date=_parse_date(row.get("date"), where),
            directed=kind in DIRECTED_TYPES,
        )
    return G


def filter_relationships(
    relationships, *, types=None, since=None, until=None, keep_undated=False
):
    """Return the relationships of the given types dated within a window.

    Parameters
    ----------
    relationships : iterable of mapping
        Relationship rows as for :func:`build_graph`.
    types : iterable of str, optional
        Keep only these relationship types (default: all).
    since, until : date or ISO string, optional
        Keep only relationships dated on or after ``since`` and on or before
        ``until`` (both inclusive).
    keep_undated : bool, default False
        Whether a relationship without a date passes a ``since``/``until``
        filter. Without a date filter undated relationships always pass.

    Returns
    -------
    list of mapping
        The same row objects that pass, in their original order (the input is
        not modified).

    Raises
    ------
    GraphInputError
        An unknown type in ``types``, an unparseable date, or ``since`` after
        ``until``.

    Notes
    -----
    Undated relationships are dropped by a date filter by default because
    nothing says they were active in the window; set ``keep_undated=True`` when
    dates were never collected for some ties.

    Examples
    --------
    >>> rows = [{"source": 1, "target": 2, "type": "funding", "date": "2023-05-01"},
    ...         {"source": 1, "target": 3, "type": "referral", "date": "2024-02-01"},
    ...         {"source": 2, "target": 3, "type": "referral"}]
    >>> [r["target"] for r in filter_relationships(rows, since="2024-01-01")]
    [3]
    >>> len(filter_relationships(rows, types=["referral"]))
    2
    """
    wanted = None
    if isinstance(types, str):
        types = [types]
    if types is not None:
        wanted = {_check_type(kind, "filter") for kind in types}
    start = _parse_date(since, "filter 'since'")
    end = _parse_date(until, "filter 'until'")
    if start is not None and end is not None and start > end:
        raise GraphInputError(f"filter: since {start} is after until {end}")
    dated_filter = start is not None or end is not None
    kept = []
    for index, row in enumerate(relationships):
        if wanted is not None and row.get("type") not in wanted:
            continue
        if dated_filter:
            when = _parse_date(row.get("date"), f"relationship #{index + 1}")
            if when is None:
                if not keep_undated:
                    continue
            elif (start is not None and when < start) or (
                end is not None and when > end
            ):
                continue
        kept.append(row)
    return kept


def _arcs(G):
    """Yield ``(u, v, weight, type, directed)`` for every edge of any graph kind."""
    graph_directed = G.is_directed()
    for u, v, data in G.edges(data=True):
        if u == v:
            continue  # loops carry no brokerage or reach; build_graph forbids them
        directed = graph_directed and data.get("directed", True)
        yield u, v, data.get("weight", DEFAULT_WEIGHT), data.get("type"), directed


def undirected_view(G):
    """Return a simple undirected weighted graph: who is connected to whom.

    Parameters
    ----------
    G : networkx graph
        Usually the output of :func:`build_graph`; any networkx graph works
        (edges without ``weight`` count 1, self-loops are dropped).

    Returns
    -------
    networkx.Graph
        Same nodes (and node attributes, in the same order); one edge per pair
        of stakeholders with any relationship, with ``weight`` = sum of the
        weights of all their relationships in either direction and over all
        types, ``types`` = sorted list of the relationship types and
        ``n_relationships`` = how many relationships were merged.

    Notes
    -----
    Used for structure (betweenness, closeness, constraint, communities,
    articulation points): information and trust travel along a tie whichever
    way the money or referrals go. Summing weights makes a pair that both
    fund and share data a stronger tie than a pair that only talk.

    Examples
    --------
    >>> G = build_graph([{"id": "a"}, {"id": "b"}],
    ...                 [{"source": "a", "target": "b", "type": "funding"},
    ...                  {"source": "b", "target": "a", "type": "communication", "weight": 2}])
    >>> U = undirected_view(G)
    >>> U["a"]["b"]["weight"], U["a"]["b"]["types"]
    (3.0, ['communication', 'funding'])
    """
    position = {node: i for i, node in enumerate(G)}
    merged = {}
    for u, v, weight, kind, _ in _arcs(G):
        pair = (u, v) if position[u] < position[v] else (v, u)
        data = merged.get(pair)
        if data is None:
            merged[pair] = data = {"weight": 0.0, "types": set(), "n_relationships": 0}
        data["weight"] += weight
        data["n_relationships"] += 1
        if kind is not None:
            data["types"].add(kind)
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from(
        (u, v, {**data, "types": sorted(data["types"])}) for (u, v), data in merged.items()
    )
    return U


def directed_view(G):
    """Return a simple directed weighted graph: which way ties run.

    Parameters
    ----------
    G : networkx graph
        Usually the output of :func:`build_graph`.

    Returns
    -------
    networkx.DiGraph
        Same nodes; an arc ``u -> v`` for every directed relationship from
        ``u`` to ``v`` and arcs both ways for every mutual relationship (every
        edge of an undirected input), ``weight`` summed over relationships.

    Examples
    --------
    >>> G = build_graph([{"id": "a"}, {"id": "b"}],
    ...                 [{"source": "a", "target": "b", "type": "funding"},
    ...                  {"source": "a", "target": "b", "type": "shared_data"}])
    >>> sorted(directed_view(G).edges(data="weight"))
    [('a', 'b', 2.0), ('b', 'a', 1.0)]
    """
    weights = {}
    for u, v, weight, _, directed in _arcs(G):
        weights[u, v] = weights.get((u, v), 0.0) + weight
        if not directed:
            weights[v, u] = weights.get((v, u), 0.0) + weight
    D = nx.DiGraph()
    D.add_nodes_from(G.nodes(data=True))
    D.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return D
