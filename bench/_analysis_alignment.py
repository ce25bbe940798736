"""Benchmark for analysis.alignment: Kendall's W and the report at survey scale.

``run(out)`` builds 20,000 raters x 10 priorities with a fixed seed (residents
rank their top 3, partners and focus-group participants rank everything) and
prints seconds, raters/s and peak memory (tracemalloc), next to a plain-Python
Kendall's W computed in the same run as the baseline.
"""

import sys

import numpy as np

from analysis import alignment
from bench._measure import measure

#: Seed for the synthetic data.
DATA_SEED = 11
#: Priorities on the survey (the DESIGN.md example's six plus four more).
ITEMS = (
    "housing", "transport", "safety", "jobs", "health", "youth",
    "food", "childcare", "green_space", "digital",
)
#: Raters per group; residents rank their top 3 as the example survey asks.
GROUPS = {"residents": (16_000, 3), "partners": (3_000, None), "focus_groups": (1_000, None)}
#: Spread of individual taste around the group's view (Thurstone-style noise).
TASTE_NOISE = 1.5


def synthetic_rankings(seed=DATA_SEED):
    """``{group: [ranking, ...]}``: each group shares a view, each rater adds noise."""
    rng = np.random.default_rng(seed)
    by_group = {}
    for group, (raters, top) in GROUPS.items():
        view = rng.normal(size=len(ITEMS))
        utility = view + rng.normal(scale=TASTE_NOISE, size=(raters, len(ITEMS)))
        order = np.argsort(-utility, axis=1)
        if top is not None:  # top-N answers arrive as lists, most important first
            by_group[group] = [[ITEMS[j] for j in row[:top]] for row in order]
        else:  # full rankings arrive as {item: rank}
            by_group[group] = [
                {ITEMS[j]: rank for rank, j in enumerate(row, start=1)} for row in order
            ]
    return by_group


def naive_kendalls_w(rankings, items):
    """Kendall's W with ties and partial rankings in plain Python (the baseline)."""
    n, m = len(items), len(rankings)
    rank_sums = dict.fromkeys(items, 0.0)
    tie_total = 0.0
    for ranking in rankings:
        if not isinstance(ranking, dict):
            ranking = {item: position for position, item in enumerate(ranking, start=1)}
        ordered = sorted(items, key=lambda item: ranking.get(item, float("inf")))
        position = 0
        while position < n:
            value = ranking.get(ordered[position], float("inf"))
            end = position
            while end + 1 < n and ranking.get(ordered[end + 1], float("inf")) == value:
                end += 1
            size = end - position + 1
            for item in ordered[position : end + 1]:
                rank_sums[item] += (position + 1 + end + 1) / 2
            tie_total += size**3 - size
            position = end + 1
    mean = m * (n + 1) / 2
    s = sum((total - mean) ** 2 for total in rank_sums.values())
    return 12 * s / (m * m * (n**3 - n) - m * tie_total)



def run(out):
    """Print benchmark figures through ``out`` (e.g. ``print``)."""
    by_group = synthetic_rankings()
    everyone = [ranking for rankings in by_group.values() for ranking in rankings]
    m = len(everyone)
    out(f"analysis.alignment benchmark: {m} raters x {len(ITEMS)} priorities "
        f"({', '.join(f'{g} {len(r)}' for g, r in by_group.items())}; residents rank top 3)")
    result, secs, peak = measure(lambda: alignment.kendalls_w(everyone, items=ITEMS))
    out(f"  kendalls_w (numpy): {secs:.3f} s, {m / secs:,.0f} raters/s, peak {peak:.1f} MiB; "
        f"W = {result.w:.4f}, chi-square {result.chi_square:.1f}, p = {result.p:.3g}")
    naive, secs_naive, _ = measure(lambda: naive_kendalls_w(everyone, ITEMS), memory=False)
    out(f"  naive pure-Python W: {secs_naive:.3f} s, {m / secs_naive:,.0f} raters/s; "
        f"W = {naive:.4f} (|difference| {abs(naive - result.w):.1e}); "
        f"numpy is {secs_naive / secs:.1f}x faster")
    report, secs, peak = measure(lambda: alignment.alignment_report(by_group, items=ITEMS))
    labels = [row["label"] for row in report["priorities"]]
    out(f"  alignment_report: {secs:.3f} s, {m / secs:,.0f} raters/s, peak {peak:.1f} MiB; "
        f"labels {dict((label, labels.count(label)) for label in sorted(set(labels)))}")


if __name__ == "__main__":
    sys.path.insert(0, ".")
    run(print)
