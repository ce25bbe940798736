"""Raking (iterative proportional fitting) of respondent weights to margins.

Used by :mod:`analysis.representation`; import from there.
"""

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from itertools import repeat

import numpy as np

from ._representation_input import (
    PopulationError,
    RakingError,
    SampleError,
    frequency_weights,
    population_shares,
    respondent_columns,
)
from ._trimming import bound_violation, clip_to_bounds, count_on_bounds
from ._stats import kish_design_effect

__all__ = ["RakeResult", "rake", "DEFAULT_TOL", "DEFAULT_MAX_ITER"]

#: Largest allowed gap between a weighted share and its population share
#: (share units). 1e-6 is far below any reported precision (shares are shown
#: to 0.1 %) and is the default of common implementations (e.g. R's
#: ``anesrake``/``survey::rake`` use 1e-5..1e-6 in their examples).
DEFAULT_TOL = 1e-6
#: Sweeps over all margins before giving up; raking on a handful of margins
#: normally converges in 5-30 sweeps (Battaglia et al. 2009).
DEFAULT_MAX_ITER = 100
#: Code for a respondent whose answer is not one of the margin's categories.
_NOT_STATED_CODE = 0


@dataclass(frozen=True)
class RakeResult:
    """Outcome of :func:`rake`.

    Attributes
    ----------
    weights : list of float
        One weight per respondent (per pattern with `counts`: the weight of
        each person in it), input order, mean 1 over people (they sum to n).
    converged : bool
        True when every margin is met within `tol` (and, with trimming, every
        weight is within the bounds).
    iterations : int
        Sweeps over all margins performed.
    max_error : float
        Largest ``|weighted share - population share|`` over all achievable
        categories, in share units, at the returned weights.
    unmet : list of dict
        ``{"dimension", "category", "population_share"}`` for categories
        with population > 0 but no (weighted) respondent: margins that cannot
        be met. The other categories of that dimension are raked to their
        population shares renormalised among themselves.
    design_effect : float
        Kish's ``n Σw² / (Σw)²`` over people (``N Σ f w² / (Σ f w)²`` with
        frequencies ``f``).
    effective_n : float
        ``n / design_effect``.
    not_stated : dict
        ``{dimension: number of respondents}`` without a substantive answer
        on that margin (kept at their current weight when it is raked).
    zero_population : list of dict
        ``{"dimension", "category", "n"}`` for categories whose population is
        zero but that have respondents; those respondents get weight 0.
    trimmed : int
        Number of people whose weight sits on a trimming bound (0 without
        `trim`).
    n : int
        Number of people (the sum of `counts`, else of rows).
    """

    weights: list
    converged: bool
    iterations: int
    max_error: float
    unmet: list = field(default_factory=list)
    design_effect: float = 1.0
    effective_n: float = 0.0
    not_stated: dict = field(default_factory=dict)
    zero_population: list = field(default_factory=list)
    trimmed: int = 0
    n: int = 0

    def as_dict(self, *, include_weights=False):
        """Return the result as a JSON-ready dict (weights only if asked)."""
        # Not dataclasses.asdict: it would deep-copy a 100,000-long weights list only to drop it.
        result = {
            item.name: copy.deepcopy(getattr(self, item.name))
            for item in fields(self)
            if item.name != "weights"
        }
        if include_weights:
            result["weights"] = list(self.weights)
        result["not_stated"] = [
            {"dimension": dimension, "n": count} for dimension, count in self.not_stated.items()
        ]
        return result


@dataclass
class _Margin:
    dimension: object
    categories: list
    codes: np.ndarray
    target: np.ndarray  # index 0 is the not-stated slot, never used as a target
    people: np.ndarray  # frequency weight of each row


