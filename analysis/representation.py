"""Who is missing: sample against population, with suppression and raking.

Plain dicts in, plain dicts out (JSON-ready); no Flask, no database. The
shapes follow DESIGN.md's representation report JSON.

Conventions: category ``"prefer_not"`` is "prefer not to say"; ``None`` or
``"missing"`` is no answer; any other sample key not in the population table
is reported under ``not_stated`` too. Shares are over the *substantive* total
(answers in a population category); nothing is dropped or spread.
"""

from collections.abc import Mapping, Sequence

from ._r_indicator import implied_propensities, r_indicator, r_indicator_from_propensities
from ._raking import DEFAULT_MAX_ITER, DEFAULT_TOL, RakeResult, rake
from ._representation_input import (
    MISSING,
    PREFER_NOT,
    PopulationError,
    RakingError,
    RepresentationError,
    SampleError,
    check_k,
    population_shares,
    split_sample,
)
from ._representation_tables import build_table
from ._stats import z_critical
from ._suppression import DEFAULT_K
from ._intersections import intersection_table
from ._weighted import weighted_shares

__all__ = [
    "PREFER_NOT",
    "MISSING",
    "DEFAULT_K",
    "RepresentationError",
    "PopulationError",
    "SampleError",
    "RakingError",
    "RakeResult",
    "representation_table",
    "intersection_table",
    "representation_report",
    "largest_gaps",
    "weighted_shares",
    "rake",
    "r_indicator",
    "r_indicator_from_propensities",
    "implied_propensities",
]


def representation_table(sample_counts, population, *, k=DEFAULT_K, confidence=0.95, dimension=None):
    """Compare one dimension's sample counts with its population.

    Parameters
    ----------
    sample_counts : mapping
        ``{category: count}`` of answers, including ``"prefer_not"``,
        ``None``/``"missing"`` and any other key (all reported as not stated).
    population : mapping
        ``{category: count or share}``; normalised to shares.
    k : int, optional (default 5)
        Small-cell threshold: counts ``0 < n < k`` are suppressed.
    confidence : float, optional (default 0.95)
        Confidence level of the intervals.
    dimension : str, optional
        Name written into the result's ``"dimension"``.

    Returns
    -------
    table : dict
        ``{"dimension", "n", "n_substantive", "chi_square": {"statistic", "df",
        "p", "min_expected", "small_expected", "pooled_cells", "reason"},
        "categories": [{"category", "n", "share", "population_share", "index",
        "ci", "index_ci", "gap", "suppressed"}], "not_stated": {"prefer_not",
        "missing", ...}, "k", "confidence", "method"}``. Suppressed values are
        None; ``not_stated`` values are None when suppressed.

    Raises
    ------
    PopulationError
        If the population is empty, has a not-stated key, or a value is
        negative, non-numeric, not finite, or all are zero.
    SampleError
        If a count is not a non-negative whole number.

    Notes
    -----
    METHOD: ``share = n / n_substantive``; 95% Wilson score interval for the
    share; representation index ``share / population share`` and its
    interval the Wilson bounds divided by the population share (the
    population share is treated as known). ``gap`` is ``"under"``/``"over"``
    when the share's interval lies wholly below/above the population share
    (the index interval excludes 1). Pearson chi-square goodness of fit with
    expected ``n_substantive x population share`` over substantive categories,
    ``p = chi2.sf``; suppressed cells are pooled into one cell so the
    statistic reveals only their sum. Suppression: see
    :func:`analysis._suppression.protect_cells` (zeros shown; the substantive
    categories and the not-stated answers are each a group whose total can be
    derived).

    References
    ----------
    .. [1] Wilson, E. B. (1927). JASA 22(158):209-212.
    .. [2] Pearson, K. (1900). Philosophical Magazine 50(302):157-175.
    .. [3] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, chapter 5.

    Examples
    --------
    >>> table = representation_table(
    ...     {"young": 20, "old": 80, "prefer_not": 10}, {"young": 40, "old": 60},
    ...     dimension="age_band")
    >>> table["n"], table["n_substantive"], table["not_stated"]
    (110, 100, {'prefer_not': 10, 'missing': 0})
    >>> young = table["categories"][0]
    >>> young["share"], young["index"], young["gap"]
    (0.2, 0.5, 'under')
    >>> round(table["chi_square"]["statistic"], 4)  # (20-40)²/40 + (80-60)²/60
    16.6667
    """
    check_k(k)
    z_critical(confidence)  # validates the level before any work
    label = "" if dimension is None else f" for {dimension!r}"
    shares = population_shares(population, name=f"population{label}")
    substantive, not_stated = split_sample(sample_counts, shares, name=f"sample_counts{label}")
    rows, chi_square, shown_not_stated = build_table(
        list(substantive),
        list(substantive.values()),
        list(shares.values()),
        not_stated,
        line_groups=[],
        k=k,
        confidence=confidence,
    )
    answered = sum(substantive.values())
    return {
        "dimension": dimension,
        "n": answered + sum(not_stated.values()),
        "n_substantive": answered,
        "chi_square": chi_square,
        "categories": rows,
        "not_stated": shown_not_stated,
        "k": k,
        "confidence": confidence,
        "method": _table_method(k, confidence),
    }


