"""A new question type is one class: registered here, an `email` type flows through the survey
file, the resident form, the JSON API and its OpenAPI document, storage, the CSV export and the
XLSForm rows, with no other module edited."""
import csv
import io
import re
import uuid

import pytest
from wtforms import StringField

from app.reporting.export import write_responses
from app.core.extensions import db
from app.questions import question_type, register, type_names, unregister
from app.questions.base import AnswerError, QuestionType
from app.surveydef import SurveyFileError, parse_survey_text
from app.surveys.loader import store_survey
from app.xlsform.rows import survey_rows
from tests.app.test_respond import post_page, start

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
#: A test type's message: not an interface string, so not in the catalogs.
REFUSED = "Enter an email address such as name@example.org."
SURVEY = """\
slug: toy-contact
title: Contact
language: en
consent: {version: 1, text: OK}
pages:
  - title: One
    questions:
      - {key: contact, type: email, label: Your email, required: true}
      - {key: other, type: email, label: Another, max_length: 60}
"""


class Email(QuestionType):
    """An email address, stored lower-cased as text: the whole of a new type."""

    name = "email"
    column = "text"
    export_kind = "text"
    limits = frozenset({"max_length"})
    xls_type = "text"

    def parse_fields(self, reader, q, fields):
        return {"max_length": reader.number(q, "max_length", whole=True, minimum=1) or 254}

    def json_schema(self, q, stakeholder_ids):
        return {"type": "string", "maxLength": q.max_length, "pattern": f"^{EMAIL.pattern}$"}

    def validate(self, q, value, *, stakeholder_ids=()):
        if not isinstance(value, str) or len(value.strip()) > q.max_length or not EMAIL.fullmatch(value.strip()):
            raise AnswerError(REFUSED)
        return value.strip().lower()

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: StringField(label, render_kw={"type": "email", "maxlength": q.max_length})}

    def xls_constraints(self, q):
        return ["regex(., '^[^@ ]+@[^@ ]+$')"]


@pytest.fixture
def email_type():
    register(Email)
    yield question_type("email")
    unregister("email")


@pytest.fixture
def toy(app, email_type):
    with app.app_context():
        store_survey(parse_survey_text(SURVEY, "surveys/toy-contact.yaml"))
        db.session.commit()
    return app


def test_registered_through_the_registry_alone(email_type):
    assert type_names()[-1] == "email" and isinstance(email_type, Email)


def test_unregistered_it_is_unknown_to_the_parser():
    with pytest.raises(SurveyFileError) as info:
        parse_survey_text(SURVEY, "surveys/toy-contact.yaml")
    assert "unknown question type 'email'" in str(info.value)


def test_parse_defaults_and_limits(email_type):
    survey = parse_survey_text(SURVEY, "surveys/toy-contact.yaml")
    assert [(q.type, q.max_length) for q in survey.questions] == [("email", 254), ("email", 60)]
    with pytest.raises(SurveyFileError) as info:
        parse_survey_text(SURVEY.replace("max_length: 60", "rank: 2"), "surveys/toy-contact.yaml")
    assert str(info.value) == "surveys/toy-contact.yaml:9: 'rank' does not apply to a email"


def test_resident_form_draws_checks_stores_and_exports_it(toy, client):
    sid, page1 = start(client, "toy-contact")
    html = client.get(page1).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="contact"[^>]*type="email"', html) and 'maxlength="254"' in html
    refused = post_page(client, page1, {"contact": "not an address"})
    assert refused.status_code == 200 and REFUSED in refused.get_data(as_text=True)
    done = post_page(client, page1, {"contact": "  Ana@Example.ORG ", "other": ""})
    assert done.status_code == 302 and "/done/" in done.headers["Location"]
    out = io.StringIO()
    with toy.app_context():
        write_responses("toy-contact", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["submission_id"], r["contact"], r["other"]) for r in rows] == [(sid, "ana@example.org", "")]


def test_json_api_and_its_openapi_document(toy, client):
    url = "/api/v1/surveys/toy-contact/responses"
    bad = client.post(url, json={"submission_id": uuid.uuid4().hex, "answers": {"contact": "ana"}})
    assert bad.status_code == 422 and bad.get_json()["errors"] == {"contact": REFUSED}
    good = client.post(url, json={"submission_id": uuid.uuid4().hex, "answers": {"contact": "Bo@example.org"}})
    assert good.status_code == 201
    document = client.get("/api/v1/openapi.json").get_json()
    body = document["paths"]["/surveys/toy-contact/responses"]["post"]["requestBody"]["content"]["application/json"]
    answers = body["schema"]["properties"]["answers"]
    assert answers["properties"]["contact"] == Email().json_schema(_q(toy), ()) and answers["required"] == ["contact"]
    definition = client.get("/api/v1/surveys/toy-contact").get_json()
    assert [(q["type"], q["max_length"]) for p in definition["pages"] for q in p["questions"]] == [("email", 254), ("email", 60)]


def test_xlsform_rows(email_type):
    survey = parse_survey_text(SURVEY, "surveys/toy-contact.yaml")
    rows = [r for r in survey_rows(survey, languages=["en"], stakeholders=[], translate=lambda code, path, source: source)["survey"] if r.get("cg_type") == "email"]
    assert [(r["type"], r["name"], r["constraint"], r["cg_max_length"]) for r in rows] == [
        ("text", "contact", "regex(., '^[^@ ]+@[^@ ]+$')", "254"), ("text", "other", "regex(., '^[^@ ]+@[^@ ]+$')", "60")]


def _q(app):
    with app.app_context():
        from app.models import Survey
        return Survey.by_slug("toy-contact").latest_version().survey_def.question("contact")
