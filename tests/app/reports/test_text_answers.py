"""text_answers (migration 0022): every free-text answer with copies of its response's columns,
written with the answers. The themes report's texts read from it are exactly those the join of
answers to responses selected before, under every filter, withdrawal included."""
import dataclasses
import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response, SurveyVersion, TextAnswer
from app.questions import question_type
from app.reporting.filters import ReportFilters
from app.reporting.sample import response_conditions
from app.themes.queries import ANSWERS, Scope, free_text_keys

REPO = Path(__file__).resolve().parents[3]
COLUMNS = ("answer_id", "response_id", "question_key", "lang", "survey_id", "channel", "submitted_at", "demographics")


def migration_0022():
    spec = importlib.util.spec_from_file_location(
        "migration_0022", REPO / "app" / "migrations" / "versions" / "0022_text_answers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pattern(value) -> str:
    """A pattern as comparable text: PostgreSQL hands the JSONB copy back as a dict."""
    return json.dumps(value if isinstance(value, dict) else json.loads(value), sort_keys=True)


def stored() -> set[tuple]:
    return {(*row[:-1], pattern(row[-1]))
            for row in db.session.execute(sa.select(*(getattr(TextAnswer, c) for c in COLUMNS)))}


def from_answers() -> set[tuple]:
    """The rows worked out from the answers and responses themselves, version by version."""
    rows = set()
    for version in db.session.scalars(sa.select(SurveyVersion)):
        keys = [q.key for q in version.survey_def.questions if question_type(q.type).is_text]
        query = (sa.select(Answer.id, Response.id, Answer.question_key, sa.func.coalesce(Answer.lang, Response.lang),
                           Response.survey_id, Response.channel, Response.submitted_at, Response.demographics)
                 .join(Response, Response.id == Answer.response_id)
                 .where(Response.survey_version_id == version.id, Answer.question_key.in_(keys),
                        Answer.text.is_not(None), Answer.text != ""))
        rows |= {(*row[:-1], pattern(row[-1])) for row in db.session.execute(query)}
    return rows


def test_every_free_text_answer_is_stored_with_its_response_columns(demo_app):
    with demo_app.app_context():
        expected = from_answers()
        assert len(expected) > 50  # the demo's residents wrote this many texts
        assert stored() == expected


def test_the_migration_stores_what_a_submission_stores(demo_app):
    with demo_app.app_context():
        submitted = stored()
        db.session.execute(sa.delete(TextAnswer))
        written = migration_0022().fill_from_answers(db.session.connection())
        assert written == len(submitted) and stored() == submitted
        assert migration_0022().fill_from_answers(db.session.connection()) == 0  # again: nothing to add
        db.session.rollback()


def test_a_submission_through_the_api_writes_its_texts_and_only_them(demo_app):
    client = demo_app.test_client()
    body = {"submission_id": "text-answers-0001", "lang": "es",
            "answers": {"priorities": ["housing", "transport", "jobs"], "age_band": "65_plus",
                        "neighbourhood": "eastfield", "biggest_change": "Más autobuses", "safety_where": ""}}
    reply = client.post("/api/v1/surveys/community-needs/responses", json=body)
    assert reply.status_code == 201, reply.get_json()
    with demo_app.app_context():
        response = db.session.scalar(sa.select(Response).where(Response.submission_id == "text-answers-0001"))
        rows = db.session.scalars(sa.select(TextAnswer).where(TextAnswer.response_id == response.id)).all()
        assert [(r.question_key, r.lang, r.channel, r.survey_id, r.submitted_at, pattern(r.demographics)) for r in rows] == [
            ("biggest_change", "es", response.channel, response.survey_id, response.submitted_at,
             pattern(response.demographics))]
        assert json.loads(pattern(rows[0].demographics))["neighbourhood"] == "eastfield"
        db.session.execute(sa.delete(Response).where(Response.id == response.id))  # the next tests see the demo as it was
        db.session.commit()


def old_scope_ids(filters: ReportFilters) -> set[int]:
    """Answer ids the themes report selected before 0022: answers joined to their responses."""
    scope = Scope(filters)
    conditions = response_conditions(dataclasses.replace(filters, lang=None), scope.surveys)
    query = (sa.select(Answer.id).join(Response, Response.id == Answer.response_id)
             .where(*conditions, Answer.question_key.in_(free_text_keys(scope.surveys)), Answer.text.is_not(None),
                    Answer.text != ""))
    if filters.lang:
        query = query.where(sa.func.coalesce(Answer.lang, Response.lang) == filters.lang)
    return set(db.session.scalars(query))


FILTERS = [
    ReportFilters(survey="community-needs"),
    ReportFilters(survey="all", channel="web"),
    ReportFilters(survey="community-needs", lang="es"),
    ReportFilters(survey="community-needs", geography="eastfield"),
    ReportFilters(survey="community-needs", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.to_args().items()))
def test_the_report_reads_the_texts_the_join_of_answers_selected(demo_app, filters):
    with demo_app.test_request_context():
        expected = old_scope_ids(filters)
        scope = Scope(filters)
        assert set(db.session.scalars(scope.select(ANSWERS, ANSWERS.item))) == expected
        if filters.geography or filters.lang or filters.survey != "all":
            assert expected  # each filter keeps some texts, so the comparison means something


def test_a_withdrawn_response_s_texts_leave_the_report(demo_app):
    with demo_app.test_request_context():
        filters = ReportFilters(survey="community-needs")
        before = set(db.session.scalars(Scope(filters).select(ANSWERS, ANSWERS.item)))
        withdrawn = db.session.scalar(sa.select(TextAnswer.response_id).order_by(TextAnswer.answer_id).limit(1))
        texts = set(db.session.scalars(sa.select(TextAnswer.answer_id).where(TextAnswer.response_id == withdrawn)))
        db.session.execute(sa.update(Response).where(Response.id == withdrawn).values(withdrawn_at=dt.datetime(2026, 6, 1)))
        after = set(db.session.scalars(Scope(filters).select(ANSWERS, ANSWERS.item)))
        assert texts and texts <= before and after == before - texts == old_scope_ids(filters)
        db.session.rollback()
