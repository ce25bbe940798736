"""Benchmark of analysis.representation: tables, raking, score, weighted shares.

Run from the repository root::

    python -c "import sys; sys.path.insert(0,'.'); import bench._analysis_representation as b; b.run(print)"

Synthetic data of realistic shape: 100,000 respondents x 6 dimensions (age band,
gender, language, 12 neighbourhoods, ethnicity, disability) drawn with a
deliberate skew against the population (older, English-speaking, some
neighbourhoods over-represented), plus ~3% "prefer not to say" and ~2% missing
per dimension. The naive baseline is a plain-Python IPF loop with the same
not-stated rule over the same 100,000 respondents and the same number of sweeps
(about 2 s, so no subset is needed).
"""

import time
import tracemalloc
from collections import Counter

import numpy as np

from analysis.representation import (
    r_indicator,
    rake,
    representation_report,
    weighted_shares,
)

SEED = 20240604
N_RESPONDENTS = 100_000
PREFER_NOT_RATE = 0.03
MISSING_RATE = 0.02
TABLE_REPEATS = 50

CANDIDATE_CHUNK = 400_000
TIMING_REPEATS = 3
#: A feasible trim (converges) and one too tight for this skew (reported as not converged).
TRIM_BOUNDS = ((0.2, 5.0), (0.3, 3.0))

#: Population shares of the dimensions drawn independently.
MARGINAL = {
    "age_band": {"under_18": 0.20, "18_24": 0.10, "25_44": 0.28, "45_64": 0.26, "65_plus": 0.16},
    "gender": {"woman": 0.505, "man": 0.485, "nonbinary": 0.01},
    "ethnicity": {"white": 0.45, "black": 0.18, "latino": 0.17, "asian": 0.14, "indigenous": 0.02,
                  "other": 0.04},
    "neighbourhood": dict(zip((f"n{i:02d}" for i in range(12)),
                              (0.12, 0.11, 0.10, 0.09, 0.09, 0.08, 0.08, 0.08, 0.07, 0.06, 0.06, 0.06))),
}
#: Language depends on ethnicity and disability on age, so the margins are correlated in the
#: sample and raking needs several sweeps, as with real data.
LANGUAGES = ("en", "es", "zh", "ar", "so", "fr")
LANGUAGE_GIVEN_ETHNICITY = {
    "white": (0.95, 0, 0, 0, 0, 0.05), "black": (0.60, 0, 0, 0, 0.25, 0.15),
    "latino": (0.40, 0.60, 0, 0, 0, 0), "asian": (0.50, 0, 0.50, 0, 0, 0),
    "indigenous": (1.0, 0, 0, 0, 0, 0), "other": (0.40, 0, 0, 0.60, 0, 0),
}
DISABILITY_GIVEN_AGE = {"under_18": 0.06, "18_24": 0.08, "25_44": 0.12, "45_64": 0.22, "65_plus": 0.40}
#: Relative response propensity by category: the deliberate skew (older, English-speaking,
#: women and the first neighbourhoods answer more).
PROPENSITY = {
    "age_band": {"under_18": 0.4, "18_24": 0.6, "25_44": 1.0, "45_64": 1.4, "65_plus": 2.0},
    "gender": {"woman": 1.3, "man": 0.8, "nonbinary": 1.0},
    "ethnicity": {"white": 1.2, "black": 0.8, "latino": 0.7, "asian": 0.8, "indigenous": 0.6, "other": 1.0},
    "neighbourhood": dict(zip((f"n{i:02d}" for i in range(12)),
                              (1.8, 1.5, 1.2, 1.0, 1.0, 0.9, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3))),
    "language": {"en": 1.2, "es": 0.6, "zh": 0.5, "ar": 0.5, "so": 0.4, "fr": 0.9},
    "disability": {"yes": 0.8, "no": 1.0},
}


def _population():
    population = {dim: {cat: share * 1_000_000 for cat, share in cats.items()} for dim, cats in MARGINAL.items()}
    ethnicity = MARGINAL["ethnicity"]
    population["language"] = {
        language: 1_000_000 * sum(ethnicity[e] * LANGUAGE_GIVEN_ETHNICITY[e][i] for e in ethnicity)
        for i, language in enumerate(LANGUAGES)
    }
    yes = sum(MARGINAL["age_band"][a] * DISABILITY_GIVEN_AGE[a] for a in DISABILITY_GIVEN_AGE)
    population["disability"] = {"yes": 1_000_000 * yes, "no": 1_000_000 * (1 - yes)}
    return population


def _candidates(rng, size):
    """Draw people from the population model, as category indices per dimension."""
    drawn = {}
    for dimension, categories in MARGINAL.items():
        drawn[dimension] = rng.choice(len(categories), size=size, p=list(categories.values()))
    drawn["language"] = np.empty(size, dtype=np.intp)
    for index, conditional in enumerate(LANGUAGE_GIVEN_ETHNICITY.values()):
        mask = drawn["ethnicity"] == index
        drawn["language"][mask] = rng.choice(len(LANGUAGES), size=int(mask.sum()), p=conditional)
    chance = np.array(list(DISABILITY_GIVEN_AGE.values()))[drawn["age_band"]]
    drawn["disability"] = (rng.random(size) >= chance).astype(np.intp)  # 0 = yes, 1 = no
    return drawn