def rake(
    respondents,
    margins,
    *,
    counts=None,
    tol=DEFAULT_TOL,
    max_iter=DEFAULT_MAX_ITER,
    trim=None,
    base_weights=None,
):
    """Rake respondent weights to several population margins at once.

    Parameters
    ----------
    respondents : sequence of mapping, or mapping of sequences
        One ``{dimension: category}`` dict per respondent; or the same people
        as columns, ``{dimension: [category of respondent 0, 1, ...]}``, every
        column one answer per respondent (no dict per person: cheaper for
        many respondents). A missing key or column, the value
        ``None``/``"missing"``, ``"prefer_not"`` or any category not in that
        dimension's margin is *not stated* for that margin.
    margins : mapping
        ``{dimension: {category: population count or share}}``; each margin
        is normalised to shares.
    counts : sequence of int, optional
        Frequency weights: how many people gave each row's answers (a
        pattern table). Default: one person per row. Raking a pattern table
        with its counts gives every person the weight their expanded
        one-row-per-person raking would give them.
    tol : float, optional (default 1e-6)
        Convergence tolerance on ``|weighted share - population share|``.
    max_iter : int, optional (default 100)
        Maximum number of sweeps over all margins.
    trim : (float, float), optional
        ``(lo, hi)`` bounds on weight / mean weight, ``0 <= lo <= 1 <= hi``;
        weights are clipped after each sweep and raked again (trim-and-rake).
        The mean is over people with a positive weight.
    base_weights : sequence of float, optional
        Starting (design) weights, one per row (per person in it),
        non-negative; default all equal.

    Returns
    -------
    RakeResult
        Weights in input order scaled to mean 1 (sum n), with convergence,
        design effect, effective n, unmet margins and not-stated counts.

    Raises
    ------
    SampleError
        If respondents are not mappings, columns differ in length, there are
        none, an answer is unhashable, or base weights are unusable.
    PopulationError
        If a margin is not a valid population table.
    RakingError
        If `tol`, `max_iter` or `trim` are invalid, or every respondent of a
        dimension is in a zero-population category.

    Notes
    -----
    METHOD: iterative proportional fitting (Deming and Stephan 1940). Each
    sweep visits the margins in order; for margin ``d`` it multiplies the
    weight of every respondent in category ``c`` by
    ``share_c * W_d / W_dc``, where ``W_dc`` is the current weight in ``c``
    and ``W_d`` the current weight of respondents with a substantive answer
    on ``d``. Respondents *without* a substantive answer on ``d`` keep their
    weight for that step, so the not-stated group neither absorbs nor
    distorts the margin: shares are matched among those who answered, and the
    total weight is unchanged by every step. Categories with population > 0
    but no respondent cannot be met (no weight to scale); they are reported
    in ``unmet`` and the dimension's other categories are raked to their
    shares renormalised among themselves, instead of dividing by zero.
    Convergence: a sweep in which every margin was already within `tol`
    before its adjustment, confirmed on the final weights. Trimming is the
    usual trim-and-rake loop (Izrael, Hoaglin and Battaglia 2000): after each
    sweep, positive weights outside ``[lo, hi] x mean`` (the mean of the
    positive weights: people in zero-population categories carry weight 0
    and must not pull the bounds down) are clipped and the
    next sweep rakes again; it converges only when margins and bounds hold
    together. Weights are finally scaled to mean 1 so a weighted count reads
    as a number of respondents. Kish's design effect ``n Σw²/(Σw)²`` and
    effective sample size ``n / deff`` summarise the cost of weighting. With
    `counts`, every sum runs over people: a row stands for ``f`` people of
    the same weight (frequency weights), so ``Σ`` becomes ``Σ f``.

    References
    ----------
    .. [1] Deming, W. E. and Stephan, F. F. (1940). On a least squares
       adjustment of a sampled frequency table when the expected marginal
       totals are known. Annals of Mathematical Statistics 11(4):427-444.
    .. [2] Izrael, D., Hoaglin, D. C. and Battaglia, M. P. (2000). A SAS
       macro for balancing a weighted sample. SUGI 25, paper 258.
    .. [3] Battaglia, M. P., Hoaglin, D. C. and Frankel, M. R. (2009).
       Practical considerations in raking survey data. Survey Practice 2(5).
    .. [4] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.

    Examples
    --------
    Two men, one woman and one "prefer not to say", raked to 50/50: the
    three who answered share their weight 3 as 1.5 and 1.5, the fourth keeps
    weight 1.

    >>> people = [{"sex": "m"}, {"sex": "m"}, {"sex": "f"}, {"sex": "prefer_not"}]
    >>> result = rake(people, {"sex": {"m": 50, "f": 50}})
    >>> result.weights
    [0.75, 0.75, 1.5, 1.0]
    >>> result.converged, result.iterations, result.not_stated
    (True, 2, {'sex': 1})

    The same four people as columns give the same weights:

    >>> rake({"sex": ["m", "m", "f", "prefer_not"]}, {"sex": {"m": 50, "f": 50}}).weights
    [0.75, 0.75, 1.5, 1.0]
    """
    rows, answers_on = respondent_columns(respondents)
    tol, max_iter, bounds = _check_options(tol, max_iter, trim)
    if not isinstance(margins, Mapping):
        raise PopulationError("margins must be a mapping of dimension to population table")
    people = frequency_weights(counts, rows)
    n = float(people.sum())
    weights = _start_weights(base_weights, rows, people)
    dims = [_margin(answers_on(dimension), dimension, table, people) for dimension, table in margins.items()]

    converged = False
    iterations = 0
    while iterations < max_iter and not converged:
        iterations += 1
        sweep_error = 0.0
        for margin in dims:
            sweep_error = max(sweep_error, _rake_step(weights, margin))
        if bounds is not None:
            clip_to_bounds(weights, people, bounds, tol)
        if sweep_error <= tol:
            converged = (
                _margin_error(weights, dims) <= tol and bound_violation(weights, people, bounds) <= tol
            )

    total = float((weights * people).sum())
    if total <= 0:
        raise RakingError("every respondent ended with weight 0 (all in zero-population categories)")
    weights *= n / total
    design_effect = kish_design_effect(weights, counts=people)
    return RakeResult(
        weights=weights.tolist(),
        converged=converged,
        iterations=iterations,
        max_error=_margin_error(weights, dims),
        unmet=_unmet(weights, dims),
        design_effect=design_effect,
        effective_n=n / design_effect,
        not_stated={m.dimension: int(people[m.codes == _NOT_STATED_CODE].sum()) for m in dims},
        zero_population=_zero_population(dims),
        trimmed=count_on_bounds(weights, people, bounds),
        n=int(round(n)),
    )


