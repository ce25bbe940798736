"""Survey-based indicator values per period: the database sums people per month and category
(app.indicators.queries), analysis.indicators turns the sums into estimates.

One query per indicator, whatever its frequency: months roll up into quarters and years here.
A weighted indicator also groups by the dimensions that have population figures, rakes each
period's respondents to them (analysis.indicators.rake_groups) and uses the period's weights
for its categories too (domain estimation).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.periods import month_to_period
from analysis.suppression import TOO_FEW, minimum_n, suppress_cells
from app.indicators import memo, queries
from app.indicators.model import IndicatorDef
from app.models import Survey
from app.questions import question_type
from app.reporting.sample import geographies, population
from app.reporting.scope import response_geography_condition

#: Answers that say nothing about a category: reported under "not stated".
NOT_STATED = (None, "missing", "prefer_not")


@dataclass
class Query:
    """What to compute: the geography, a (dimension, category) to keep, a dimension to break
    down by, with that dimension's categories in order, and the small-cell threshold."""

    geography: str | None = None
    filter_by: tuple[str, str] | None = None
    breakdown: str | None = None
    categories: list[str] = field(default_factory=list)
    k: int = 5


@dataclass
class Computed:
    """{period: estimate} for the total, {period: {category: estimate}} for the breakdown."""

    totals: dict[str, dict] = field(default_factory=dict)
    breakdown: dict[str, dict[str, dict]] = field(default_factory=dict)
    weighting: str | None = None   # why a weighted indicator is shown unweighted


def baseline_margins(geography: str | None) -> dict[str, dict[str, int]]:
    """The population figures raked to: the geography's own; for the whole area, the first
    geography with figures (as the representation report). A geography without figures of its
    own has none: its people are not raked to another place's population."""
    available = geographies()
    if geography:
        return population(geography)[0] if geography in available else {}
    return population(available[0])[0] if available else {}


def survey_values(indicator: IndicatorDef, query: Query, stamps: dict | None = None,
                  shared: dict | None = None) -> Computed:
    """Every period's estimate of a survey-based indicator (and per category of the breakdown).

    Kept per process under the survey's data stamp (app.indicators.memo); `stamps` holds the
    stamps (and surveys) read so far in this request, {survey slug: stamp}, so each is read once; `shared`
    holds this request's answer rows per question, for the other indicators reading it (rows are
    large, so they live only as long as the request)."""
    stamps = {} if stamps is None else stamps
    if ("survey", indicator.source.survey) not in stamps:  # one lookup per survey and request
        stamps[("survey", indicator.source.survey)] = Survey.by_slug(indicator.source.survey)
    survey = stamps[("survey", indicator.source.survey)]
    if survey is None:
        return Computed()
    if survey.slug not in stamps:
        stamps[survey.slug] = memo.survey_stamp(survey.id)
    key = (indicator, query.geography, query.filter_by, query.breakdown, tuple(query.categories), query.k,
           stamps[survey.slug])
    shared = {} if shared is None else shared
    return memo.kept(key, lambda: _compute(indicator, query, survey, shared))


def _compute(indicator: IndicatorDef, query: Query, survey, shared: dict) -> Computed:
    source = indicator.source
    version = survey.latest_version()
    if version is None:
        return Computed()
    question = version.survey_def.question(source.question) if source.question else None
    if source.question and question is None:
        return Computed()
    rake_dims, margins, weighting = (), {}, None
    if source.weighted:
        margins = baseline_margins(query.geography)
        answered = {q.dimension for q in version.survey_def.questions if q.dimension}
        rake_dims = tuple(sorted(d for d in margins if d in answered))
        weighting = None if rake_dims else "no_baseline"
    dims = rake_dims + ((query.breakdown,) if query.breakdown and query.breakdown not in rake_dims else ())
    conditions = queries.response_conditions(survey.id, response_geography_condition(query.geography),
                                             query.filter_by)
    shared_key = (survey.id, question.key if question else None, query.geography, query.filter_by, dims)
    periods = _rolled_up(_rows(source, question, conditions, dims, bool(rake_dims), shared_key, shared),
                         len(dims), indicator.frequency)
    estimator = _Estimator(source.statistic, query.k)
    computed = Computed(weighting=weighting)
    at = dims.index(query.breakdown) if query.breakdown else None
    priority = margins.get(query.breakdown) if query.breakdown else None
    for period, groups in sorted(periods.items()):
        weights = None
        if rake_dims:
            weights, reason = _weights(groups, rake_dims, margins)
            computed.weighting = computed.weighting or reason
        computed.totals[period] = estimator(groups, weights)
        if at is not None:
            computed.breakdown[period] = _breakdown(estimator, groups, weights, at, query, priority)
    return computed


def _rows(source, question, conditions: list, dims: tuple, weighted: bool, shared_key: tuple,
          shared: dict) -> list[tuple]:
    """(month, key, numbers to add up): the key is the categories on `dims`, and for a weighted
    mean the answer value too. A single-valued question is read once per request (`shared`),
    whichever indicators read it."""
    width, statistic = len(dims), source.statistic
    if statistic == "count":
        raw = queries.count_rows(question, conditions, dims)
        return [(r[0], tuple(r[1:width + 1]), tuple(r[width + 1:])) for r in raw]
    if question_type(question.type).is_list:  # picks: a respondent counts once, whichever they gave
        raw = queries.list_share_rows(question, conditions, dims, source.share_of)
        return [(r[0], tuple(r[1:width + 1]), tuple(r[width + 1:])) for r in raw]
    raw = shared.get(shared_key)
    if raw is None:
        raw = shared[shared_key] = queries.value_rows(question, conditions, dims)
    out = []
    if statistic == "share":
        counted = set(source.share_of)
        for r in raw:
            value, n = r[-2], r[-1]
            out.append((r[0], tuple(r[1:width + 1]), (n, n if _normal(value) in counted else 0)))
    elif weighted:
        out = [(r[0], (*r[1:width + 1], float(r[-2])), (r[-1],)) for r in raw if r[-2] is not None]
    else:
        out = [(r[0], tuple(r[1:width + 1]), (r[-1], r[-1] * float(r[-2]), r[-1] * float(r[-2]) ** 2))
               for r in raw if r[-2] is not None]
    return out


