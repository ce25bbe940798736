"""Tests for analysis.agreement: percent agreement, Cohen's kappa, Krippendorff's alpha."""

import doctest
import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

import analysis.agreement as agreement
from analysis.agreement import (
    AgreementError,
    InsufficientDataError,
    LengthMismatchError,
    cohens_kappa,
    kappa_by_theme,
    krippendorff_alpha,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# nominal data, 4 observers x 12 units, missing values; published alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _as_nan(data):
    return [[np.nan if v is None else v for v in row] for row in data]


# --- percent agreement and Cohen's kappa --------------------------------------

def test_percent_agreement_hand_worked():
    # 10 units, equal labels on units 1-4, 6-8, 10 -> 8/10
    a = ["y", "y", "y", "y", "n", "n", "n", "n", "y", "y"]
    b = ["y", "y", "y", "y", "y", "n", "n", "n", "n", "y"]
    assert percent_agreement(a, b) == pytest.approx(0.8)


def test_cohens_kappa_hand_worked():
    # Same 10 units. p_o = 8/10 = 0.8.
    # Coder A: y 6, n 4 -> p_a = (0.6, 0.4); coder B: y 6, n 4 -> p_b = (0.6, 0.4)
    # p_e = 0.6*0.6 + 0.4*0.4 = 0.36 + 0.16 = 0.52
    # kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 0.58333...
    a = ["y", "y", "y", "y", "n", "n", "n", "n", "y", "y"]
    b = ["y", "y", "y", "y", "y", "n", "n", "n", "n", "y"]
    assert cohens_kappa(a, b) == pytest.approx(0.28 / 0.48)


def test_cohens_kappa_uses_each_coders_own_marginals():
    # A: y 8, n 2; B: y 4, n 6; agree on units 1-4 (y) and 9-10 (n): p_o = 0.6
    # Cohen: p_e = 0.8*0.4 + 0.2*0.6 = 0.32 + 0.12 = 0.44 -> (0.6-0.44)/0.56 = 0.285714
    # (Scott's pi would pool marginals: y 0.6, n 0.4 -> p_e 0.52 -> 0.1667; not this.)
    a = ["y"] * 8 + ["n"] * 2
    b = ["y"] * 4 + ["n"] * 6
    assert cohens_kappa(a, b) == pytest.approx(0.16 / 0.56)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("n_labels", [2, 3, 5])
def test_cohens_kappa_matches_sklearn_on_random_labels(seed, n_labels):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n_labels, size=200)
    # B copies A 60% of the time so kappa is clearly non-zero.
    b = np.where(rng.random(200) < 0.6, a, rng.integers(0, n_labels, size=200))
    assert cohens_kappa(a.tolist(), b.tolist()) == pytest.approx(cohen_kappa_score(a, b))


def test_cohens_kappa_total_disagreement_is_minus_one():
    # p_o = 0, p_e = 0.5*0.5 + 0.5*0.5 = 0.5 -> (0 - 0.5) / 0.5 = -1
    assert cohens_kappa(["x", "y"], ["y", "x"]) == -1.0


def test_cohens_kappa_undefined_when_both_coders_use_one_label():
    # p_e = 1*1 = 1 -> 0/0: documented as None, not 1.0
    assert cohens_kappa(["x"] * 5, ["x"] * 5) is None


def test_percent_agreement_is_one_where_kappa_is_undefined():
    assert percent_agreement(["x"] * 5, ["x"] * 5) == 1.0


@pytest.mark.parametrize("function", [cohens_kappa, percent_agreement])
@pytest.mark.parametrize(
    ("a", "b", "error"),
    [
        (["x", "y"], ["x"], LengthMismatchError),
        ([], [], InsufficientDataError),
        (["x", None], ["x", "y"], AgreementError),
        (["x", float("nan")], ["x", "y"], AgreementError),
    ],
)
def test_bad_pairs_raise_clear_errors(function, a, b, error):
    with pytest.raises(error):
        function(a, b)


def test_errors_are_value_errors():
    assert issubclass(LengthMismatchError, ValueError)
    assert issubclass(InsufficientDataError, ValueError)


def test_length_mismatch_message_names_both_lengths():
    with pytest.raises(LengthMismatchError, match="3 labels.*2"):
        cohens_kappa([1, 2, 3], [1, 2])


