"""Tests for analysis.alignment (and its private helper modules)."""

import dataclasses
import doctest
import json
import math

import numpy as np
import pytest
from scipy.stats import friedmanchisquare

from analysis import _alignment_priorities, _alignment_ranks, alignment
from analysis.alignment import (
    AlignmentInputError,
    alignment_report,
    dot_votes_to_ranking,
    kendalls_w,
    priority_summary,
    rank_correlation_matrix,
    ranks_from_scores,
)

# InfluentialPoints, "Kendall coefficient of concordance" (strawberries):
# four raters rank eight farms; S = 500, W = 0.744, chi-square 20.83, df 7,
# P = 0.004. https://influentialpoints.com/Training/coefficient_of_concordance.htm
STRAWBERRIES = [
    [8, 4, 2, 3, 5, 1, 6, 7],
    [7, 3, 1, 4, 5, 2, 6, 8],
    [8, 2, 5, 6, 7, 1, 4, 3],
    [8, 3, 4, 2, 5, 1, 6, 7],
]


def as_mappings(rows):
    return [{f"farm{j + 1}": rank for j, rank in enumerate(row)} for row in rows]


def random_rankings(seed, raters=12, items=6, top=None, ties=False):
    """Random full or top-N rankings as mappings, optionally with ties."""
    rng = np.random.default_rng(seed)
    names = [f"p{j}" for j in range(items)]
    rankings = []
    for _ in range(raters):
        order = rng.permutation(items)
        ranks = {names[j]: position + 1 for position, j in enumerate(order)}
        if ties:  # everyone from third place on ties with the next one
            ranks = {k: (min(r, 3) if r <= 4 else r) for k, r in ranks.items()}
        if top is not None:
            ranks = {k: r for k, r in ranks.items() if r <= top}
        rankings.append(ranks)
    return rankings


# -------------------------------------------------------------- kendalls_w --

def test_kendalls_w_published_example():
    result = kendalls_w(as_mappings(STRAWBERRIES))
    # S = 169 + 36 + 36 + 9 + 16 + 169 + 16 + 49 = 500; W = 12 * 500 / (16 * 504)
    assert (result.s, result.df, result.m, result.n) == (500.0, 7, 4, 8)
    assert result.w == pytest.approx(6000 / 8064)
    assert round(result.w, 3) == 0.744
    assert round(result.chi_square, 2) == 20.83
    assert round(result.p, 3) == 0.004


def test_kendalls_w_with_ties_by_hand():
    rankings = [
        {"a": 1, "b": 2, "c": 3},
        {"a": 1, "b": 2.5, "c": 2.5},
        {"a": 1.5, "b": 1.5, "c": 3},
    ]
    result = kendalls_w(rankings)
    # Rank sums 3.5, 6, 8.5 around 3 * 4 / 2 = 6: S = 6.25 + 0 + 6.25 = 12.5.
    # T = (2**3 - 2) twice = 12; W = 12 * 12.5 / (9 * 24 - 3 * 12) = 150 / 180.
    # chi-square = 3 * 2 * W = 5; p = exp(-5 / 2) for 2 df.
    assert (result.s, result.tie_correction) == (12.5, 12.0)
    assert result.w == pytest.approx(150 / 180)
    assert result.chi_square == pytest.approx(5.0)
    assert result.p == pytest.approx(math.exp(-2.5))


def test_partial_ranking_ties_unranked_items_for_last():
    # Rater 1 ranks only a, b: c and d share (3 + 4) / 2 = 3.5 (T = 6).
    # Rank sums a 3, b 3, c 6.5, d 7.5 around 5: S = 4 + 4 + 2.25 + 6.25 = 16.5.
    # W = 12 * 16.5 / (4 * 60 - 2 * 6) = 198 / 228.
    result = kendalls_w([["a", "b"], ["b", "a", "c", "d"]])
    assert result.w == pytest.approx(198 / 228)


