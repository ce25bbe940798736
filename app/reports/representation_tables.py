"""The representation report as plain tables, for CSV and XLSX exports."""
from __future__ import annotations

from flask_babel import gettext as _

from app.reports.exporting import Table
from app.reports.labels import SPECIAL_CATEGORIES


def representation_tables(report: dict, weighted: dict | None = None) -> list[Table]:
    summary = Table(_("Summary"), [_("Measure"), _("Value")], [
        [_("People counted"), report["n"]],
        [_("Representativeness score (R-indicator)"), report["score"]],
        [_("Geography"), report["geography"]],
        [_("Suppression threshold"), report["k"]],
        [_("Filters"), "; ".join(f"{k}={v}" for k, v in report["filters"].items())],
    ] + [[_("Population source"), f"{s['dimension']}: {s['source']} ({s['year']})"] for s in report["sources"]],
        note=report["score_method"])
    tables = [summary]
    for dimension in report["dimensions"]:
        rows = [[c["category"], c["label"], c["n"], c["share"], c["population_share"], c["index"],
                 *(c["ci"] or (None, None)), *(c["index_ci"] or (None, None)), c["gap"], c["suppressed"]]
                for c in dimension["categories"]]
        rows += [[key, str(SPECIAL_CATEGORIES.get(key, key)), value, None, None, None, None, None, None, None, None,
                  value is None] for key, value in dimension["not_stated"].items()]
        chi = dimension["chi_square"]
        tables.append(Table(dimension["label"], [
            _("Category"), _("Label"), "n", _("Share"), _("Population share"), _("Index"), _("Share CI low"),
            _("Share CI high"), _("Index CI low"), _("Index CI high"), _("Gap"), _("Suppressed")], rows,
            note=f"chi-square={chi['statistic']} df={chi['df']} p={chi['p']}"))  # the method: once, in the context
    tables.append(Table(_("Who is missing"), [_("Dimension"), _("Category"), _("Sentence")],
                        [[g["dimension"], g["category"], g["text"]] for g in report["missing"]]))
    if weighted:
        tables.append(Table(weighted["key"], [_("Answer"), _("Label"), "n", _("Share"), _("Weighted share"),
                                              _("Suppressed")],
                            [[v["value"], v["label"], v["n"], v["share"], v["weighted_share"], v["suppressed"]]
                             for v in weighted["values"]],
                            note=f"{weighted['method']} effective n={weighted['effective_n']}"))
    return tables
