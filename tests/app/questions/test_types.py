"""Each question type (app/questions): its parse defaults and errors, its checks with their exact
messages, its Answer columns there and back through the real database, and its JSON Schema
fragment against what its check accepts."""
import importlib
import pkgutil
import textwrap
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import app.questions as questions_package
from app.core.extensions import db
from app.models import Answer
from app.questions import QUESTION_TYPES, QuestionType, question_type, type_names
from app.questions.base import MAX_NUMBER, AnswerError
from app.surveydef import SurveyFileError, parse_survey_text
from app.surveys.loader import store_survey
from app.surveydef.model import QUESTION_TYPES as MODEL_TYPES
from app.responses.submission import answers_from_rows, store_response
from tests.schema_strategies import from_schema

HEADER = """\
slug: every-type
title: Every type
language: en
consent: {version: 1, text: OK}
"""
EVERY_TYPE = HEADER + textwrap.dedent("""\
    pages:
      - title: One
        questions:
          - {key: area, type: single_choice, label: Area, dimension: area, choices: {north: North, south: South}}
          - {key: needs, type: multiple_choice, label: Needs, choices: {food: Food, heat: Heat, none: {label: None, exclusive: true}}}
          - {key: mood, type: likert, label: Mood}
          - {key: safety, type: rating, label: Safety}
          - {key: order, type: ranking, label: Order, rank: 2, choices: {a: A, b: B, c: C}}
          - {key: word, type: short_text, label: Word}
          - {key: story, type: long_text, label: Story}
          - {key: count, type: number, label: Count, integer: true, min: 0, max: 100}
          - {key: share, type: number, label: Share}
          - {key: moved, type: date, label: Moved}
          - {key: stay, type: yes_no, label: Stay}
          - {key: partners, type: stakeholders, label: Partners, max_picks: 2, relationship: funding}
    """)
STAKEHOLDERS = ("org_a", "org_b", "org_c")
#: A good answer of each question of EVERY_TYPE, as the API takes it and gives it back.
GOOD = {"area": "north", "needs": ["food", "heat"], "mood": "agree", "safety": 4, "order": ["c", "a"],
        "word": "Bus", "story": "Line one\nline two", "count": 7, "share": 2.5, "moved": "2024-02-29",
        "stay": False, "partners": ["org_b", "org_a"]}


def survey():
    return parse_survey_text(EVERY_TYPE, "surveys/every-type.yaml")


def errors_of(body: str) -> list[str]:
    with pytest.raises(SurveyFileError) as info:
        parse_survey_text(HEADER + textwrap.dedent(body), "surveys/t.yaml")
    return str(info.value).splitlines()


def question(key):
    return survey().question(key)


# --- The registry -------------------------------------------------------------------------------

def test_every_type_name_has_a_class_and_every_class_a_name():
    assert QUESTION_TYPES == MODEL_TYPES == type_names()
    for name in QUESTION_TYPES:
        kind = question_type(name)
        assert isinstance(kind, QuestionType) and kind.name == name
    registered = {type(question_type(name)) for name in QUESTION_TYPES}
    defined = set()
    for info in pkgutil.iter_modules(questions_package.__path__):
        module = importlib.import_module(f"app.questions.{info.name}")
        defined |= {obj for obj in vars(module).values()
                    if isinstance(obj, type) and issubclass(obj, QuestionType) and obj.name
                    and obj.__module__ == module.__name__}
    assert defined == registered


def test_an_unknown_type_is_a_key_error():
    with pytest.raises(KeyError):
        question_type("slider")


def test_the_survey_file_types_are_the_registered_ones():
    assert survey().questions and {q.type for q in survey().questions} == set(QUESTION_TYPES)
    assert errors_of("""\
        pages: [{title: One, questions: [{key: a, type: slider, label: A}]}]
        """) == ["surveys/t.yaml:5: unknown question type 'slider' (one of: " + ", ".join(QUESTION_TYPES) + ")"]


# --- Parse defaults and errors ------------------------------------------------------------------

def test_parse_defaults_of_each_type():
    s = survey()
    assert [c.value for c in s.question("mood").choices] == ["strongly_disagree", "disagree", "neutral", "agree",
                                                             "strongly_agree"]
    assert (s.question("safety").min, s.question("safety").max, s.question("safety").integer) == (1, 5, True)
    assert (s.question("word").max_length, s.question("story").max_length) == (200, 2000)
    assert (s.question("count").integer, s.question("share").integer) == (True, False)
    assert (s.question("order").rank, s.question("order").rank_count) == (2, 2)
    assert s.question("needs").exclusive_values == {"none"} and s.question("area").dimension == "area"
    assert (s.question("partners").relationship, s.question("partners").max_picks) == ("funding", 2)
    for q in s.questions:  # a type reads exactly the limits it declares
        kind = question_type(q.type)
        given_limits = {name for name in ("min", "max", "min_picks", "max_picks", "rank", "max_length", "relationship")
                        if getattr(q, name) is not None}
        assert given_limits <= kind.limits, q.type


