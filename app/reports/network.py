"""The network report: who works with whom, from the registry and every recorded relationship.

Route → filters → rows from SQL → analysis.graph.network_report → drawing plan → page/JSON.
Contact details never leave the registry here.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from analysis.graph import network_report
from app.extensions import db
from app.models import Relationship, Response, Stakeholder
from app.models.stakeholders import SECTORS
from app.reports.filters import ReportFilters

#: Okabe–Ito colours (safe for colour-blind readers), then two neutrals, one per sector.
SECTOR_COLOURS = dict(zip(SECTORS, ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
                                    "#F0E442", "#000000", "#999999")))
#: Drawing area of the SVG, in user units; nodes are placed by the deterministic layout.
WIDTH, HEIGHT, MARGIN = 960, 640, 40
#: Node radius range: sized by betweenness.
R_MIN, R_MAX = 5, 18
#: How many names are written on the drawing (the rest are in each node's tooltip and the tables).
LABELLED = 12


def relationship_rows(filters: ReportFilters) -> list[dict]:
    """Every relationship, leaving out those that came from a withdrawn response."""
    query = (sa.select(Relationship).outerjoin(Response, Response.id == Relationship.response_id)
             .where(sa.or_(Relationship.response_id.is_(None), Response.withdrawn_at.is_(None))))
    return [{"source": r.source_id, "target": r.target_id, "type": r.type, "weight": r.weight,
             "date": r.date or r.created_at.date()} for r in db.session.scalars(query)]


def stakeholder_rows() -> list[dict]:
    return [{"id": s.id, "name": s.name, "sector": s.sector, "kind": s.kind}
            for s in db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name))]


def build_network(filters: ReportFilters) -> dict:
    report = network_report(stakeholder_rows(), relationship_rows(filters), types=list(filters.types) or None,
                            since=filters.date_from, until=filters.date_to)
    report["method"] = _(
        "Ties from partner surveys, focus groups, imports and manual entries. Betweenness is "
        "normalised (%(method)s); constraint and effective size after Burt (1992); communities by "
        "Louvain modularity with a fixed seed; brokers have high betweenness and low constraint; "
        "articulation points are organisations whose loss splits the network.",
        method=report["betweenness_method"])
    report["filters"] = filters.describe()
    return report


def drawing(report: dict) -> dict:
    """Positions, sizes and colours for the SVG: plain numbers the template writes out."""
    nodes = report["nodes"]
    top = max((n["betweenness"] or 0 for n in nodes), default=0) or 1
    by_id = {}
    for n in nodes:
        by_id[n["id"]] = {
            "id": n["id"], "name": n["name"], "sector": n["sector"],
            "x": round(MARGIN + n["x"] * (WIDTH - 2 * MARGIN), 1), "y": round(MARGIN + n["y"] * (HEIGHT - 2 * MARGIN), 1),
            "r": round(R_MIN + (R_MAX - R_MIN) * (n["betweenness"] or 0) / top, 1),
            "colour": SECTOR_COLOURS.get(n["sector"], "#999999"), "degree": n["degree"],
        }
    ranked = sorted(nodes, key=lambda n: (-(n["betweenness"] or 0), -n["degree"], n["name"]))
    for n in ranked[:LABELLED]:
        by_id[n["id"]]["label"] = True
    edges = [{"x1": by_id[e["source"]]["x"], "y1": by_id[e["source"]]["y"], "x2": by_id[e["target"]]["x"],
              "y2": by_id[e["target"]]["y"], "type": e["type"], "weight": e["weight"]}
             for e in report["edges"] if e["source"] in by_id and e["target"] in by_id]
    sectors = sorted({n["sector"] for n in nodes})
    return {"width": WIDTH, "height": HEIGHT, "nodes": list(by_id.values()), "edges": edges,
            "legend": [(s, SECTOR_COLOURS.get(s, "#999999")) for s in sectors]}


def network_tables(report: dict):
    from app.reports.exporting import Table
    names = {n["id"]: n["name"] for n in report["nodes"]}
    nodes = Table(_("Organisations"), ["id", _("Name"), _("Sector"), _("Degree"), _("Betweenness"), _("Closeness"),
                                       _("PageRank"), _("Constraint"), _("Effective size"), _("Community")],
                  [[n["id"], n["name"], n["sector"], n["degree"], n["betweenness"], n["closeness"], n["pagerank"],
                    n["constraint"], n["effective_size"], n["community"]] for n in report["nodes"]], note=report["method"])
    edges = Table(_("Relationships"), [_("Source"), _("Target"), _("Type"), _("Weight"), _("Date")],
                  [[e["source"], e["target"], e["type"], e["weight"], e["date"]] for e in report["edges"]])
    lists = Table(_("Roles in the network"), [_("Role"), "id", _("Name")],
                  [[role, i, names.get(i, i)] for role in ("brokers", "isolates", "weakly_tied", "articulation_points")
                   for i in report[role]])
    mixing = report["sector_mixing"]
    matrix = Table(_("Sector mixing"), [_("Sector"), *mixing["sectors"]],
                   [[s, *row] for s, row in zip(mixing["sectors"], mixing["matrix"])],
                   note=_("Sector pairs with no ties: %(pairs)s",
                          pairs="; ".join(f"{a}–{b}" for a, b in report["sector_pairs_without_ties"]) or "–"))
    return [nodes, edges, lists, matrix]