def _respondents(rng, n):
    """People who respond, by rejection sampling on the product of propensities."""
    keys = {dim: list(PROPENSITY[dim]) for dim in PROPENSITY}
    factor = {dim: np.array(list(PROPENSITY[dim].values())) for dim in PROPENSITY}
    ceiling = np.prod([f.max() for f in factor.values()])
    accepted = {dim: [] for dim in PROPENSITY}
    total = 0
    while total < n:
        drawn = _candidates(rng, CANDIDATE_CHUNK)
        propensity = np.prod([factor[dim][drawn[dim]] for dim in PROPENSITY], axis=0)
        keep = rng.random(CANDIDATE_CHUNK) < propensity / ceiling
        for dim in PROPENSITY:
            accepted[dim].append(drawn[dim][keep])
        total += int(keep.sum())
    columns = {}
    for dim in PROPENSITY:
        codes = np.concatenate(accepted[dim])[:n]
        column = [keys[dim][i] for i in codes]
        status = rng.random(n)
        for i in np.flatnonzero(status < PREFER_NOT_RATE + MISSING_RATE):
            column[i] = "prefer_not" if status[i] < PREFER_NOT_RATE else None
        columns[dim] = column
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*columns.values())]


def _counts(respondents):
    return {dim: dict(Counter(person.get(dim) for person in respondents)) for dim in PROPENSITY}


def _naive_rake(respondents, margins, sweeps):
    """Plain-Python IPF: dict lookups and list comprehensions, no numpy."""
    weights = [1.0] * len(respondents)
    for _ in range(sweeps):
        for dimension, table in margins.items():
            population_total = sum(table.values())
            sums = dict.fromkeys(table, 0.0)
            for person, weight in zip(respondents, weights):
                category = person.get(dimension)
                if category in sums:
                    sums[category] += weight
            answered = sum(sums.values())
            factor = {c: table[c] / population_total * answered / sums[c] for c in table if sums[c] > 0}
            weights = [w * factor.get(p.get(dimension), 1.0) for p, w in zip(respondents, weights)]
    scale = len(weights) / sum(weights)
    return [w * scale for w in weights]


def _timed(function, *args, repeats=1, **kwargs):
    """Run `repeats` times; return the last result and the best time (least disturbed by
    other work on a shared machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return result, best


def run(out):
    """Build the synthetic data, time each part, and print the figures with `out`."""
    rng = np.random.default_rng(SEED)
    population = _population()
    respondents, seconds = _timed(_respondents, rng, N_RESPONDENTS)
    out(f"representation: {N_RESPONDENTS:,} respondents x {len(PROPENSITY)} dimensions "
        f"(synthetic, seed {SEED}, built in {seconds:.2f} s)")

    samples, seconds = _timed(_counts, respondents)
    out(f"  count answers per dimension (Counter, as SQL GROUP BY would): {seconds:.3f} s")
    start = time.perf_counter()
    for _ in range(TABLE_REPEATS):
        report = representation_report(samples, population)
    per_report = (time.perf_counter() - start) / TABLE_REPEATS
    cells = sum(len(table["categories"]) for table in report["dimensions"])
    out(f"  tables (6 dimensions, {cells} categories, Wilson + chi-square + suppression): "
        f"{per_report * 1000:.2f} ms per report")

    result, seconds_rake = _timed(rake, respondents, population, repeats=TIMING_REPEATS)
    out(f"  rake numpy, 100k x 6: {seconds_rake:.3f} s, {result.iterations} sweeps, converged "
        f"{result.converged}, max error {result.max_error:.1e}, deff {result.design_effect:.3f}, "
        f"effective n {result.effective_n:,.0f}, weights {min(result.weights):.3f}..{max(result.weights):.3f}")
    _, one_sweep = _timed(rake, respondents, population, max_iter=1, repeats=TIMING_REPEATS)
    out(f"    of which encoding + 1 sweep: {one_sweep:.3f} s "
        f"(so ~{(seconds_rake - one_sweep) / max(1, result.iterations - 1) * 1000:.1f} ms per further sweep)")
    tracemalloc.start()
    rake(respondents, population)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out(f"    peak memory (tracemalloc): {peak / 2**20:.1f} MiB")

    for bounds in TRIM_BOUNDS:
        trimmed, seconds = _timed(rake, respondents, population, trim=bounds)
        out(f"  trim-and-rake {bounds}: {seconds:.3f} s, {trimmed.iterations} sweeps, converged "
            f"{trimmed.converged}, {trimmed.trimmed:,} weights on a bound, "
            f"deff {trimmed.design_effect:.3f}, max error {trimmed.max_error:.1e}")

    score, seconds = _timed(r_indicator, result.weights)
    out(f"  R-indicator (no response rate, lower bound): {score:.3f} in {seconds * 1000:.1f} ms")
    full, seconds = _timed(representation_report, samples, population, respondents=respondents)
    score_text = "none: " + full["method"]["params"]["reason"] if full["score"] is None else f"{full['score']:.3f}"
    out(f"  full report with raking and score: {seconds:.3f} s (score {score_text})")

    values = [person["age_band"] for person in respondents]
    _, seconds = _timed(weighted_shares, values, result.weights, repeats=TIMING_REPEATS)
    out(f"  weighted_shares over 100k answers: {seconds * 1000:.1f} ms")

    naive, naive_seconds = _timed(_naive_rake, respondents, population, result.iterations)
    agree = float(np.max(np.abs(np.array(naive) - np.array(result.weights))))
    out(f"  baseline: plain-Python IPF on the same 100k, same {result.iterations} sweeps: "
        f"{naive_seconds:.3f} s vs numpy {seconds_rake:.3f} s -> {naive_seconds / seconds_rake:.1f}x "
        f"faster (max weight difference {agree:.1e})")

if __name__ == "__main__":
    run(print)