@pytest.mark.parametrize(("question_yaml", "message"), [
    ("{key: a, type: rating, label: A, min: 0, max: 11}", "line 6: a rating scale has whole-number points, at most 11 of them"),
    ("{key: a, type: number, label: A, min: 5, max: 1}", "line 6: 'min' is greater than 'max'"),
    ("{key: a, type: number, label: A, integer: 1}", "line 6: 'integer' must be true or false"),
    ("{key: a, type: multiple_choice, label: A, min_picks: 3, max_picks: 1, choices: {x: X}}",
     "line 6: 'min_picks' is greater than 'max_picks'"),
    ("{key: a, type: ranking, label: A, rank: 3, choices: {x: X, y: Y}}", "line 6: cannot rank 3 of 2 choices"),
    ("{key: a, type: ranking, label: A}", "line 6: a ranking question needs choices"),
    ("{key: a, type: short_text, label: A, max_length: 20001}", "line 6: 'max_length' can be at most 20000"),
    ("{key: a, type: stakeholders, label: A, relationship: owns}",
     "line 6: relationship 'owns' must be one of self, referral, shared_data, joint_programme, funding, communication"),
    ("{key: a, type: single_choice, label: A, choices: {x: {label: X, exclusive: true}}}",
     "line 6: only a multiple_choice question can have an exclusive choice (not a single_choice)"),
    ("{key: a, type: likert, label: A, dimension: mood}", "line 6: only a single_choice question can name a dimension"),
    ("{key: a, type: date, label: A, choices: {x: X}}", "line 6: a date question takes no choices"),
    ("{key: a, type: yes_no, label: A, rank: 2}", "line 6: 'rank' does not apply to a yes_no"),
    ("{key: a, type: long_text, label: A, min: 2}", "line 6: 'min' does not apply to a long_text"),
])
def test_parse_errors_of_each_type(question_yaml, message):
    errors = errors_of(f"""\
        pages:
          - title: One
            questions:
              - {question_yaml}
        """)
    assert errors == [message.replace("line 6: ", "surveys/t.yaml:8: ")]


# --- Checks -------------------------------------------------------------------------------------

@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("key", "value", "clean"), [
    ("area", "south", "south"), ("needs", ["heat"], ["heat"]), ("needs", ["none"], ["none"]),
    ("mood", "neutral", "neutral"), ("safety", 5.0, 5), ("order", ["b"], ["b"]), ("word", "  hi ", "hi"),
    ("story", "x" * 2000, "x" * 2000), ("count", 3.0, 3), ("share", -1, -1.0), ("moved", "2026-03-31", "2026-03-31"),
    ("stay", True, True), ("partners", ["org_c"], ["org_c"]),
])
def test_good_values_come_back_normalised(ctx, key, value, clean):
    got = question_type(question(key).type).validate(question(key), value, stakeholder_ids=STAKEHOLDERS)
    assert got == clean and type(got) is type(clean)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("area", "east", "Choose one of the options given."),
    ("area", ["north"], "Choose one of the options given."),
    ("needs", "food", "Choose from the options given."),
    ("needs", ["food", "food"], "Each option can be chosen only once."),
    ("mood", "yes", "Choose one of the options given."),
    ("safety", 6, "Choose a rating from 1 to 5."),
    ("safety", True, "Choose a rating from 1 to 5."),
    ("order", ["a", "b", "c"], "Rank at most 2 options."),
    ("order", ["z"], "Choose from the options given."),
    ("word", 5, "Enter text."),
    ("word", "x" * 201, "Keep this to 200 characters or fewer (you wrote 201)."),
    ("count", "7", "Enter a number."),
    ("count", 2.5, "Enter a whole number."),
    ("count", 101, "Enter a number no greater than 100."),
    ("count", -1, "Enter a number of at least 0."),
    ("share", float("nan"), "Enter an ordinary number: not infinity and not NaN."),
    ("share", 10**16, "This number is too large: enter at most 15 digits."),
    ("moved", "2026-02-30", "Enter a date as year-month-day, for example 2026-03-31."),
    ("moved", "2026-3-1", "Enter a date as year-month-day, for example 2026-03-31."),
    ("stay", "yes", "Answer yes or no."),
    ("partners", ["org_z"], "Choose from the options given."),
    ("partners", ["org_a", "org_b", "org_c"], "Choose at most 2 options."),
])
def test_bad_values_are_refused_with_their_message(ctx, key, value, message):
    with pytest.raises(AnswerError) as info:
        question_type(question(key).type).validate(question(key), value, stakeholder_ids=STAKEHOLDERS)
    assert str(info.value.message) == message