def _table_method(k, confidence):
    level = f"{confidence:.0%}"
    return (
        "Shares are of the answers in a population category (prefer-not-to-say, missing and "
        f"other answers are counted under not_stated, never spread), with {level} Wilson score "
        "intervals; the index is share / population share and its interval the Wilson bounds "
        "/ population share; the gap is flagged when that interval excludes 1; chi-square "
        "goodness of fit against n x population share with suppressed cells pooled; counts "
        f"from 1 to {k - 1} are suppressed, with complementary suppression so none can be "
        "recovered by subtraction."
        if k > 1
        else "Shares are of the answers in a population category (prefer-not-to-say, missing "
        f"and other answers are counted under not_stated, never spread), with {level} Wilson "
        "score intervals; the index is share / population share and its interval the Wilson "
        "bounds / population share; the gap is flagged when that interval excludes 1; "
        "chi-square goodness of fit against n x population share; no small-cell suppression."
    )


def representation_report(
    samples,
    population,
    *,
    k=DEFAULT_K,
    respondents=None,
    confidence=0.95,
    response_rate=None,
    tol=DEFAULT_TOL,
    max_iter=DEFAULT_MAX_ITER,
    trim=None,
):
    """The full representation report: every dimension, plus one score.

    Parameters
    ----------
    samples : mapping
        ``{dimension: {category: count}}``.
    population : mapping
        ``{dimension: {category: count or share}}``.
    k : int, optional (default 5)
        Small-cell threshold (see :func:`representation_table`).
    respondents : sequence of mapping, optional
        ``[{dimension: category}]``; when given, they are raked to the
        population margins of the reported dimensions and the score is the
        R-indicator of the raking weights.
    confidence : float, optional (default 0.95)
        Confidence level of the intervals.
    response_rate : float, optional
        Passed to :func:`r_indicator`.
    tol, max_iter, trim
        Passed to :func:`rake`.

    Returns
    -------
    report : dict
        ``{"n", "score", "dimensions": [table, ...], "raking": dict or None,
        "skipped": {"no_population": [...], "no_sample": [...]}, "method"}``,
        each table as :func:`representation_table`. ``n`` is the number of
        respondents if given, else the largest dimension total.

    Raises
    ------
    PopulationError, SampleError, RakingError
        As the functions called.

    Notes
    -----
    METHOD: one :func:`representation_table` per dimension present in both
    `samples` and `population` (population order); :func:`rake` of
    `respondents` to those margins; ``score = r_indicator`` of the positive
    raking weights (respondents in zero-population categories carry weight 0
    and no propensity). See :func:`r_indicator` for the caveats that must go
    with the score: it depends on the dimensions chosen and is not a measure
    of bias on any particular question.

    References
    ----------
    .. [1] Schouten, B., Cobben, F. and Bethlehem, J. (2009). Survey
       Methodology 35(1):101-113.

    Examples
    --------
    >>> report = representation_report(
    ...     {"sex": {"m": 2, "f": 2}}, {"sex": {"m": 50, "f": 50}}, k=0,
    ...     respondents=[{"sex": "m"}, {"sex": "m"}, {"sex": "f"}, {"sex": "f"}])
    >>> report["n"], report["score"], report["dimensions"][0]["categories"][0]["index"]
    (4, 1.0, 1.0)
    """
    if not isinstance(samples, Mapping) or not isinstance(population, Mapping):
        raise RepresentationError("samples and population must be mappings of dimension to table")
    dimensions = [dimension for dimension in population if dimension in samples]
    tables = [
        representation_table(
            samples[dimension], population[dimension], k=k, confidence=confidence, dimension=dimension
        )
        for dimension in dimensions
    ]
    report = {
        "n": max((table["n"] for table in tables), default=0),
        "score": None,
        "dimensions": tables,
        "raking": None,
        "skipped": {
            "no_population": [dimension for dimension in samples if dimension not in population],
            "no_sample": [dimension for dimension in population if dimension not in samples],
        },
        "method": _NO_SCORE_METHOD,
    }
    if respondents is not None:
        if isinstance(respondents, (str, bytes, Mapping)) or not isinstance(respondents, Sequence):
            raise SampleError("respondents must be a list of {dimension: category} dicts")
        report["n"] = len(respondents)
    if respondents is not None and dimensions:
        result = rake(
            respondents,
            {dimension: population[dimension] for dimension in dimensions},
            tol=tol,
            max_iter=max_iter,
            trim=trim,
        )
        report["raking"] = result.as_dict()
        positive = [weight for weight in result.weights if weight > 0]
        report["score"] = r_indicator(positive, response_rate=response_rate)
        report["method"] = _SCORE_METHOD if result.converged else _SCORE_METHOD + _NOT_CONVERGED
    return report