def test_competition_ranks_are_read_as_mean_ranks():
    given = kendalls_w([{"a": 1, "b": 1, "c": 3}, {"a": 1, "b": 2, "c": 3}])
    mean = kendalls_w([{"a": 1.5, "b": 1.5, "c": 3}, {"a": 1, "b": 2, "c": 3}])
    assert given == mean


def test_sequence_and_mapping_rankings_agree():
    sequences = [["x", "y", "z"], ["y", "x", "z"]]
    mappings = [{"x": 1, "y": 2, "z": 3}, {"y": 1, "x": 2, "z": 3}]
    assert kendalls_w(sequences) == kendalls_w(mappings)


@pytest.mark.parametrize(
    ("rankings", "expected"),
    [([["a", "b", "c"]] * 3, 1.0), ([["a", "b", "c"], ["c", "b", "a"]], 0.0)],
    ids=["identical", "reversed"],
)
def test_kendalls_w_bounds(rankings, expected):
    assert kendalls_w(rankings).w == pytest.approx(expected)


@pytest.mark.parametrize(
    "options",
    [{}, {"top": 3}, {"ties": True}, {"top": 2, "ties": True}],
    ids=["full", "top3", "ties", "top2+ties"],
)
def test_chi_square_matches_scipy_friedman(options):
    # Friedman's statistic with its own tie correction equals m (n - 1) W.
    rankings = random_rankings(seed=11, **options)
    result = kendalls_w(rankings)
    _, ranks = _alignment_ranks.rank_matrix(rankings)
    friedman = friedmanchisquare(*ranks.T)
    assert result.chi_square == pytest.approx(friedman.statistic, abs=1e-9)
    assert result.p == pytest.approx(friedman.pvalue, abs=1e-9)


def test_items_argument_adds_unranked_items():
    result = kendalls_w([["a", "b"], ["a", "b"]], items=["a", "b", "c"])
    assert result.n == 3