def test_an_exclusive_choice_stands_alone(ctx):
    q = question("needs")
    with pytest.raises(AnswerError) as info:
        question_type(q.type).check_exclusive(q, ["food", "none"], lambda choice: choice.label)
    assert str(info.value.message) == "“None” cannot be chosen together with other answers. Untick it, or untick the others."
    question_type(q.type).check_exclusive(q, ["none"], lambda choice: choice.label)  # alone: fine


# --- Answer columns, both ways, through the database --------------------------------------------

def test_answer_columns_round_trip_through_the_database(app):
    with app.app_context():
        store_survey(survey())
        db.session.flush()
        from app.models import Survey
        version = Survey.by_slug("every-type").latest_version()
        response_id, created = store_response(version, uuid.uuid4().hex, GOOD, lang="fr", channel="api",
                                              consent_given=True)
        db.session.commit()
        rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == response_id)).all()
        by_key = {}
        for row in rows:
            by_key.setdefault(row.question_key, []).append(row)
        assert answers_from_rows(version.survey_def, rows) == GOOD
    # each value sits in its type's column, and only there
    for key, own in by_key.items():
        kind = question_type(survey().question(key).type)
        column = "choice" if kind.is_list else kind.column
        for row in own:
            filled = {c for c in ("choice", "text", "number", "boolean", "date") if getattr(row, c) is not None}
            assert filled == {column}, key
            assert row.lang == ("fr" if kind.is_text else None)
    assert [r.position for r in sorted(by_key["order"], key=lambda r: r.position)] == [0, 1]


# --- JSON Schema fragments ----------------------------------------------------------------------

def conforms(schema: dict, value) -> bool:
    """Whether `value` fits `schema`, for the subset the fragments use (no jsonschema package here)."""
    import re
    if "oneOf" in schema:
        return sum(conforms(s, value) for s in schema["oneOf"]) == 1
    if "enum" in schema:
        return any(value == v and type(value) is type(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        ok = (isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))) and not isinstance(value, bool)
        return ok and schema.get("minimum", value) <= value <= schema.get("maximum", value)
    if kind == "string":
        return (isinstance(value, str) and len(value) <= schema.get("maxLength", len(value))
                and re.search(schema.get("pattern", ""), value) is not None)
    if kind == "array":
        return (isinstance(value, list) and schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value))
                and (not schema.get("uniqueItems") or len(set(map(repr, value))) == len(value))
                and all(conforms(schema.get("items", {}), v) for v in value) if schema.get("items") else len(value) == 0)
    raise ValueError(schema)


@pytest.mark.parametrize("key", sorted(GOOD))
def test_the_schema_takes_the_good_value(key):
    q = question(key)
    assert conforms(question_type(q.type).json_schema(q, STAKEHOLDERS), GOOD[key])


@pytest.mark.parametrize("key", sorted(GOOD))
def test_whatever_the_schema_allows_the_check_accepts(ctx, key):
    """The schema is never looser than the check: every value it allows is accepted. One known gap,
    kept as the published document has it: an unbounded number's schema does not say MAX_NUMBER."""
    q = question(key)
    kind = question_type(q.type)
    schema = kind.json_schema(q, STAKEHOLDERS)

    @settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data):
        value = data.draw(from_schema(schema))
        assume(not isinstance(value, (int, float)) or abs(value) <= MAX_NUMBER)
        kind.validate(q, value, stakeholder_ids=STAKEHOLDERS)

    check()


# --- Layering -----------------------------------------------------------------------------------

def test_the_types_import_only_lower_layers():
    """app/questions sits below every feature: the survey model, the vocabulary, models, wtforms and
    Babel, never a blueprint (respond, api, reports, admin…) or the parser that uses it."""
    import ast
    import sys
    allowed = ("app.questions", "app.surveydef.model", "app.core.vocabulary", "app.core.extensions", "app.models",
               "wtforms", "flask_babel", "babel")
    folder = Path(questions_package.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                top = name.split(".")[0]
                assert (name.startswith(allowed) or top in sys.stdlib_module_names or top == "__future__"), \
                    f"{path.name} imports {name}"
