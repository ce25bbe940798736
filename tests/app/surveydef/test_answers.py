"""Every question type's validation, good and bad values, and skip logic dropping answers."""
import pytest
from flask import Flask
from flask_babel import Babel

from app.surveydef import parse_survey_text
from app.surveydef.answers import check_answers

SURVEY = parse_survey_text("""\
slug: types
title: Types
language: en
consent: {version: 1, text: OK}
pages:
  - title: All
    questions:
      - {key: one, type: single_choice, label: One, choices: {a: A, b: B}}
      - {key: many, type: multiple_choice, label: Many, max_picks: 3,
         choices: {a: A, b: B, c: C, d: D, none: {label: None of these, exclusive: true}}}
      - {key: many2, type: multiple_choice, label: Many2, min_picks: 2, choices: {a: A, b: B, c: C}}
      - {key: agree, type: likert, label: Agree}
      - {key: stars, type: rating, label: Stars}
      - {key: order, type: ranking, label: Order, rank: 2, choices: {a: A, b: B, c: C}}
      - {key: short, type: short_text, label: Short, max_length: 5}
      - {key: long, type: long_text, label: Long}
      - {key: count, type: number, label: Count, integer: true, min: 1, max: 10}
      - {key: amount, type: number, label: Amount, min: 0.5}
      - {key: when, type: date, label: When}
      - {key: ok, type: yes_no, label: OK}
      - {key: orgs, type: stakeholders, label: Orgs, max_picks: 2}
      - {key: why, type: short_text, label: Why, relevant: "ok == false", constraint_message: Keep it short.}
      - {key: must, type: short_text, label: Must, required: true}
""", "types.yaml")
ORGS = {"rfb", "library", "clinic"}


@pytest.fixture(autouse=True)
def english_context():
    """Messages format numbers for a locale, as they do in a request; here English."""
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def check(key, value):
    clean, errors = check_answers(SURVEY, {"must": "x", key: value}, stakeholder_ids=ORGS)
    return clean.get(key), str(errors[key]) if key in errors else None


@pytest.mark.parametrize("key, value, expected", [
    ("one", "a", "a"),
    ("many", ["a", "c"], ["a", "c"]),
    ("many", ["none"], ["none"]),
    ("amount", 10**15, 1e15),
    ("agree", "strongly_agree", "strongly_agree"),
    ("stars", 5, 5),
    ("stars", 3.0, 3),
    ("order", ["c", "a"], ["c", "a"]),
    ("order", ["b"], ["b"]),
    ("short", "  hi  ", "hi"),
    ("long", "x" * 2000, "x" * 2000),
    ("count", 10, 10),
    ("count", 3.0, 3),
    ("amount", 0.5, 0.5),
    ("when", "2026-02-28", "2026-02-28"),
    ("ok", False, False),
    ("orgs", ["rfb", "clinic"], ["rfb", "clinic"]),
])
def test_good_values_are_kept_typed(key, value, expected):
    clean, error = check(key, value)
    assert error is None and clean == expected and type(clean) is type(expected)


@pytest.mark.parametrize("key, value, message", [
    ("one", "z", "Choose one of the options given."),
    ("one", ["a"], "Choose one of the options given."),
    ("many2", ["a"], "Choose at least 2 options."),
    ("many", ["a", "b", "c", "d"], "Choose at most 3 options."),
    ("many", ["a", "a"], "Each option can be chosen only once."),
    ("many", ["a", "zz"], "Choose from the options given."),
    ("many", "a", "Choose from the options given."),
    ("agree", "meh", "Choose one of the options given."),
    ("stars", 6, "Choose a rating from 1 to 5."),
    ("stars", 2.5, "Choose a rating from 1 to 5."),
    ("stars", True, "Choose a rating from 1 to 5."),
    ("order", ["a", "a"], "Each option can be chosen only once."),
    ("order", ["a", "b", "c"], "Rank at most 2 options."),
    ("order", ["a", "x"], "Choose from the options given."),
    ("short", "toolong", "Keep this to 5 characters or fewer (you wrote 7)."),
    ("long", "x" * 2001, "Keep this to 2,000 characters or fewer (you wrote 2,001)."),
    ("short", 12, "Enter text."),
    ("count", 0, "Enter a number of at least 1."),
    ("count", 11, "Enter a number no greater than 10."),
    ("count", 2.5, "Enter a whole number."),
    ("count", "3", "Enter a number."),
    ("count", float("nan"), "Enter an ordinary number: not infinity and not NaN."),
    ("amount", float("nan"), "Enter an ordinary number: not infinity and not NaN."),
    ("amount", float("inf"), "Enter an ordinary number: not infinity and not NaN."),
    ("amount", float("-inf"), "Enter an ordinary number: not infinity and not NaN."),
    ("amount", 10**4000, "This number is too large: enter at most 15 digits."),
    ("amount", 1e16, "This number is too large: enter at most 15 digits."),
    ("many", ["a", "none"], "“None of these” cannot be chosen together with other answers. "
                            "Untick it, or untick the others."),
    ("amount", 0.1, "Enter a number of at least 0.5."),
    ("when", "2026-02-30", "Enter a date as year-month-day, for example 2026-03-31."),
    ("when", "31/03/2026", "Enter a date as year-month-day, for example 2026-03-31."),
    ("ok", "yes", "Answer yes or no."),
    ("orgs", ["nobody"], "Choose from the options given."),
    ("orgs", ["rfb", "library", "clinic"], "Choose at most 2 options."),
])
def test_bad_values_get_a_message(key, value, message):
    clean, error = check(key, value)
    assert clean is None and error == message


def test_constraint_message_replaces_the_built_in_one():
    clean, errors = check_answers(SURVEY, {"must": "x", "ok": False, "why": "y" * 201})
    assert str(errors["why"]) == "Keep it short."


def test_required_and_empty_values():
    clean, errors = check_answers(SURVEY, {"must": "   ", "one": "", "many": []})
    assert {k: str(v) for k, v in errors.items()} == {"must": "This question needs an answer."}
    assert clean == {}


def test_unknown_keys_are_errors():
    _clean, errors = check_answers(SURVEY, {"must": "x", "nope": 1})
    assert str(errors["nope"]) == "This is not a question in this survey."


def test_answers_to_irrelevant_questions_are_dropped():
    clean, errors = check_answers(SURVEY, {"must": "x", "ok": True, "why": "because"})
    assert errors == {} and "why" not in clean and clean["ok"] is True
    clean, _ = check_answers(SURVEY, {"must": "x", "ok": False, "why": "because"})
    assert clean["why"] == "because"


def test_only_checks_one_page_in_context():
    clean, errors = check_answers(SURVEY, {"ok": False, "why": "w", "stars": 9}, only=["why"])
    assert errors == {} and clean["why"] == "w"
