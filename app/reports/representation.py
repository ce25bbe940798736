"""The representation report: who answered against the population, per dimension, with a score.

Route → filters → SQL aggregates (app.reports.sample) → analysis.representation → JSON/template.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flask_babel import format_percent
from flask_babel import gettext as _

from analysis.representation import (
    implied_propensities, largest_gaps, r_indicator_from_propensities, rake, representation_report,
    weighted_shares,
)
from app.localize import translator
from app.reports.filters import ReportFilters
from app.reports.labels import category_labels, dimension_name
from app.reports.sample import (
    answer_patterns, chosen_baseline, counts_from_patterns, every_dimension, project_patterns, selected_surveys,
)

#: Small-cell threshold: counts from 1 to K-1 are suppressed (with complementary suppression).
K = 5
#: What an admin's "lift suppression" uses: every count shown.
K_LIFTED = 1


@dataclass
class Weights:
    """Raking weights per answer pattern, and what they cost."""

    per_person: list[float]
    counts: list[int]
    summary: dict


def rake_patterns(columns: dict[str, list], people: list[int], margins: dict) -> Weights | None:
    """Rake answer patterns to the population margins: `columns` {dimension: [category or None,
    one per pattern]}, `people` how many people gave each pattern (their base weights).

    Every person in a pattern gets the same weight, so raking the patterns is raking the people;
    weights are scaled so they average 1 over people.
    """
    if not people or not margins:
        return None
    result = rake(columns, margins, base_weights=people)
    counts = np.array(people, dtype=float)
    totals = np.array(result.weights, dtype=float)
    everyone = counts.sum()
    per_person = np.divide(totals, counts, out=np.zeros_like(totals), where=counts > 0)
    per_person *= everyone / (per_person * counts).sum()
    deff = float((counts * per_person ** 2).sum() / everyone)
    return Weights(
        per_person=per_person.tolist(), counts=list(people),
        summary={"converged": result.converged, "iterations": result.iterations, "design_effect": deff,
                 "effective_n": float(everyone / deff), "unmet": result.as_dict().get("unmet")},
    )


def score_from(weights: Weights | None) -> float | None:
    """The R-indicator of the people, from their pattern weights."""
    if weights is None:
        return None
    positive = [(w, n) for w, n in zip(weights.per_person, weights.counts) if w > 0]
    if not positive:
        return None
    propensities = implied_propensities([w for w, _n in positive])
    return r_indicator_from_propensities(propensities, weights=[w * n for w, n in positive])


def build_report(filters: ReportFilters, *, k: int = K, lang: str = "en") -> dict:
    """The DESIGN.md representation JSON, with labels in `lang`, gaps in words, and the method."""
    answered = every_dimension(filters)
    patterns = answer_patterns(filters, answered)  # one pass over the answers: counts and raking
    counts, people = counts_from_patterns(patterns, answered)
    geography, available, baseline, sources = chosen_baseline(filters)
    dimensions = [d for d in counts if d in baseline]
    report = representation_report({d: counts[d] for d in dimensions}, {d: baseline[d] for d in dimensions}, k=k)
    weights = (rake_patterns(*project_patterns(patterns, answered, dimensions), {d: baseline[d] for d in dimensions})
               if people else None)
    report["score"] = score_from(weights)
    report["n"] = people
    report["raking"] = weights.summary if weights else None
    labels = category_labels(selected_surveys(filters), lang)
    for table in report["dimensions"]:
        table["label"] = dimension_name(table["dimension"])
        order = list(labels.get(table["dimension"], {}))
        table["categories"].sort(key=lambda c: order.index(c["category"]) if c["category"] in order else len(order))
        for category in table["categories"]:
            category["label"] = labels.get(table["dimension"], {}).get(category["category"], category["category"])
    report["missing"] = [gap_sentence(gap, labels) for gap in largest_gaps(report, limit=5)]
    report.update(geography=geography, geographies=available, sources=sources, k=k,
                  filters=filters.describe(), unplaced_dimensions=sorted(set(counts) - set(baseline)))
    report["score_method"] = _(
        "R-indicator (Schouten, Cobben and Bethlehem 2009): 1 minus twice the spread of the response "
        "propensities implied by raking the answers to the population on every dimension shown. "
        "1 means every group answered at the same rate; it depends on the dimensions used and says "
        "nothing about bias on any one question.")
    return report


def gap_sentence(gap: dict, labels: dict) -> dict:
    """'Age 65 or older: 15.0% of the population, 4.2% of respondents.' in the viewer's language."""
    category = labels.get(gap["dimension"], {}).get(gap["category"], gap["category"])
    text = _("%(dimension)s, %(category)s: %(population)s of the population, %(sample)s of those who answered.",
             dimension=dimension_name(gap["dimension"]), category=category,
             population=format_percent(gap["population_share"], "#,##0.0%"),
             sample=format_percent(gap["share"], "#,##0.0%"))
    return {**gap, "text": text}


def weighted_question(filters: ReportFilters, question_key: str, lang: str) -> dict | None:
    """Unweighted and raked shares of one choice question, side by side, with the effective n."""
    from app.reports.weighted import answer_order, question_values_and_weights
    found = question_values_and_weights(filters, question_key)
    if found is None:
        return None
    survey, question, values, weights = found
    result = weighted_shares(values, weights, choices=answer_order(question), k=K)
    t = translator(survey, lang)
    labels = {c.value: t(f"{question.key}.choice.{c.value}", c.label) for c in question.choices}
    if question.type == "yes_no":
        labels = {"yes": _("Yes"), "no": _("No")}
    for row in result["values"]:
        row["label"] = labels.get(row["value"], row["value"])
    result.update(key=question.key, label=t(f"{question.key}.label", question.label))
    return result