def _check_options(tol, max_iter, trim):
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol > 0:
        raise RakingError(f"tol must be a positive number, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise RakingError(f"max_iter must be a whole number of at least 1, got {max_iter!r}")
    if trim is None:
        return float(tol), max_iter, None
    try:
        lo, hi = (float(bound) for bound in trim)
    except (TypeError, ValueError):
        raise RakingError(f"trim must be a pair (lo, hi) of numbers, got {trim!r}") from None
    if math.isnan(lo) or math.isnan(hi) or not 0 <= lo <= 1 <= hi or lo == hi:
        raise RakingError(
            f"trim bounds are relative to the mean weight and need 0 <= lo <= 1 <= hi, lo < hi; "
            f"got {trim!r}"
        )
    return float(tol), max_iter, (lo, hi)


def _start_weights(base_weights, n, people):
    if base_weights is None:
        return np.ones(n)
    try:
        weights = np.array(base_weights, dtype=float)
    except (TypeError, ValueError):
        raise SampleError("base_weights must be a sequence of numbers") from None
    if weights.shape != (n,):
        raise SampleError(f"base_weights has {weights.size} values for {n} respondents")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise SampleError("base_weights must be finite and non-negative")
    total = float((weights * people).sum())
    if total <= 0:
        raise SampleError("base_weights are all zero")
    return weights * (people.sum() / total)


def _margin(answers, dimension, table, people):
    shares = population_shares(table, name=f"margins[{dimension!r}]")
    categories = list(shares)
    index = {category: position for position, category in enumerate(categories, start=1)}
    try:
        # map() over dict.get runs in C; a generator expression is ~2x slower here.
        codes = np.fromiter(
            map(index.get, answers, repeat(_NOT_STATED_CODE)), dtype=np.intp, count=len(answers)
        )
    except TypeError:
        raise SampleError(
            f"a respondent's answer on {dimension!r} is not a category key (unhashable)"
        ) from None
    target = np.concatenate(([0.0], np.fromiter(shares.values(), dtype=float)))
    return _Margin(dimension, categories, codes, target, people)


def _cell_weights(weights, margin):
    return np.bincount(margin.codes, weights=weights * margin.people, minlength=margin.target.size)[1:]


def _achievable_target(cells, margin):
    """Population shares over the categories that have weight, renormalised."""
    target = np.where(cells > 0, margin.target[1:], 0.0)
    total = target.sum()
    if total <= 0:
        raise RakingError(
            f"every respondent on {margin.dimension!r} is in a category whose population is "
            "zero; there is nothing to rake this margin to"
        )
    return target / total


def _rake_step(weights, margin):
    """Rake `weights` in place to one margin; return the error before the step."""
    cells = _cell_weights(weights, margin)
    answered = cells.sum()
    if answered <= 0:
        return 0.0  # nobody weighted answered this margin: every category is unmet
    target = _achievable_target(cells, margin)
    error = float(np.max(np.abs(cells / answered - target)))
    factor = np.ones(margin.target.size)
    np.divide(target * answered, cells, out=factor[1:], where=cells > 0)
    weights *= factor[margin.codes]
    return error


def _margin_error(weights, dims):
    error = 0.0
    for margin in dims:
        cells = _cell_weights(weights, margin)
        answered = cells.sum()
        if answered > 0:
            target = _achievable_target(cells, margin)
            error = max(error, float(np.max(np.abs(cells / answered - target))))
    return error


def _unmet(weights, dims):
    unmet = []
    for margin in dims:
        cells = _cell_weights(weights, margin)
        for category, share, cell in zip(margin.categories, margin.target[1:], cells):
            if share > 0 and cell <= 0:
                unmet.append(
                    {"dimension": margin.dimension, "category": category, "population_share": float(share)}
                )
    return unmet


def _zero_population(dims):
    found = []
    for margin in dims:
        counts = np.bincount(margin.codes, weights=margin.people, minlength=margin.target.size)[1:]
        for category, share, count in zip(margin.categories, margin.target[1:], counts):
            if share == 0 and count > 0:
                found.append({"dimension": margin.dimension, "category": category, "n": int(round(count))})
    return found
