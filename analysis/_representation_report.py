"""The whole representation report (tables, raking, score) and "who is missing".

Used by :mod:`analysis.representation`; import from there.
"""

from collections.abc import Mapping, Sequence

from ._r_indicator import r_indicator
from ._raking import DEFAULT_MAX_ITER, DEFAULT_TOL, rake
from ._representation_input import RepresentationError, SampleError, frequency_weights, respondent_columns
from ._representation_tables import representation_table
from .suppression import DEFAULT_K

__all__ = ["representation_report", "largest_gaps", "missing_groups", "NO_SCORE_REASONS"]

#: Why a report carries no score (the ``reason`` of its ``no_score`` method code).
NO_SCORE_REASONS = ("no_respondents", "no_dimensions", "too_few", "unmet_margins", "not_converged")
#: Decimals of the score and the design effect while a table hides a cell (the effective n is
#: then whole): at full precision they are functions of every count, the hidden ones included,
#: and trying the few values a hidden cell can take against 16 digits would find it. Two is what
#: the page shows and what the score can be read to.
PUBLISHED_DECIMALS = 2


def representation_report(
    samples,
    population,
    *,
    k=DEFAULT_K,
    respondents=None,
    counts=None,
    confidence=0.95,
    response_rate=None,
    tol=DEFAULT_TOL,
    max_iter=DEFAULT_MAX_ITER,
    trim=None,
):
    """The full representation report: every dimension, the raking and one score.

    Parameters
    ----------
    samples : mapping
        ``{dimension: {category: count}}``.
    population : mapping
        ``{dimension: {category: count or share}}``.
    k : int, optional (default 5)
        Small-cell threshold (see :func:`representation_table`).
    respondents : sequence of mapping, or mapping of sequences, optional
        Respondent-level answers as :func:`rake` takes them (one row per
        person, or per answer pattern with `counts`); when given they are
        raked to the population margins of the reported dimensions.
    counts : sequence of int, optional
        Frequency weights of `respondents`' rows (a pattern table).
    confidence : float, optional (default 0.95)
        Confidence level of the intervals.
    response_rate : float, optional
        Passed to :func:`r_indicator`.
    tol, max_iter, trim
        Passed to :func:`rake`.

    Returns
    -------
    report : dict
        ``{"n", "n_range", "score", "dimensions": [table, ...], "raking": dict
        or None, "skipped": {"no_population": [...], "no_sample": [...]}, "k",
        "method": {"code", "params"}}``, each table as
        :func:`representation_table`. ``n`` is the number of people
        (respondents, or the largest dimension total), None when from 1 to
        k-1 (``n_range`` then ``[1, k-1]``). ``score`` is None unless the
        raking converged with every margin met; ``method`` says which:
        ``{"code": "r_indicator", "params": {"dimensions"}}`` with a score,
        ``{"code": "no_score", "params": {"reason", "unmet"}}`` without
        (reasons in ``NO_SCORE_REASONS``). ``raking`` is ``{"converged",
        "iterations", "max_error", "design_effect", "effective_n", "n",
        "trimmed", "unmet", "zero_population", "not_stated", "unlisted"}``;
        ``unmet`` and ``zero_population`` name only categories their table
        shows (``unlisted`` counts the others).

    Raises
    ------
    PopulationError, SampleError, RakingError
        As the functions called.

    Notes
    -----
    METHOD: one :func:`representation_table` per dimension present in both
    `samples` and `population` (population order); :func:`rake` of
    `respondents` to those margins, with frequency weights when `counts` are
    given (Kish's design effect over people); ``score = r_indicator`` of the
    positive raking weights (people in zero-population categories carry
    weight 0 and no propensity). While any table hides a cell, the score and
    the design effect are published to 2 decimals and the effective n whole
    (at full precision they would give the hidden counts away). No score when a table is below its minimum
    n, a margin cannot be met (a group with population but nobody answering:
    the weights then describe a different population) or the raking did not
    converge: the number would look like a finding and is not one. See
    :func:`r_indicator` for the caveats that go with the score.

    References
    ----------
    .. [1] Schouten, B., Cobben, F. and Bethlehem, J. (2009). Survey
       Methodology 35(1):101-113.
    .. [2] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.

    Examples
    --------
    >>> report = representation_report(
    ...     {"sex": {"m": 2, "f": 2}}, {"sex": {"m": 50, "f": 50}}, k=0,
    ...     respondents={"sex": ["m", "f"]}, counts=[2, 2])
    >>> report["n"], report["score"], report["method"]["code"]
    (4, 1.0, 'r_indicator')
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
    n = max((sum(samples[dimension].values()) for dimension in dimensions), default=0)
    if respondents is not None:
        if isinstance(respondents, (str, bytes)) or not isinstance(respondents, (Sequence, Mapping)):
            raise SampleError("respondents must be a list of {dimension: category} dicts, or columns")
        if counts is not None:
            n = int(frequency_weights(counts, len(counts)).sum()) if len(counts) else 0
        else:
            n = respondent_columns(respondents)[0] if len(respondents) else 0
    report = {
        "n": None if 0 < n < k else n,
        "n_range": [1, k - 1] if 0 < n < k else None,
        "score": None,
        "dimensions": tables,
        "raking": None,
        "skipped": {
            "no_population": [dimension for dimension in samples if dimension not in population],
            "no_sample": [dimension for dimension in population if dimension not in samples],
        },
        "k": k,
    }
    reason = _no_score_reason(respondents, n, tables)
    if reason is None:
        result = rake(
            respondents,
            {dimension: population[dimension] for dimension in dimensions},
            counts=counts,
            tol=tol,
            max_iter=max_iter,
            trim=trim,
        )
        hides = _hides_a_cell(tables)
        report["raking"] = _raking_summary(result, tables, hides)
        reason = "unmet_margins" if result.unmet else (None if result.converged else "not_converged")
        if reason is None:
            positive = [(weight, many) for weight, many in zip(result.weights, _counts(counts, result)) if weight > 0 and many > 0]
            score = r_indicator(
                [weight for weight, _many in positive],
                counts=[many for _weight, many in positive],
                response_rate=response_rate,
            )
            report["score"] = round(score, PUBLISHED_DECIMALS) if hides else score
    report["method"] = (
        {"code": "r_indicator", "params": {"dimensions": len(tables)}}
        if reason is None
        else {"code": "no_score", "params": {"reason": reason, "unmet": len((report["raking"] or {}).get("unmet", []))}}
    )
    return report


def _counts(counts, result):
    return [1] * len(result.weights) if counts is None else list(counts)


def _no_score_reason(respondents, n, tables):
    if respondents is None or n == 0:
        return "no_respondents"
    if not tables:
        return "no_dimensions"
    if any(table["too_few"] for table in tables):
        return "too_few"
    return None


def _hides_a_cell(tables):
    return any(
        row["suppression"] is not None for table in tables for row in table["categories"]
    ) or any(value is None for table in tables for value in table["not_stated"].values())


def _raking_summary(result, tables, hides):
    """The raking as JSON, naming only categories that their table shows (a zero a table hides
    must not reappear in a list), its summary figures rounded while a cell is hidden."""
    shown = {
        (table["dimension"], row["category"])
        for table in tables
        for row in table["categories"]
        if row["suppression"] is None
    }
    summary = result.as_dict()
    listed = {}
    for key in ("unmet", "zero_population"):
        listed[key] = [item for item in summary[key] if (item["dimension"], item["category"]) in shown]
    summary["unlisted"] = len(summary["unmet"]) + len(summary["zero_population"]) - sum(map(len, listed.values()))
    summary.update(listed)
    if hides:
        summary["design_effect"] = round(summary["design_effect"], PUBLISHED_DECIMALS)
        summary["effective_n"] = round(summary["effective_n"])
        summary["max_error"] = float(f"{summary['max_error']:.0e}")
    return summary


def missing_groups(report, limit=None):
    """Who is missing: every group that even its most favourable published value leaves short.

    Parameters
    ----------
    report : dict
        A :func:`representation_report` result, or one
        :func:`representation_table`.
    limit : int or None, optional (default None)
        How many to return; None for all.

    Returns
    -------
    groups : list of dict
        ``{"dimension", "category", "n", "share", "share_bound",
        "population_share", "index", "index_ci", "suppression", "range",
        "share_range"}`` for every category flagged ``gap == "under"``, shown
        or hidden, lowest ``share_bound / population_share`` first (ties keep
        report order). ``share_bound`` is the share for a shown group and
        the top of the published share range for a hidden one.

    Raises
    ------
    RepresentationError
        If `report` has neither ``"dimensions"`` nor ``"categories"``, or
        `limit` is negative.

    Notes
    -----
    METHOD: a category is listed when the upper end of the confidence
    interval of its share is below the population share; for a hidden
    category, the interval of the *highest* count its published range allows
    (so a hidden group is listed exactly when every value consistent with
    what is published is short, and the listing reveals nothing the range
    does not). Tables below their minimum n list nothing.

    Examples
    --------
    >>> from analysis.representation import representation_table
    >>> table = representation_table({"a": 20, "b": 80}, {"a": 40, "b": 60}, dimension="x")
    >>> [(group["category"], group["share_bound"]) for group in missing_groups(table)]
    [('a', 0.2)]
    """
    if isinstance(limit, bool) or (limit is not None and (not isinstance(limit, int) or limit < 0)):
        raise RepresentationError(f"limit must be a non-negative whole number or None, got {limit!r}")
    if isinstance(report, Mapping) and "dimensions" in report:
        tables = report["dimensions"]
    elif isinstance(report, Mapping) and "categories" in report:
        tables = [report]
    else:
        raise RepresentationError("missing_groups needs a representation report or table")
    keys = ("category", "n", "share", "population_share", "index", "index_ci", "suppression", "range", "share_range")
    groups = []
    for table in tables:
        for row in table["categories"]:
            if row["gap"] != "under":
                continue
            bound = row["share"] if row["share"] is not None else row["share_range"][1]
            groups.append({"dimension": table.get("dimension"), **{key: row[key] for key in keys}, "share_bound": bound})
    groups.sort(key=lambda group: group["share_bound"] / group["population_share"])
    return groups if limit is None else groups[:limit]


def largest_gaps(report, limit=5):
    """The `limit` most under-represented groups: :func:`missing_groups` cut short.

    Parameters
    ----------
    report : dict
        As :func:`missing_groups`.
    limit : int or None, optional (default 5)
        How many to return; None for all.

    Returns
    -------
    gaps : list of dict
        As :func:`missing_groups`.

    Examples
    --------
    >>> from analysis.representation import representation_table
    >>> table = representation_table({"a": 20, "b": 80}, {"a": 40, "b": 60}, dimension="x")
    >>> [(gap["category"], gap["index"]) for gap in largest_gaps(table)]
    [('a', 0.5)]
    """
    return missing_groups(report, limit=limit)
