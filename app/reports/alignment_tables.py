"""The alignment report as plain tables, for CSV and XLSX exports."""
from __future__ import annotations

from flask_babel import gettext as _

from app.reporting.exporting import Table


def alignment_tables(report: dict) -> list[Table]:
    groups = list(report["groups"])
    agreement = {"consensus": _("consensus"), "divisive": _("divisive"), "mixed": _("mixed")}
    w = report.get("kendalls_w") or {}
    summary = Table(_("Kendall's W"), [_("Group"), "n", "W", "chi-square", "df", "p"],
                    [[_("All raters"), report.get("n_raters"), w.get("w"), w.get("chi_square"), w.get("df"), w.get("p")]]
                    + [[report["group_labels"][g], report["groups"][g]["n"],
                        *((report["groups"][g]["kendalls_w"] or {}).get(k) for k in ("w", "chi_square", "df", "p"))]
                       for g in groups])  # the method: once, in the context table
    priorities = Table(_("Priorities"), [_("Priority"), _("Label"), _("Mean rank"), "SD", _("Share in top 3"),
                                         _("Agreement"), *[report["group_labels"][g] for g in groups]],
                       [[p["key"], p["name"], p["mean_rank"], p["sd"], p["share_top3"], agreement[p["label"]],
                         *[p["by_group"].get(g) for g in groups]] for p in report["priorities"]])
    correlation = report.get("group_correlation") or {"labels": [], "matrix": []}
    matrix = Table(_("Agreement between groups"), ["", *[report["group_labels"].get(g, g) for g in correlation["labels"]]],
                   [[report["group_labels"].get(g, g), *row] for g, row in zip(correlation["labels"], correlation["matrix"])],
                   note=_("Kendall's tau-b between the groups' mean ranks."))
    differences = Table(_("Largest differences"), [_("Priority"), _("Sentence")],
                        [[d["key"], d["text"]] for d in report.get("differences", [])])
    return [summary, priorities, matrix, differences]