def test_kappa_by_theme_hand_worked():
    # rent: A = [1,1,0,0], B = [1,0,0,0]: p_o = 3/4; p_a(1)=.5, p_b(1)=.25
    #   p_e = .5*.25 + .5*.75 = .125 + .375 = .5 -> (.75 - .5)/.5 = 0.5
    # bus: A = [0,1,0,1], B = [0,1,0,1]: perfect -> 1.0
    # parks: used by nobody -> p_e = 1 -> None
    a = [{"rent"}, {"rent", "bus"}, set(), {"bus"}]
    b = [{"rent"}, {"bus"}, set(), {"bus"}]
    assert kappa_by_theme(a, b, ["rent", "bus", "parks"]) == {
        "rent": 0.5, "bus": 1.0, "parks": None,
    }


def test_kappa_by_theme_accepts_lists_and_checks_lengths():
    with pytest.raises(LengthMismatchError):
        kappa_by_theme([["rent"]], [["rent"], []], ["rent"])


def test_kappa_by_theme_does_not_mutate_inputs():
    a, b = [{"rent"}, set()], [{"rent"}, {"bus"}]
    kappa_by_theme(a, b, ["rent", "bus"])
    assert a == [{"rent"}, set()] and b == [{"rent"}, {"bus"}]


# --- Krippendorff's alpha -------------------------------------------------------

def test_krippendorff_published_example():
    # Published value 0.743 (Krippendorff 2011); the krippendorff package agrees.
    published = 0.743
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(published, abs=5e-4)
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(
        krippendorff.alpha(reliability_data=_as_nan(KRIPPENDORFF_2011),
                           level_of_measurement="nominal"))


def test_krippendorff_hand_worked():
    # units: (a,a) (a,b) (b,b) (-,b); the last has one value and is not pairable.
    # o_aa = 2, o_bb = 2, o_ab = o_ba = 1; n_a = 3, n_b = 3, n = 6
    # alpha = [(n-1) sum o_cc - sum n_c(n_c-1)] / [n(n-1) - sum n_c(n_c-1)]
    #       = [5*4 - (6+6)] / [30 - 12] = 8/18 = 0.4444
    data = [["a", "a", "b", None], ["a", "b", "b", "b"]]
    assert krippendorff_alpha(data) == pytest.approx(8 / 18)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("coders", "units"), [(2, 50), (3, 40), (5, 30)])
def test_krippendorff_matches_package_on_random_data_with_missing_values(seed, coders, units):
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, size=units)
    data = np.where(rng.random((coders, units)) < 0.7, truth,
                    rng.integers(1, 5, size=(coders, units))).astype(float)
    data[rng.random((coders, units)) < 0.15] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    as_lists = [[None if math.isnan(v) else int(v) for v in row] for row in data]
    assert krippendorff_alpha(as_lists) == pytest.approx(expected)
    assert krippendorff_alpha(data) == pytest.approx(expected)


def test_krippendorff_string_labels():
    # Same structure as the hand-worked example with numbers for letters.
    assert krippendorff_alpha([["x", "x", "y"], ["x", "y", "y"]]) == pytest.approx(
        krippendorff.alpha(reliability_data=[[1, 1, 2], [1, 2, 2]],
                           level_of_measurement="nominal"))


def test_krippendorff_perfect_agreement_is_one():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]]) == 1.0


def test_krippendorff_single_value_is_undefined():
    # Every pairable value is the same: expected disagreement 0 -> None
    # (the krippendorff package raises instead).
    assert krippendorff_alpha([[1, 1, None], [1, 1, 1]]) is None


def test_krippendorff_no_pairable_unit_raises():
    with pytest.raises(InsufficientDataError, match="two or more coders"):
        krippendorff_alpha([[1, None], [None, 2]])


@pytest.mark.parametrize(
    "data",
    [[[1, 2], [1]], [], "abc", [["a", "b"], "ab"], 5],
)
def test_krippendorff_bad_shapes_raise(data):
    with pytest.raises(AgreementError):
        krippendorff_alpha(data)


def test_krippendorff_only_nominal():
    with pytest.raises(AgreementError, match="nominal"):
        krippendorff_alpha([[1, 2], [1, 2]], level_of_measurement="interval")


def test_krippendorff_does_not_mutate_input():
    data = [row[:] for row in KRIPPENDORFF_2011]
    krippendorff_alpha(data)
    assert data == KRIPPENDORFF_2011


def test_doctests():
    assert doctest.testmod(agreement).failed == 0