_NO_SCORE_METHOD = (
    "One table per dimension with a population baseline; no representativeness score, because "
    "no respondent-level answers were given to rake."
)
_SCORE_METHOD = (
    "One table per dimension with a population baseline; the score is the R-indicator "
    "(Schouten, Cobben & Bethlehem 2009) of weights raked to those dimensions' population "
    "shares, so it describes balance on those dimensions only, not bias on any question."
)
_NOT_CONVERGED = " The raking did not converge, so the score is approximate."


def largest_gaps(report, limit=5):
    """The most under-represented categories, for "who is missing" sentences.

    Parameters
    ----------
    report : dict
        A :func:`representation_report` result, or one
        :func:`representation_table`.
    limit : int or None, optional (default 5)
        How many to return; None for all.

    Returns
    -------
    gaps : list of dict
        ``{"dimension", "category", "n", "share", "population_share",
        "index", "index_ci"}`` for shown categories with ``gap == "under"``,
        lowest index first (ties keep report order).

    Raises
    ------
    RepresentationError
        If `report` has neither ``"dimensions"`` nor ``"categories"``, or
        `limit` is negative.

    Notes
    -----
    METHOD: filter on the interval-based gap flag (so a low index on a tiny
    group whose interval includes parity is not listed) and sort by index.
    Suppressed cells are never listed.

    Examples
    --------
    >>> table = representation_table({"a": 20, "b": 80}, {"a": 40, "b": 60}, dimension="x")
    >>> [(gap["category"], gap["index"]) for gap in largest_gaps(table)]
    [('a', 0.5)]
    """
    if isinstance(limit, bool) or (limit is not None and (not isinstance(limit, int) or limit < 0)):
        raise RepresentationError(f"limit must be a non-negative whole number or None, got {limit!r}")
    if isinstance(report, Mapping) and "dimensions" in report:
        tables = report["dimensions"]
    elif isinstance(report, Mapping) and "categories" in report:
        tables = [report]
    else:
        raise RepresentationError("largest_gaps needs a representation report or table")
    keys = ("category", "n", "share", "population_share", "index", "index_ci")
    gaps = [
        {"dimension": table.get("dimension"), **{key: row[key] for key in keys}}
        for table in tables
        for row in table["categories"]
        if not row["suppressed"] and row["gap"] == "under"
    ]
    gaps.sort(key=lambda gap: gap["index"])
    return gaps if limit is None else gaps[:limit]
