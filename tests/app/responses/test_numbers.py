"""Numbers read the resident's way: a clear decimal mark in either style, grouping only as the
locale writes it, anything that could mean two things asked again, and no costly input."""
import time

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from app.questions.written_numbers import format_number, parse_number
from app.surveydef.answers import AnswerError


@pytest.fixture(autouse=True)
def request_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.mark.parametrize("text, locale, expected", [
    ("2.5", "es", 2.5),            # stored as 25 before: a decimal point is unambiguous here
    ("2,5", "es", 2.5),
    ("2,5", "en", 2.5),            # a decimal comma in English is just as clear
    ("1234,56", "es", 1234.56),
    ("1.234,5", "es", 1234.5),     # the locale's own grouping and decimal mark
    ("1,234.5", "en", 1234.5),
    ("1,000,000", "en", 1000000),
    ("1.000.000", "es", 1000000),
    ("1 234,5", "fr", 1234.5),
    ("1\u202f234,5", "fr", 1234.5),
    ("12 500", "en", 12500),
    ("0,500", "es", 0.5),          # a leading 0 is never a thousands group
    ("1234.567", "es", 1234.567),  # four digits before: not a group either
    ("-3", "en", -3),
    ("\u22123,5", "fr", -3.5),
    ("+7", "en", 7),
    (".5", "en", 0.5),
    ("٣٫٥", "ar", 3.5),            # Arabic-Indic digits with the Arabic decimal separator
    ("١٢", "ar", 12),
    ("0", "so", 0),
    ("  42 ", "so", 42),
])
def test_clear_numbers_are_read_as_meant(text, locale, expected):
    value = parse_number(text, locale)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text, locale", [
    ("1.000", "es"),       # a thousand in Spanish, one in English: stored as 1000 before
    ("1,000", "es"),
    ("1,000", "en"),
    ("12.500", "vi"),
    ("1,234.5", "es"),     # English grouping in a Spanish form reads differently
    ("1.234,5", "en"),
    ("1,000,000", "es"),
    ("1.000.000", "fr"),
    ("1.000,5", "fr"),     # French groups with spaces, not points
    ("1..2", "en"),
])
def test_numbers_that_read_two_ways_are_asked_again(text, locale):
    with force_locale(locale), pytest.raises(AnswerError) as caught:
        parse_number(text, locale)
    assert "without thousands separators" in str(caught.value.message)
    assert format_number(1500, locale) in str(caught.value.message)


def test_the_message_gives_examples_in_the_locales_format():
    with pytest.raises(AnswerError) as caught:
        parse_number("1.000", "es")
    assert str(caught.value.message).endswith("for example 1500 or 2,5.")


@pytest.mark.parametrize("text", ["abc", "1e5", "1e1000000", "NaN", "Infinity", "inf", "0x10", "1/2", "--1"])
def test_what_is_not_a_number_is_left_as_text_for_the_validator(text):
    assert parse_number(text, "en") == text


@pytest.mark.parametrize("text", ["9" * 41, "1" * 16, "1" * 16 + ".5", "-" + "9" * 17])
def test_too_long_or_too_large_is_refused(text):
    with pytest.raises(AnswerError) as caught:
        parse_number(text, "en")
    assert "too large" in str(caught.value.message)


def test_hostile_input_costs_nothing():
    started = time.perf_counter()
    for text in ("1e1000000" + " " * 126, "9" * 4000, "1" + ",000" * 2000, "٩" * 5000):
        try:
            parse_number(text, "en")
        except AnswerError:
            pass
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize("value, locale, shown", [
    (2.5, "es", "2,5"), (2.5, "en", "2.5"), (1234.5, "fr", "1234,5"), (1000000, "es", "1000000"),
    (3, "ar", "3"), (0.1, "vi", "0,1"),
])
def test_stored_numbers_are_shown_in_the_locale_and_read_back_the_same(value, locale, shown):
    assert format_number(value, locale) == shown
    assert parse_number(shown, locale) == value
