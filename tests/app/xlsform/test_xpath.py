"""XLSForm's XPath subset → our skip logic, and constraints → our bounds (app/xlsform/xpath.py)."""
import sys
from pathlib import Path

import pytest

from app.surveydef.relevance import parse_expression
from app.xlsform.xpath import Bounds, Question, XPathError, constraint_bounds, translate_relevant

QUESTIONS = {
    "older": Question("older", "single_choice", {"yes": "yes", "no": "no"}),
    "sex": Question("sex", "single_choice", {"female": "female", "male": "male"}),
    "age": Question("age", "number", {}),
    "pri": Question("pri", "multiple_choice", {"a-b": "a_b", "c": "c"}),
    "ok": Question("ok", "yes_no", {}),
    "top": Question("top", "ranking", {"x": "x", "y": "y", "z": "z"}, places=2),
}


@pytest.mark.parametrize("xpath, ours", [
    ("${older}='no'", "older == 'no'"),
    ("${sex} = 'female' and ${age}>=15 and ${age}<=49", "sex == 'female' and age >= 15 and age <= 49"),
    ("${age} != ''", "age != null"),
    ("${age} = ''", "age == null"),
    ("3 < ${age}", "age > 3"),
    ("${age} > 2.5", "age > 2.5"),
    ("not(selected(${pri}, 'a-b'))", "not ('a_b' in pri)"),
    ("selected(${older}, 'yes') or (${age} < 3 and ${ok} = 'yes')", "older == 'yes' or (age < 3 and ok == true)"),
    ("count-selected(${pri}) > 0", "not (pri == null or pri == [])"),
    ("count-selected(${pri}) = 0", "pri == null or pri == []"),
    ("${ok}", "ok"),
    ("not(${ok})", "not ok"),
    ("${ok} != 'no'", "ok != false"),
    ("selected(../older, 'no')", "older == 'no'"),
    ("(${age} > 1 or ${age} < 0)", "age > 1 or age < 0"),
    ("true()", "true"),
    ("((count-selected(${top}) > 0 and selected-at(${top}, 0) = 'y') or "
     "(count-selected(${top}) > 1 and selected-at(${top}, 1) = 'y'))", "'y' in top"),
])
def test_translates_the_subset(xpath, ours):
    assert translate_relevant(xpath, QUESTIONS) == ours
    parse_expression(ours, {q.key for q in QUESTIONS.values()})  # and our own parser takes it


@pytest.mark.parametrize("xpath, why", [
    ("regex(${age}, 'x')", "the function regex() has no equivalent in our skip logic"),
    ("${age} + 1 > 2", "'+' is not part of the XPath we translate"),
    ("${nope} = 'x'", "${nope} is not an earlier question that was carried over"),
    ("count-selected(${pri}) >= 2", "count-selected() >= 2: our skip logic can only tell picked from not picked"),
    ("${pri} = 'c'", "${pri} = … compares a whole list of picks; use selected()"),
    ("${older} = 'maybe'", "'maybe' is not a choice of ${older}"),
    ("${age} > 'ten'", "'ten' is not a number in '${age} > 'ten''"),
    ("selected-at(${top}, 0) = 'x'", "the function selected-at() has no equivalent in our skip logic"),
    ("", "the expression is empty"),
])
def test_refuses_what_it_cannot_say(xpath, why):
    with pytest.raises(XPathError) as caught:
        translate_relevant(xpath, QUESTIONS)
    assert str(caught.value) == why


@pytest.mark.parametrize("constraint, whole, bounds, rest", [
    (". <= 72", True, Bounds(max=72), []),
    (". >= 5 and . <= 100", True, Bounds(min=5, max=100), []),
    ("(. > 0) and (. < 10)", True, Bounds(min=1, max=9), []),
    (". > 1.5", True, Bounds(min=2), []),
    (". > 1.5", False, Bounds(), [". > 1.5"]),
    (". >= 0.5", False, Bounds(min=0.5), []),
    ("count-selected(.) >= 1 and count-selected(.) <= 3", True, Bounds(min_picks=1, max_picks=3), []),
    ("string-length(.) <= 20", True, Bounds(max_length=20), []),
    ("regex(., '^[0-9]+$') and . <= 9", True, Bounds(max=9), ["regex(., '^[0-9]+$')"]),
    ("selected(., 'a') and . >= 2", True, Bounds(min=2), ["selected(., 'a')"]),
])
def test_constraint_bounds(constraint, whole, bounds, rest):
    assert constraint_bounds(constraint, whole) == (bounds, rest)


def test_bench_runs_at_a_tiny_size(capsys):
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    import xlsform as bench
    assert bench.main(["--questions", "12", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("XLSForm import: 12 questions, 5 languages, 2 pages, ")
    assert "pyxform alone (baseline)" in printed and "import and write" in printed