@lru_cache(maxsize=4096, typed=True)  # typed: True == 1 == 1.0 would otherwise share one entry
def _normal(value) -> str:
    """An answer value as indicator files write it: choice, "yes"/"no", or the rating point."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def _rolled_up(rows: list[tuple], width: int, frequency: str) -> dict[str, dict[tuple, list]]:
    """{period: {key: summed numbers}} from month rows."""
    periods: dict[str, dict[tuple, list]] = defaultdict(dict)
    period_of = {}
    for month, key, numbers in rows:
        period = period_of.get(month)
        if period is None:
            period = period_of[month] = month_to_period(month, frequency)
        groups = periods[period]
        found = groups.get(key)
        if found is None:
            groups[key] = [n or 0 for n in numbers]
        else:
            for i, n in enumerate(numbers):
                found[i] += n or 0
    return periods


def _weights(groups: dict, rake_dims: tuple, margins: dict):
    """{key: weight} raking the period's groups (their first number is their people)."""
    keys = list(groups)
    columns = {d: [key[i] for key in keys] for i, d in enumerate(rake_dims)}
    counts = [int(groups[key][0]) for key in keys]
    from analysis.indicators import rake_groups  # numpy and scipy: only when something is computed
    result = rake_groups(columns, counts, {d: margins[d] for d in rake_dims})
    if result["weights"] is None:
        return None, result["weighting"]
    return dict(zip(keys, result["weights"])), None


class _Estimator:
    """One period's estimate from its groups (all of them, or one category's)."""

    def __init__(self, statistic: str, k: int):
        self.statistic, self.k = statistic, k

    def __call__(self, groups: dict, weights: dict | None) -> dict:
        from analysis.indicators import (  # numpy and scipy: only when something is computed
            count_estimate, mean_estimate, share_estimate, weighted_mean_estimate, weighted_share_estimate,
        )
        k = self.k
        if self.statistic == "count":
            return {**count_estimate(sum(int(n[0]) for n in groups.values()), k=k), "weighted": False}
        if self.statistic == "share":
            if weights is None:
                answered = sum(int(n[0]) for n in groups.values())
                hits = sum(int(n[1]) for n in groups.values())
                return {**share_estimate(hits, answered, k=k), "weighted": False}
            outcomes, counts, w = [], [], []
            for key, (answered, hits) in groups.items():
                outcomes += [True, False]
                counts += [int(hits), int(answered) - int(hits)]
                w += [weights[key], weights[key]]
            return {**weighted_share_estimate(outcomes, counts, w, k=k), "weighted": True}
        if weights is None:
            if groups and len(next(iter(groups.values()))) == 1:  # weighted mean rows, no weights
                n = sum(int(v[0]) for v in groups.values())
                total = sum(key[-1] * v[0] for key, v in groups.items())
                squares = sum(key[-1] * key[-1] * v[0] for key, v in groups.items())
                return {**mean_estimate(n, total, squares, k=k), "weighted": False}
            n = sum(int(v[0]) for v in groups.values())
            return {**mean_estimate(n, sum(v[1] for v in groups.values()), sum(v[2] for v in groups.values()), k=k),
                    "weighted": False}
        keys = list(groups)
        return {**weighted_mean_estimate([key[-1] for key in keys], [groups[key][0] for key in keys],
                                         [weights[key] for key in keys], k=k), "weighted": True}


def _breakdown(estimator: _Estimator, groups: dict, weights, at: int, query: Query, priority) -> dict[str, dict]:
    """{category: estimate} for one period: the categories' people are a table with the
    not-stated as one more cell, suppressed as the representation tables are (primary cells,
    a complementary cell published as a safe range, nothing below the minimum n)."""
    by_category: dict = defaultdict(dict)
    for key, numbers in groups.items():
        category = key[at] if key[at] not in NOT_STATED and key[at] in query.categories else None
        by_category[category][key] = numbers
    people = [sum(int(n[0]) for n in by_category.get(c, {}).values()) for c in query.categories]
    not_stated = sum(int(n[0]) for n in by_category.get(None, {}).values())
    cells = _hidden_cells(people + [not_stated], query, priority)
    out = {}
    for category, count, cell in zip(query.categories, people, cells):
        if cell["kind"] is not None:
            out[category] = {"value": None, "ci": None, "n": None, "suppressed": cell["kind"],
                             "range": cell["range"], "weighted": weights is not None}
        else:
            out[category] = estimator(by_category.get(category, {}), weights)
            if not count:
                out[category]["n"] = 0
    return out


def _hidden_cells(counts: list[int], query: Query, priority) -> list[dict]:
    if sum(counts) < minimum_n(len(query.categories), query.k):
        return [{"kind": TOO_FEW, "range": None}] * len(counts)
    rank = None
    if priority:
        total = sum(priority.values()) or 1
        rank = [priority.get(c, 0) / total for c in query.categories] + [0.0]
    return suppress_cells(counts, [list(range(len(counts)))], k=query.k, priority=rank)
