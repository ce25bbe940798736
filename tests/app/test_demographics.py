"""Each response carries its demographic pattern: written with the answers, filled by the
migration for responses stored before the column existed, and what the reports count."""
import json
import uuid

import sqlalchemy as sa
from flask_migrate import upgrade

from app.core.demographics import canonical_pattern, parse_pattern, pattern_from_answers, pattern_values
from app.core.extensions import db
from app.models import Response

DIMENSION_OF = {"age_band": "age_band", "home_language": "language"}


def test_pattern_is_canonical_json_keyed_by_dimension():
    text = pattern_from_answers(DIMENSION_OF, [("home_language", "somali"), ("age_band", "65_plus"),
                                               ("priorities", "housing"), ("gender", None)])
    assert text == '{"age_band":"65_plus","language":"somali"}'
    assert parse_pattern(text) == {"age_band": "65_plus", "language": "somali"}


def test_equal_answers_in_any_order_are_equal_text():
    assert canonical_pattern({"b": "2", "a": "1"}) == canonical_pattern({"a": "1", "b": "2"})


def test_two_questions_on_one_dimension_keep_the_greater_value():
    text = pattern_from_answers({"age": "age_band", "age_again": "age_band"}, [("age", "18_24"), ("age_again", "65_plus")])
    assert parse_pattern(text) == {"age_band": "65_plus"}


def test_no_answers_is_the_empty_pattern():
    assert pattern_from_answers(DIMENSION_OF, []) == "{}" and parse_pattern(None) == {}


def test_a_submitted_response_stores_its_pattern(app, client, surveys):
    response = client.post("/api/v1/surveys/community-needs/responses", json={
        "submission_id": uuid.uuid4().hex, "lang": "en",
        "answers": {"priorities": ["housing"], "age_band": "25_44", "home_language": "arabic", "recommend": True}})
    assert response.status_code == 201
    with app.app_context():
        stored = db.session.get(Response, response.get_json()["id"])
        assert parse_pattern(stored.demographics) == {"age_band": "25_44", "language": "arabic"}


def test_the_migration_fills_the_pattern_of_responses_stored_before_it(empty_app):
    """Upgrade to 0004, store a response the old way, upgrade: its pattern comes from its answers."""
    app = empty_app
    directory = app.extensions["migrate"].directory
    definition = {"pages": [{"key": "p1", "title": "About you", "questions": [
        {"key": "age_band", "type": "single_choice", "dimension": "age_band"},
        {"key": "home_language", "type": "single_choice", "dimension": "language"},
        {"key": "comment", "type": "long_text", "dimension": None}]}]}
    with app.app_context():
        upgrade(directory=directory, revision="0004")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO surveys (id, slug, created_at) VALUES (1, 'old', CURRENT_TIMESTAMP)"))
            conn.execute(sa.text("INSERT INTO survey_versions (id, survey_id, number, content_hash, definition, "
                                 "source_path, created_at) VALUES (1, 1, 1, 'h', :d, '', CURRENT_TIMESTAMP)"),
                         {"d": json.dumps(definition)})
            for rid in (1, 2):
                conn.execute(sa.text("INSERT INTO responses (id, submission_id, survey_id, survey_version_id, lang, "
                                     "channel, consent_given, submitted_at) VALUES (:id, :sid, 1, 1, 'en', 'web', "
                                     ":yes, CURRENT_TIMESTAMP)"), {"id": rid, "sid": f"s{rid}", "yes": True})
            conn.execute(sa.text("INSERT INTO answers (response_id, question_key, position, choice, text) VALUES "
                                 "(1, 'age_band', 0, '65_plus', NULL), (1, 'home_language', 0, 'somali', NULL), "
                                 "(1, 'comment', 0, NULL, 'more buses'), (2, 'comment', 0, NULL, 'hello')"))
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            stored = dict(conn.execute(sa.text("SELECT id, demographics FROM responses ORDER BY id")).all())
        db.engine.dispose()
    assert parse_pattern(stored[1]) == {"age_band": "65_plus", "language": "somali"}
    assert stored[2] == "{}"


def test_pattern_values_follow_the_dimensions_asked_for():
    text = '{"age_band":"65_plus","language":"somali"}'
    assert pattern_values(text, ("language", "gender", "age_band")) == ("somali", None, "65_plus")
    assert pattern_values("{}", ("age_band",)) == (None,)
