"""The representation report: who answered against the population, per dimension, with a score.

Route → filters → SQL aggregates (app.reporting.sample) → analysis.representation → JSON/template.
`analysis` owns every number (score, n, raking, suppression, who is missing); this module only
queries, labels and words them in the reader's language, and never patches a figure.
"""
from __future__ import annotations

import math

from flask_babel import format_percent
from flask_babel import gettext as _

from app.core.localize import translator
from app.questions import question_type
from app.reporting.filters import ReportFilters
from app.reporting.labels import category_labels, dimension_name
from app.reporting.methods import method_text
from app.reporting.requests import K_LIFTED, K
from app.reporting.sample import (
    answer_patterns, chosen_baseline, counts_from_patterns, every_dimension, project_patterns, selected_surveys,
)


def build_report(filters: ReportFilters, *, k: int = K, lang: str = "en") -> dict:
    """The DESIGN.md representation JSON, with labels in `lang`, gaps in words, and the method."""
    from analysis.representation import missing_groups, representation_report  # scipy: loaded when needed
    answered = every_dimension(filters)
    patterns = answer_patterns(filters, answered)  # one pass over the answers: counts and raking
    counts, people = counts_from_patterns(patterns, answered)
    geography, available, baseline, sources = chosen_baseline(filters)
    dimensions = [d for d in counts if d in baseline]
    columns, pattern_counts = project_patterns(patterns, answered, dimensions)
    report = representation_report(
        {d: counts[d] for d in dimensions}, {d: baseline[d] for d in dimensions}, k=k,
        respondents=columns if people else None, counts=pattern_counts if people else None)
    labels = category_labels(selected_surveys(filters), lang)
    label_tables(report, labels)
    report["method_code"] = report["method"]
    report["method"] = report["score_method"] = method_text(report["method_code"])
    report["missing"] = [gap_sentence(gap, labels) for gap in missing_groups(report)]
    if report["raking"]:
        for item in report["raking"]["unmet"] + report["raking"]["zero_population"]:
            item["label"] = labels.get(item["dimension"], {}).get(item["category"], item["category"])
            item["dimension_label"] = dimension_name(item["dimension"])
    report.update(geography=geography, geographies=available, sources=sources,
                  filters=filters.describe(), unplaced_dimensions=sorted(set(counts) - set(baseline)))
    return report


def label_tables(report: dict, labels: dict) -> None:
    """Names, the survey's category order and the method in words, on every table."""
    for table in report["dimensions"]:
        table["label"] = dimension_name(table["dimension"])
        order = list(labels.get(table["dimension"], {}))
        table["categories"].sort(key=lambda c: order.index(c["category"]) if c["category"] in order else len(order))
        for category in table["categories"]:
            category["label"] = labels.get(table["dimension"], {}).get(category["category"], category["category"])
        table["method_code"] = table["method"]
        table["method"] = method_text(table["method_code"])


def safe_percent(share: float) -> str:
    """The smallest whole percentage strictly above `share`: 'fewer than 2%' stays true."""
    return format_percent((math.floor(share * 100 + 1e-9) + 1) / 100, "#,##0%")


def gap_sentence(gap: dict, labels: dict) -> dict:
    """'Age, 65 or older: 15.0% of the population, 4.2% of those who answered.' in the viewer's
    language; a hidden group only in safe terms ('fewer than 2% of those who answered')."""
    category = labels.get(gap["dimension"], {}).get(gap["category"], gap["category"])
    population = format_percent(gap["population_share"], "#,##0.0%")
    if gap["share"] is None:
        text = _("%(dimension)s, %(category)s: %(population)s of the population, fewer than %(sample)s of those "
                 "who answered.", dimension=dimension_name(gap["dimension"]), category=category,
                 population=population, sample=safe_percent(gap["share_bound"]))
    else:
        text = _("%(dimension)s, %(category)s: %(population)s of the population, %(sample)s of those who answered.",
                 dimension=dimension_name(gap["dimension"]), category=category, population=population,
                 sample=format_percent(gap["share"], "#,##0.0%"))
    return {**gap, "label": category, "text": text}


def weighted_question(filters: ReportFilters, question_key: str, lang: str) -> dict | None:
    """Unweighted and raked shares of one choice question, side by side, with the effective n."""
    from analysis.representation import weighted_shares
    from app.reports.weighted import answer_order, question_groups
    found = question_groups(filters, question_key)
    if found is None:
        return None
    survey, question, groups = found
    result = weighted_shares(groups.values, groups.weights, counts=groups.counts,
                             choices=answer_order(question), k=filters_k(filters))
    t = translator(survey, lang)
    labels = question_type(question.type).report_labels(question, t)
    for row in result["values"]:
        row["label"] = labels.get(row["value"], row["value"])
    result["method_code"] = result["method"]
    result["method"] = method_text(result["method_code"])
    result.update(key=question.key, label=t(f"{question.key}.label", question.label), weighting=groups.weighting)
    return result


def filters_k(filters: ReportFilters) -> int:
    """The weighted view hides what the tables hide: K, or every count when an admin lifted it."""
    return K_LIFTED if filters.unsuppressed else K