def test_result_is_frozen_and_serialisable():
    result = kendalls_w([["a", "b"], ["b", "a"]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.w = 1.0
    assert json.loads(json.dumps(result.to_dict()))["m"] == 2


@pytest.mark.parametrize(
    ("rankings", "items", "message"),
    [([["a", "b"]], None, "at least 2 raters"),
     ([["a"], ["a"]], None, "at least 2 items"),
     ([{"a": 0, "b": 1}, ["a", "b"]], None, "ranks must be numbers from 1 to 2"),
     ([{"a": 1, "b": 3}, ["a", "b"]], None, "rank 3"),
     ([{"a": "1", "b": 2}, ["a", "b"]], None, "rank '1'"),
     ([{"a": True, "b": 2}, ["a", "b"]], None, "rank True"),
     ([{"a": float("nan"), "b": 2}, ["a", "b"]], None, "rank nan"),
     ([["a", "b", "a"], ["a", "b"]], None, "lists 'a' more than once"),
     ([["a", "b"], ["a", "b"]], ["a", "b", "a"], "items lists 'a' more than once"),
     ([["a", "z"], ["a", "b"]], ["a", "b"], "ranks 'z', which is not one of the items"),
     ([{}, ["a", "b"]], None, "ranking #1 ranks no items"),
     ([5, ["a", "b"]], None, "ranking #1 is neither"),
     (["ab", ["a", "b"]], None, "ranking #1 is neither"),
     ([{"a": 1, "b": 1}, {"a": 2, "b": 2}], None, "every rater tied all items")],
)
def test_kendalls_w_rejects_bad_input(rankings, items, message):
    with pytest.raises(AlignmentInputError, match=message):
        kendalls_w(rankings, items=items)


def test_alignment_errors_are_value_errors():
    assert issubclass(AlignmentInputError, ValueError)


# ------------------------------------------------- rank_correlation_matrix --

def test_tau_b_between_raters_by_hand():
    # (1,2,3,4) vs (1,3,2,4): 5 concordant, 1 discordant of 6 pairs: 4/6.
    result = rank_correlation_matrix({"ana": ["a", "b", "c", "d"], "ben": ["a", "c", "b", "d"]})
    assert result["matrix"][0][1] == pytest.approx(4 / 6)


def test_tau_b_with_ties_by_hand():
    # Ranks (1, 2, 3.5, 3.5) vs (1, 2, 3, 4): 5 concordant, 0 discordant, one
    # pair tied in the first: (5 - 0) / sqrt((6 - 1) * (6 - 0)).
    result = rank_correlation_matrix([["a", "b"], ["a", "b", "c", "d"]])
    assert result["matrix"][0][1] == pytest.approx(5 / math.sqrt(30))


def test_group_correlation_uses_mean_ranks():
    # Group g: mean ranks a 1.5, b 1.5, c 3 ; group h: c, b, a.
    groups = {"g": [["a", "b", "c"], ["b", "a", "c"]], "h": [["c", "b", "a"]]}
    result = rank_correlation_matrix(groups)
    # (1.5, 1.5, 3) vs (3, 2, 1): pairs (a,b) tied, (a,c) and (b,c) discordant:
    # -2 / sqrt((3 - 1) * 3).
    assert result["labels"] == ["g", "h"]
    assert result["matrix"][0][1] == pytest.approx(-2 / math.sqrt(6))


def test_correlation_matrix_is_symmetric_with_unit_diagonal():
    result = rank_correlation_matrix(random_rankings(seed=3, raters=4))
    matrix = np.array(result["matrix"], dtype=float)
    assert np.allclose(matrix, matrix.T) and np.all(np.diag(matrix) == 1.0)
    assert all(result["p_values"][i][i] is None for i in range(4))


def test_correlation_with_a_constant_ranking_is_none():
    result = rank_correlation_matrix([{"a": 1, "b": 1}, ["a", "b"]])
    assert (result["matrix"][0][1], result["p_values"][0][1]) == (None, None)


@pytest.mark.parametrize(
    ("rankings", "message"),
    [({"only": ["a", "b"]}, "at least 2 raters or groups"),
     ({"g": [], "h": [["a", "b"]]}, "'g' has no rankings")],
)
def test_correlation_rejects_bad_input(rankings, message):
    with pytest.raises(AlignmentInputError, match=message):
        rank_correlation_matrix(rankings)


# ------------------------------------------------ scores and dot votes --

def test_ranks_from_scores_gives_best_score_rank_one_and_mean_ranks_for_ties():
    assert ranks_from_scores({"a": 2.0, "b": 5, "c": 2.0, "d": 0}) == {
        "a": 2.5, "b": 1.0, "c": 2.5, "d": 4.0
    }


@pytest.mark.parametrize("scores", [{}, {"a": float("nan")}, {"a": "high"}, {"a": True}, ["a"]])
def test_ranks_from_scores_rejects_bad_scores(scores):
    with pytest.raises(AlignmentInputError):
        ranks_from_scores(scores)


def test_dot_vote_counts_become_a_ranking():
    assert dot_votes_to_ranking({"housing": 5, "jobs": 2, "youth": 2}) == {
        "housing": 1.0, "jobs": 2.5, "youth": 2.5
    }


def test_dots_without_votes_tie_for_last_when_items_given():
    ranking = dot_votes_to_ranking(["jobs", "jobs", "youth"], items=["housing", "jobs", "youth", "health"])
    assert ranking == {"jobs": 1.0, "youth": 2.0, "housing": 3.5, "health": 3.5}


def test_dot_votes_join_survey_rankings():
    group = dot_votes_to_ranking({"housing": 7, "jobs": 3, "youth": 1})
    result = kendalls_w([group, ["housing", "jobs", "youth"]])
    assert result.w == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("votes", "items", "message"),
    [({"a": -1}, None, "whole number"),
     ({"a": 1.5}, None, "whole number"),
     ({"a": 1}, ["b"], "'a' got votes but is not one of the items"),
     ([], None, "no votes"),
     ("abc", None, "mapping of item to count")],
)
def test_dot_votes_reject_bad_input(votes, items, message):
    with pytest.raises(AlignmentInputError, match=message):
        dot_votes_to_ranking(votes, items=items)


# --------------------------------------------------------- priority_summary --

def test_priority_statistics_by_hand():
    # x is ranked 1, 3, 3, 5 of five: mean 3; SD (ddof=0) sqrt((4 + 0 + 0 + 4) / 4)
    # = sqrt(2); quartiles 2.5 and 3.5 -> IQR 1; 3 of 4 at rank 3 or better;
    # dispersion sqrt(2) / sqrt((25 - 1) / 12) = 1.
    rankings = [["x", "a", "b", "c", "d"], ["a", "b", "x", "c", "d"],
                ["a", "b", "x", "c", "d"], ["a", "b", "c", "d", "x"]]
    row = next(r for r in priority_summary({"all": rankings}) if r["key"] == "x")
    assert (row["mean_rank"], row["iqr"], row["share_top3"]) == (3.0, 1.0, 0.75)
    assert (row["sd"], row["dispersion"]) == (pytest.approx(math.sqrt(2)), pytest.approx(1.0))


def label_of(key, groups, items=None):
    return next(r["label"] for r in priority_summary(groups, items=items) if r["key"] == key)


def test_unanimous_first_place_is_consensus():
    assert label_of("a", {"all": [["a", "b", "c", "d"], ["a", "c", "b", "d"]] * 3}) == "consensus"


def test_first_or_last_split_is_divisive():
    # Half rank a first, half last of 4: SD 1.5, dispersion 1.5 / sqrt(15/12) = 1.34.
    rankings = [["a", "b", "c", "d"], ["b", "c", "d", "a"]] * 3
    assert label_of("a", {"all": rankings}) == "divisive"


def test_groups_on_opposite_sides_are_divisive():
    # Residents all rank x 2nd, partners 4th of 5 (middle rank 3): gap 2 >= 4/3,
    # though overall dispersion is only 1 / sqrt(2) = 0.71.
    residents = [["a", "x", "b", "c", "d"]] * 3
    partners = [["a", "b", "c", "x", "d"]] * 3
    assert label_of("x", {"residents": residents, "partners": partners}) == "divisive"


def test_a_wide_gap_on_one_side_of_the_middle_is_divisive():
    # Partners rank x 1st, residents 3rd of 6: both above the middle rank 3.5, yet 2 apart,
    # at least a third of the rank range (5 / 3); before, this was "mixed".
    residents = [["a", "b", "x", "c", "d", "e"]] * 3
    partners = [["x", "a", "b", "c", "d", "e"]] * 3
    assert label_of("x", {"residents": residents, "partners": partners}) == "divisive"


def test_labels_are_monotone_in_the_gap_between_groups():
    # Residents rank x at every place 1..6 in turn against partners who always rank it 1st:
    # as the gap grows the label never steps back from divisive to mixed or consensus.
    order = {"consensus": 0, "mixed": 1, "divisive": 2}
    others = ["a", "b", "c", "d", "e"]
    partners = [["x", *others]] * 4
    labels = []
    for place in range(6):
        residents = [others[:place] + ["x"] + others[place:]] * 4
        labels.append(label_of("x", {"residents": residents, "partners": partners}))
    assert labels[0] == "consensus" and labels[-1] == "divisive"
    assert all(order[a] <= order[b] for a, b in zip(labels, labels[1:])), labels


def test_uniform_spread_is_mixed():
    # x takes each rank 1..4 once: dispersion exactly 1 (random-ranking level).
    rankings = [["x", "a", "b", "c"], ["a", "x", "b", "c"], ["a", "b", "x", "c"], ["a", "b", "c", "x"]]
    assert label_of("x", {"all": rankings}) == "mixed"


def test_consensus_needs_every_group_on_the_same_side():
    # x is 2nd for one group and 3rd (the middle of 5) for the other: tight
    # within groups, gap 1 < 4/3, but not agreed by both groups.
    first = [["a", "x", "b", "c", "d"]] * 3
    second = [["a", "b", "x", "c", "d"]] * 3
    assert label_of("x", {"g": first, "h": second}) == "mixed"


def test_consensus_needs_every_group_to_agree_internally():
    # Group g ranks a first unanimously; group h is spread over 1..3 (mean 2,
    # still top half) with dispersion sqrt(2/3) / sqrt(2) = 0.58 > 0.5.
    g = [["a", "b", "c", "d", "e"]] * 6
    h = [["a", "b", "c", "d", "e"], ["b", "a", "c", "d", "e"], ["b", "c", "a", "d", "e"]]
    assert label_of("a", {"g": g, "h": h}) == "mixed"
    assert label_of("a", {"g": g}) == "consensus"


def test_priorities_run_from_most_to_least_important():
    rows = priority_summary({"all": [["c", "a", "b"], ["c", "b", "a"]]})
    assert [row["key"] for row in rows] == ["c", "a", "b"]


# --------------------------------------------------------- alignment_report --

REPORT_GROUPS = {
    "residents": [["housing", "jobs", "transport"], ["housing", "transport", "jobs"],
                  ["jobs", "housing", "transport"]],
    "partners": [["jobs", "transport", "housing"], ["transport", "jobs", "housing"]],
}


def test_report_is_plain_json():
    report = alignment_report(REPORT_GROUPS)
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_report_has_the_design_contract_keys():
    report = alignment_report(REPORT_GROUPS)
    assert {"kendalls_w", "priorities", "groups"} <= set(report)
    assert {"w", "chi_square", "df", "p"} <= set(report["kendalls_w"])
    assert {"key", "mean_rank", "sd", "label", "by_group"} <= set(report["priorities"][0])
    assert {"n", "kendalls_w", "priorities"} <= set(report["groups"]["residents"])


def test_report_w_is_over_all_raters():
    report = alignment_report(REPORT_GROUPS)
    everyone = REPORT_GROUPS["residents"] + REPORT_GROUPS["partners"]
    assert report["kendalls_w"] == kendalls_w(everyone).to_dict()


def test_report_group_means_and_largest_difference_by_hand():
    report = alignment_report(REPORT_GROUPS)
    # housing: residents (1 + 1 + 2) / 3 = 4/3, partners (3 + 3) / 2 = 3; the
    # other gaps are jobs 2 - 1.5 and transport 8/3 - 1.5 = 7/6.
    housing = next(row for row in report["priorities"] if row["key"] == "housing")
    assert housing["by_group"] == {"residents": pytest.approx(4 / 3), "partners": 3.0}
    assert report["largest_differences"][0] == {
        "key": "housing", "groups": ["residents", "partners"], "difference": pytest.approx(5 / 3)
    }


def test_report_group_correlation_labels_are_group_names():
    report = alignment_report(REPORT_GROUPS)
    assert report["group_correlation"]["labels"] == ["residents", "partners"]


def test_single_group_has_no_correlation_or_differences():
    report = alignment_report({"everyone": REPORT_GROUPS["residents"]})
    assert (report["group_correlation"], report["largest_differences"]) == (None, [])


def test_group_with_one_rater_has_no_w():
    report = alignment_report({"a": [["x", "y"], ["y", "x"]], "b": [["x", "y"]]})
    assert report["groups"]["b"]["kendalls_w"] is None


def test_report_includes_unranked_items_and_display_names():
    report = alignment_report(REPORT_GROUPS, items=["housing", "jobs", "transport", "youth"],
                              labels={"youth": "Things for young people"})
    last = report["priorities"][-1]
    assert (last["key"], last["name"], last["mean_rank"]) == ("youth", "Things for young people", 4.0)


@pytest.mark.parametrize(
    ("groups", "message"),
    [({}, "at least one group"),
     ({"a": []}, "group 'a' has no rankings"),
     ({"a": [["x", "y"]]}, "at least 2 raters")],
)
def test_report_rejects_bad_input(groups, message):
    with pytest.raises(AlignmentInputError, match=message):
        alignment_report(groups)


# ----------------------------------------------------------------- doctests --

@pytest.mark.parametrize("module", [alignment, _alignment_ranks, _alignment_priorities])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
