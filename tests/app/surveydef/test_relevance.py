"""Skip-logic expressions: parsed, never eval'ed; missing answers never make a question relevant."""
import pytest

from app.surveydef.relevance import ExpressionError, parse_expression


#: (condition, answers, whether it holds): the browser's evaluator is held to these too.
EVALUATE_CASES = [
    ("'transport' in priorities", {"priorities": ["housing", "transport"]}, True),
    ("'transport' in priorities", {"priorities": ["housing"]}, False),
    ("'transport' in priorities", {}, False),
    ("'transport' not in priorities", {}, False),
    ("'transport' not in priorities", {"priorities": ["jobs"]}, True),
    ("age == '65_plus' or kids", {"age": "18_24", "kids": True}, True),
    ("n >= 3 and not (t in ['own', 'prefer_not'])", {"n": 3, "t": "rent"}, True),
    ("n >= 3 and not (t in ['own', 'prefer_not'])", {"n": 3, "t": "own"}, False),
    ("n > 2", {}, False),
    ("n != 2", {}, True),
    ("n < 2", {"n": "abc"}, False),
    ("1 < n <= 5", {"n": 5}, True),
    ("answered == true", {"answered": True}, True),
    ("x == null", {}, True),
    ("not picks", {"picks": []}, True),
    ("not picks", {"picks": ["a"]}, False),
    ("n <= 2", {"n": 1.5}, True),
    ("n == 2", {"n": 2.0}, True),
    ("'a' in s", {"s": "cat"}, True),
    ("ok and 'x' in picks", {"ok": False, "picks": ["x"]}, False),
]


@pytest.mark.parametrize("source, answers, expected", EVALUATE_CASES)
def test_evaluate(source, answers, expected):
    assert parse_expression(source).evaluate(answers) is expected


@pytest.mark.parametrize("source", [
    "__import__('os')", "a.b", "a[0]", "a + 1", "lambda: 1", "(x := 1)", "f'{a}'", "[a for a in b]", "a(",
])
def test_anything_but_conditions_is_rejected(source):
    with pytest.raises(ExpressionError):
        parse_expression(source)


def test_names_must_be_known():
    with pytest.raises(ExpressionError, match="names later"):
        parse_expression("later == 1", {"earlier"})
    assert parse_expression("earlier == 1", {"earlier"}).names == {"earlier"}


@pytest.mark.parametrize("source, tree", [
    ("safety_rating <= 2", {"cmp": ["<="], "args": [{"var": "safety_rating"}, {"lit": 2}]}),
    ("'transport' in priorities", {"cmp": ["in"], "args": [{"lit": "transport"}, {"var": "priorities"}]}),
    ("a == 1 or not (b in ['x', 'y'])", {"or": [
        {"cmp": ["=="], "args": [{"var": "a"}, {"lit": 1}]},
        {"not": {"cmp": ["in"], "args": [{"var": "b"}, {"lit": ["x", "y"]}]}}]}),
    ("1 < n <= 5 and x == null and ok", {"and": [
        {"cmp": ["<", "<="], "args": [{"lit": 1}, {"var": "n"}, {"lit": 5}]},
        {"cmp": ["=="], "args": [{"var": "x"}, {"lit": None}]}, {"var": "ok"}]}),
    ("t not in ['own'] and v != true", {"and": [
        {"cmp": ["not in"], "args": [{"var": "t"}, {"lit": ["own"]}]},
        {"cmp": ["!="], "args": [{"var": "v"}, {"lit": True}]}]}),
])
def test_a_condition_ships_to_the_browser_as_a_json_tree(source, tree):
    assert parse_expression(source).to_json() == tree
