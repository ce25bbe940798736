"""Property tests: no suppressed count can be recovered from what a table or report publishes.

Random tables, random margins and random filters (subsets of random people) go through the
real analysis functions; an attacker's linear programme (tests/analysis/suppression_audit.py)
then bounds every small cell from everything published, and the bound must be at least as wide
as the safe rule: "from 1 to k-1", or what the group's own hidden total already says.
"""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.representation import missing_groups, representation_report, representation_table, weighted_shares
from analysis.suppression import COMPLEMENTARY, PRIMARY, TOO_FEW, minimum_n, suppress_cells
from tests.analysis.suppression_audit import audit_table, feasible_interval

K = 5
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Counts as surveys give them: many small ones (the interesting cases), some large.
counts = st.one_of(st.integers(0, 7), st.integers(0, 400))
shares = st.one_of(st.just(0), st.integers(1, 100))


@st.composite
def tables(draw):
    size = draw(st.integers(2, 8))
    sample = {f"c{i}": draw(counts) for i in range(size)}
    population = {f"c{i}": draw(shares) for i in range(size)}
    if not any(population.values()):
        population["c0"] = 1
    sample["prefer_not"] = draw(st.integers(0, 8))
    sample["missing"] = draw(st.integers(0, 8))
    if draw(st.booleans()):
        sample["write_in"] = draw(st.integers(0, 6))
    return sample, population


@SETTINGS
@given(tables())
def test_no_small_cell_of_a_table_can_be_recovered(drawn):
    sample, population = drawn
    table = representation_table(sample, population, k=K)
    truth = [sample[f"c{i}"] for i in range(len(population))]
    assert audit_table(table, truth, K) == []
    if table["too_few"]:
        assert all(row["n"] is None and row["range"] is None for row in table["categories"])
        assert all(value is None for value in table["not_stated"].values())


@SETTINGS
@given(tables())
def test_a_complement_is_published_as_exactly_what_the_totals_allow(drawn):
    """The range adds nothing: without it, the published figures give the same interval."""
    sample, population = drawn
    table = representation_table(sample, population, k=K)
    rows = table["categories"]
    for index, row in enumerate(rows):
        if row["suppression"] != COMPLEMENTARY:
            continue
        # Rebuild the attacker's view without this row's range: primaries "1 to k-1", the rest as shown.
        bounds = [(r["n"], r["n"]) if r["n"] is not None else (tuple(r["range"]) if r is not row else (0, None))
                  for r in rows]
        bounds += [(v, v) if v is not None else (0, None) for v in table["not_stated"].values()]
        equalities = [([1.0] * len(rows) + [0.0] * len(table["not_stated"]), table["n_substantive"])]
        low, high = feasible_interval(bounds, equalities, index)
        assert (round(low), round(high)) == (max(0, row["range"][0]), row["range"][1])


@st.composite
def people_and_filter(draw):
    """Random people on two dimensions with a channel each, and one channel to filter on."""
    dimensions = {"age": ["young", "middle", "old"], "lang": ["en", "es", "so", "vi"]}
    size = draw(st.integers(1, 160))
    rows = draw(st.lists(st.tuples(st.sampled_from(dimensions["age"] + [None]),
                                   st.sampled_from(dimensions["lang"] + ["prefer_not"]),
                                   st.sampled_from(["web", "paper", "focus_group"])),
                         min_size=size, max_size=size))
    population = {d: {c: draw(st.integers(1, 60)) for c in cats} for d, cats in dimensions.items()}
    return rows, population, draw(st.sampled_from(["web", "paper", "focus_group", None]))


def _report(rows, population, channel):
    chosen = [row for row in rows if channel is None or row[2] == channel]
    patterns: dict = {}
    for age, lang, _channel in chosen:
        patterns[(age, lang)] = patterns.get((age, lang), 0) + 1
    samples = {"age": {}, "lang": {}}
    for (age, lang), n in patterns.items():
        samples["age"][age or "missing"] = samples["age"].get(age or "missing", 0) + n
        samples["lang"][lang] = samples["lang"].get(lang, 0) + n
    columns = {"age": [p[0] for p in patterns], "lang": [p[1] for p in patterns]}
    report = representation_report(samples, population, k=K, respondents=columns if patterns else None,
                                   counts=list(patterns.values()) if patterns else None)
    return report, samples


@SETTINGS
@given(people_and_filter())
def test_no_filter_singles_anyone_out(drawn):
    rows, population, channel = drawn
    report, samples = _report(rows, population, channel)
    people = sum(samples["age"].values())
    assert (report["n"] is None) == (0 < people < K)
    shown = set()
    for table in report["dimensions"]:
        truth = [samples[table["dimension"]].get(row["category"], 0) for row in table["categories"]]
        assert audit_table(table, truth, K) == []
        if sum(truth) < minimum_n(len(truth), K):
            assert {row["suppression"] for row in table["categories"]} == {TOO_FEW}
        shown |= {(table["dimension"], row["category"]) for row in table["categories"] if row["suppression"] is None}
    # Lists never name what a table hides, and "who is missing" says no more than the ranges.
    if report["raking"]:
        for item in report["raking"]["unmet"] + report["raking"]["zero_population"]:
            assert (item["dimension"], item["category"]) in shown
    for group in missing_groups(report):
        if group["suppression"] is not None:
            assert group["n"] is None and group["share_bound"] == group["share_range"][1]
    # The score is there exactly when the method says so.
    assert (report["score"] is None) == (report["method"]["code"] == "no_score")


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", "c", "d", None, "prefer_not"]), min_size=1, max_size=120),
       st.lists(st.floats(0.2, 5.0), min_size=120, max_size=120))
def test_the_weighted_view_hides_what_the_tables_hide(values, weights):
    result = weighted_shares(values, weights[:len(values)], choices=["a", "b", "c", "d"], k=K)
    answered = sum(v not in (None, "prefer_not") for v in values)
    truth = [sum(v == choice for v in values) for choice in "abcd"]
    table = {  # the same shape as a representation table, for the same audit
        "categories": [{"category": row["value"], "n": row["n"], "range": row["range"],
                        "suppression": row["suppression"]} for row in result["values"]],
        "not_stated": result["not_stated"], "n_substantive": result["n_answered"], "n": result["n"],
    }
    assert audit_table(table, truth, K) == []
    if answered < minimum_n(4, K):
        assert all(row["n"] is None and row["share"] is None and row["weighted_share"] is None
                   for row in result["values"])


@SETTINGS
@given(st.lists(st.integers(0, 60), min_size=2, max_size=6), st.permutations(range(6)))
def test_complements_are_chosen_by_priority_not_by_count(cells, order):
    priority = [order[i] for i in range(len(cells))]
    result = suppress_cells(cells, [list(range(len(cells)))], k=K, priority=priority)
    complements = [i for i, cell in enumerate(result) if cell["kind"] == COMPLEMENTARY]
    if any(cell["kind"] == PRIMARY for cell in result) and complements:
        shown_nonzero = [i for i, cell in enumerate(result) if cell["kind"] is None and cells[i] > 0]
        # No shown non-zero cell outranks the complement (zeros only when nothing else is left).
        assert all(priority[i] < priority[complements[0]] for i in shown_nonzero) or cells[complements[0]] == 0


@pytest.mark.parametrize("cells", list(itertools.product([0, 1, 4, 5, 30], repeat=3)))
def test_every_three_cell_table_is_safe(cells):
    sample = {f"c{i}": n for i, n in enumerate(cells)}
    table = representation_table(sample, {"c0": 1, "c1": 2, "c2": 3}, k=K)
    assert audit_table(table, list(cells), K) == []
