"""The themes report as plain tables, for the CSV and XLSX downloads (app.reporting.exporting)."""
from __future__ import annotations

from flask_babel import gettext as _

from app.reporting.exporting import Table


def _long_rows(table: dict, labels: dict[str, str], category_labels: dict[str, str] | None = None) -> list[list]:
    """One row per theme and category (with the category's label when there are labels)."""
    rows = []
    for theme in table["themes"]:
        for cell in theme["cells"]:
            named = [category_labels.get(cell["category"], cell["category"])] if category_labels is not None else []
            rows.append([theme["key"], labels[theme["key"]], cell["category"], *named,
                         cell["count"], cell["share"], cell["suppressed"]])
    return rows


def _figures_table(report: dict) -> Table:
    """Precision, recall, F1 and kappa against people: the codebook tagger on the reviewed texts,
    and each learned tagger by cross-validation, one row per theme used plus micro and macro."""
    rows = []

    def add(tagger: str, evaluation: dict) -> None:
        for r in evaluation["themes"]:
            if r["tp"] + r["fp"] + r["fn"]:
                rows.append([tagger, r["theme"], r["support"], r["precision"], r["recall"], r["f1"], r["kappa"]])
        rows.append([tagger, _("Micro average"), None, *(evaluation["micro"][k] for k in ("precision", "recall", "f1")),
                     None])
        rows.append([tagger, _("Macro average"), None,
                     *(evaluation["macro"][k] for k in ("precision", "recall", "f1", "kappa"))])

    evaluation = report["evaluation"]
    if evaluation["tagger"]:
        add(_("Codebook"), evaluation["tagger"])
    for model in evaluation["learned"]:
        add(_("Learned from review (%(language)s, cross-validated)", language=model["lang"]), model["learned"])
    return Table(_("Tagger against people"), [_("Tagger"), _("Theme key"), _("Texts people gave it"), _("Precision"),
                                              _("Recall"), "F1", _("Cohen's kappa")], rows,
                 note=report["methods"]["evaluation"])


def report_tables(report: dict) -> list[Table]:
    """Summary, themes, quotes, groups, channels, agreement and emerging phrases."""
    labels = {t["key"]: t["label"] for t in report["themes"]}
    methods = report["methods"]
    tables = [Table(_("Summary"), [_("Measure"), _("Value")], [
        [_("Texts selected"), report["n_texts"]],
        [_("Texts counted"), report["n"]],
        [_("Texts waiting to be tagged"), report["pending"]],
        [_("Suppression threshold"), report["k"]],
        [_("Filters"), "; ".join(f"{k}={v}" for k, v in report["filters"].items())],
    ] + [[_("Texts in a language the codebook lacks: %(lang)s", lang=lang), n]
         for lang, n in report["unsupported_languages"].items()], note=methods["count"])]
    tables.append(Table(_("Themes"), [_("Theme key"), _("Theme"), _("Parent theme"), _("Texts"), _("Share"),
                                      _("Mean polarity"), _("Mean subjectivity"), _("Texts with sentiment")],
                        [[t["key"], t["label"], t["parent"], t["count"], t["share"],
                          *((t["sentiment"]["mean_polarity"], t["sentiment"]["mean_subjectivity"], t["sentiment"]["n"])
                            if t["sentiment"] else (None, None, 0))] for t in report["themes"]],
                        note=f"{methods['count']} {methods['sentiment']}"))
    tables.append(Table(_("Quotes"), [_("Theme key"), _("Theme"), _("Text id"), _("Language"), _("Quote"), _("Shortened")],
                        [[t["key"], t["label"], q["id"], q["lang"], q["text"], q["truncated"]]
                         for t in report["themes"] for q in t["quotes"]], note=methods["quotes"]))
    groups = report["groups"]
    if groups:
        names = {c["category"]: c["label"] for c in groups["categories"]}
        totals = [[None, _("All themes"), c["category"], c["label"], c["n"], None, c["suppressed"]]
                  for c in groups["categories"]]
        tables.append(Table(groups["label"], [_("Theme key"), _("Theme"), _("Category"), _("Label"), _("People"),
                                              _("Share of the group"), _("Suppressed")],
                            totals + _long_rows(groups, labels, names), note=methods["groups"]))
    channels = report["channels"]
    tables.append(Table(_("Channels"), [_("Theme key"), _("Theme"), _("Channel"), _("Texts"),
                                        _("Share of the channel"), _("Suppressed")],
                        [[None, _("All themes"), c["category"], c["n"], None, c["suppressed"]]
                         for c in channels["categories"]] + _long_rows(channels, labels),
                        note=methods["channels"]))
    tables.append(Table(_("Agreement"), [_("Theme key"), _("Cohen's kappa"), _("Percent agreement"), _("Units"),
                                         _("Tagger used it"), _("People used it"), _("Krippendorff's alpha"),
                                         _("Texts for alpha")],
                        [[a["theme"], a["kappa"], a["percent_agreement"], a["n"], a["tagger_count"], a["human_count"],
                          a["alpha"], a["alpha_n"]] for a in report["agreement"]], note=methods["agreement"]))
    tables.append(Table(_("Agreement between people"), [_("Theme key"), _("Cohen's kappa"), _("Percent agreement"),
                                                        _("Texts")],
                        [[a["theme"], a["kappa"], a["percent_agreement"], a["n"]] for a in report["agreement_people"]],
                        note=methods["agreement_people"]))
    tables.append(_figures_table(report))
    tables.append(Table(_("Emerging phrases"), [_("Phrase"), _("Texts"), _("Language"), _("Examples")],
                        [[e["phrase"], e["count"], e["lang"], e["examples"]] for e in report["emerging"]],
                        note=methods["emerging"]))
    return tables
