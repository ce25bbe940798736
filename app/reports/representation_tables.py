"""The representation report as plain tables, for CSV and XLSX exports.

Every figure is the report's own (hidden counts stay hidden; a protected group is its range);
the method text is the report's, in the reader's language.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.reporting.exporting import Table
from app.reporting.labels import SPECIAL_CATEGORIES


def _suppression_label(kind: str | None) -> str:
    return {
        "primary": _("hidden: a small group"),
        "complementary": _("a range, to protect a smaller group"),
        "too_few": _("too few answers to show"),
    }.get(kind, "")


def summary_table(report: dict) -> Table:
    rows = [
        [_("People counted"), report["n"] if report["n"] is not None else _("fewer than %(k)s", k=report["k"])],
        [_("Representativeness score (R-indicator)"), report["score"]],
        [_("Geography"), report["geography"]],
        [_("Suppression threshold"), report["k"]],
        [_("Filters"), "; ".join(f"{k}={v}" for k, v in report["filters"].items())],
    ]
    rows += [[_("Population source"), f"{s['dimension']}: {s['source']} ({s['year']})"] for s in report["sources"]]
    unmet = (report["raking"] or {}).get("unmet", [])
    rows += [[_("Group with no answers at all"), f"{u['dimension_label']}: {u['label']}"] for u in unmet]
    return Table(_("Summary"), [_("Measure"), _("Value")], rows, note=report["method"])


def dimension_table(dimension: dict) -> Table:
    rows = []
    for c in dimension["categories"]:
        low, high = c["range"] or (None, None)
        rows.append([c["category"], c["label"], c["n"], c["share"], c["population_share"], c["index"],
                     *(c["ci"] or (None, None)), *(c["index_ci"] or (None, None)), c["gap"], c["suppressed"],
                     _suppression_label(c["suppression"]), low, high])
    rows += [[key, str(SPECIAL_CATEGORIES.get(key, key)), value, None, None, None, None, None, None, None, None, value is None,
              _suppression_label("too_few") if dimension["too_few"] else (_("suppressed") if value is None else ""),
              None, None]
             for key, value in dimension["not_stated"].items()]
    chi = dimension["chi_square"]
    return Table(dimension["label"], [
        _("Category"), _("Label"), "n", _("Share"), _("Population share"), _("Index"), _("Share CI low"),
        _("Share CI high"), _("Index CI low"), _("Index CI high"), _("Gap"), _("Suppressed"), _("Why hidden"),
        _("Range low"), _("Range high")], rows,
        note=f"chi-square={chi['statistic']} df={chi['df']} p={chi['p']}")  # the method: once, in the context


def representation_tables(report: dict, weighted: dict | None = None) -> list[Table]:
    tables = [summary_table(report)]
    tables += [dimension_table(dimension) for dimension in report["dimensions"]]
    tables.append(Table(_("Who is missing"), [_("Dimension"), _("Category"), _("Sentence")],
                        [[g["dimension"], g["category"], g["text"]] for g in report["missing"]]))
    if weighted:
        tables.append(Table(weighted["key"], [_("Answer"), _("Label"), "n", _("Share"), _("Weighted share"),
                                              _("Suppressed"), _("Why hidden"), _("Range low"), _("Range high")],
                            [[v["value"], v["label"], v["n"], v["share"], v["weighted_share"], v["suppressed"],
                              _suppression_label(v["suppression"]), *(v["range"] or (None, None))]
                             for v in weighted["values"]],
                            note=f"{weighted['method']} effective n={weighted['effective_n']}"))
    return tables
