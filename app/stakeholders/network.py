"""The network report: who works with whom, from the registry and every recorded relationship.

Route → filters → rows from SQL → analysis.graph.network_report → drawing plan → page/JSON.
Contact details never leave the registry here.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.models import Relationship, Response, Stakeholder
from app.models.stakeholders import SECTORS
from app.reporting.filters import ReportFilters
from app.reporting.labels import RELATIONSHIP_NAMES, sector_name

#: Okabe–Ito colours (safe for colour-blind readers), then two neutrals, one per sector.
SECTOR_COLOURS = dict(zip(SECTORS, ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
                                    "#F0E442", "#000000", "#999999")))
#: Drawing area of the SVG, in user units; nodes are placed by the deterministic layout.
WIDTH, HEIGHT, MARGIN = 960, 640, 40
#: Node radius range: sized by betweenness.
R_MIN, R_MAX = 5, 18
#: Label size estimate for placing names without overlaps: font size 12 in user units.
CHAR_WIDTH, LABEL_HEIGHT, LABEL_CHARS = 6.6, 14, 28


def relationship_rows(filters: ReportFilters) -> list[dict]:
    """Every relationship, leaving out those that came from a withdrawn response."""
    query = (sa.select(Relationship).outerjoin(Response, Response.id == Relationship.response_id)
             .where(sa.or_(Relationship.response_id.is_(None), Response.counted())))
    return [{"source": r.source_id, "target": r.target_id, "type": r.type, "weight": r.weight,
             "date": r.date or r.created_at.date()} for r in db.session.scalars(query)]


def stakeholder_rows() -> list[dict]:
    return [{"id": s.id, "name": s.name, "sector": s.sector, "kind": s.kind}
            for s in db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name))]


def build_network(filters: ReportFilters) -> dict:
    from analysis.graph import network_report  # networkx: loaded by the report that needs it
    report = network_report(stakeholder_rows(), relationship_rows(filters), types=list(filters.types) or None,
                            since=filters.date_from, until=filters.date_to)
    report["method"] = _(
        "Ties from partner surveys, focus groups, imports and manual entries. Betweenness is "
        "normalised (%(method)s); constraint and effective size after Burt (1992); communities by "
        "Louvain modularity with a fixed seed; brokers have high betweenness and low constraint; "
        "articulation points are organisations whose loss splits the network.",
        method=report["betweenness_method"])
    report["filters"] = filters.describe()
    # A sector whose organisations have no tie at all "never meets" every other sector: say that
    # once (sectors_without_ties) instead of filling the pairs with it.
    import datetime as dt

    from flask_babel import get_locale

    from app.reporting.context import build_context, filter_rows
    dates = sorted(dt.date.fromisoformat(str(e["date"])[:10]) for e in report["edges"] if e.get("date"))
    report["context"] = build_context(filter_rows(filters, str(get_locale()), fields=("dates", "types")),
                                      n=report["n_nodes"], unit=_("organisations"),
                                      extent=(dates[0], dates[-1]) if dates else (None, None), methods=[report["method"]])
    tied = {n["sector"] for n in report["nodes"] if n["degree"]}
    present = {n["sector"] for n in report["nodes"]}
    report["sectors_without_ties"] = sorted(present - tied)
    report["sector_pairs_without_ties"] = [[a, b] for a, b in report["sector_pairs_without_ties"]
                                           if a in tied and b in tied]
    return report


def _overlaps(box, boxes) -> bool:
    x1, y1, x2, y2 = box
    return any(x1 < b[2] and b[0] < x2 and y1 < b[3] and b[1] < y2 for b in boxes)


def place_labels(nodes: list[dict]) -> None:
    """Give every node a label position where its name fits without covering another name or
    circle (right of the node, else left), most central first; the rest get none and are named
    in the table beside the drawing."""
    circles = [(n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"]) for n in nodes]
    taken: list[tuple] = []
    for n in sorted(nodes, key=lambda n: (-n["r"], -n["degree"], n["name"])):
        text = n["name"] if len(n["name"]) <= LABEL_CHARS else n["name"][:LABEL_CHARS - 1] + "…"
        width = len(text) * CHAR_WIDTH
        own = (n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"])
        others = [c for c in circles if c != own]
        for x, anchor in ((n["x"] + n["r"] + 3, "start"), (n["x"] - n["r"] - 3, "end")):
            left = x if anchor == "start" else x - width
            box = (left, n["y"] - LABEL_HEIGHT / 2, left + width, n["y"] + LABEL_HEIGHT / 2)
            if 0 <= box[0] and box[2] <= WIDTH and not _overlaps(box, taken) and not _overlaps(box, others):
                n.update(label=text, label_x=round(x, 1), anchor=anchor)
                taken.append(box)
                break


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
            "sector_label": sector_name(n["sector"]),
        }
    place_labels(list(by_id.values()))
    edges = [{"x1": by_id[e["source"]]["x"], "y1": by_id[e["source"]]["y"], "x2": by_id[e["target"]]["x"],
              "y2": by_id[e["target"]]["y"], "type": e["type"], "weight": e["weight"]}
             for e in report["edges"] if e["source"] in by_id and e["target"] in by_id]
    sectors = [s for s in SECTORS if any(n["sector"] == s for n in nodes)]
    sectors += sorted({n["sector"] for n in nodes} - set(sectors))
    listed = sorted(by_id.values(), key=lambda n: n["name"].casefold())
    return {"width": WIDTH, "height": HEIGHT, "nodes": list(by_id.values()), "edges": edges, "listed": listed,
            "unlabelled": sum(1 for n in listed if not n.get("label")),
            "legend": [(sector_name(s), SECTOR_COLOURS.get(s, "#999999")) for s in sectors]}


def network_tables(report: dict):
    from app.reporting.exporting import Table
    names = {n["id"]: n["name"] for n in report["nodes"]}
    nodes = Table(_("Organisations"), ["id", _("Name"), _("Sector"), _("Degree"), _("Betweenness"), _("Closeness"),
                                       _("PageRank"), _("Constraint"), _("Effective size"), _("Community")],
                  [[n["id"], n["name"], sector_name(n["sector"]), n["degree"], n["betweenness"], n["closeness"], n["pagerank"],
                    n["constraint"], n["effective_size"], n["community"]] for n in report["nodes"]], note=report["method"])
    edges = Table(_("Relationships"), [_("Source"), _("Target"), _("Type"), _("Weight"), _("Date")],
                  [[names.get(e["source"], e["source"]), names.get(e["target"], e["target"]),
                    str(RELATIONSHIP_NAMES.get(e["type"], e["type"])), e["weight"], e["date"]] for e in report["edges"]])
    roles = {"brokers": _("Broker"), "isolates": _("No ties"), "weakly_tied": _("Only one tie"),
             "articulation_points": _("Single point of failure")}
    lists = Table(_("Roles in the network"), [_("Role"), "id", _("Name")],
                  [[roles[role], i, names.get(i, i)] for role in roles for i in report[role]])
    mixing = report["sector_mixing"]
    matrix = Table(_("Sector mixing"), [_("Sector"), *map(sector_name, mixing["sectors"])],
                   [[sector_name(s), *row] for s, row in zip(mixing["sectors"], mixing["matrix"])],
                   note=_("Sector pairs with no ties: %(pairs)s",
                          pairs="; ".join(f"{sector_name(a)} – {sector_name(b)}"
                                          for a, b in report["sector_pairs_without_ties"]) or "–"))
    return [nodes, edges, lists, matrix]
