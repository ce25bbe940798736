"""Partner-survey answers become ties: through the real API and the real resident form, once each."""
import uuid

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Relationship, Response, Survey
from app.stakeholders.relationships import relationships_from_response, relationships_from_survey
from tests.forms import form_action, hidden_fields

URL = "/api/v1/surveys/partner-survey/responses"
PARTNER = {"organisation": ["rfb"], "sector": "nonprofit", "refers_to": ["clinic_east", "legal_aid"],
           "shares_data_with": ["county_health"], "funded_by": ["united_way"],
           "priorities": ["housing", "jobs", "health", "youth", "safety", "transport"]}


def submit(client, answers=None, submission_id=None):
    """As an admin's token: partner surveys take answers from partners and admins only."""
    from tests.conftest import make_token
    body = {"submission_id": submission_id or uuid.uuid4().hex, "lang": "en", "answers": answers or PARTNER}
    return client.post(URL, json=body, headers={"Authorization": f"Bearer {make_token(client.application, 'admin')}"})


def ties(app, **where) -> list:
    with app.app_context():
        query = sa.select(Relationship).order_by(Relationship.id)
        for name, value in where.items():
            query = query.where(getattr(Relationship, name) == value)
        return [(r.source_id, r.target_id, r.type, r.weight, r.provenance)
                for r in db.session.scalars(query)]


EXPECTED = [("rfb", "clinic_east", "referral", 1.0, "response"), ("rfb", "legal_aid", "referral", 1.0, "response"),
            ("rfb", "county_health", "shared_data", 1.0, "response"), ("rfb", "united_way", "funding", 1.0, "response")]


def test_api_submission_records_one_tie_per_pick(client, surveys, app):
    response = submit(client)
    assert response.status_code == 201
    assert ties(app, response_id=response.get_json()["id"]) == EXPECTED


def test_ties_carry_the_response_and_its_date(client, surveys, app):
    response_id = submit(client).get_json()["id"]
    with app.app_context():
        submitted = db.session.get(Response, response_id).submitted_at.date()
        dates = set(db.session.scalars(sa.select(Relationship.date).where(Relationship.response_id == response_id)))
        assert dates == {submitted}


def test_a_replayed_submission_records_nothing_twice(client, surveys, app):
    sid = uuid.uuid4().hex
    assert submit(client, submission_id=sid).status_code == 201
    assert submit(client, submission_id=sid).status_code == 200
    assert ties(app) == EXPECTED


def test_running_the_operation_again_creates_nothing(client, surveys, app):
    response_id = submit(client).get_json()["id"]
    with app.app_context():
        version = Survey.by_slug("partner-survey").latest_version()
        assert relationships_from_response(version, response_id, PARTNER) == 0
    assert ties(app) == EXPECTED


def test_nothing_without_a_self_answer(client, surveys, app):
    response_id = submit(client).get_json()["id"]
    with app.app_context():
        db.session.execute(sa.delete(Relationship))
        version = Survey.by_slug("partner-survey").latest_version()
        answers = {key: value for key, value in PARTNER.items() if key != "organisation"}
        assert relationships_from_response(version, response_id, answers) == 0
        db.session.commit()
    assert ties(app) == []


def test_picking_your_own_organisation_makes_no_tie_to_itself(client, surveys, app):
    submit(client, {**PARTNER, "refers_to": ["rfb", "legal_aid"], "shares_data_with": [], "funded_by": []})
    assert ties(app) == [("rfb", "legal_aid", "referral", 1.0, "response")]


def test_resident_survey_records_no_ties(client, surveys, app):
    body = {"submission_id": uuid.uuid4().hex, "answers": {"priorities": ["housing", "jobs", "health"]}}
    assert client.post("/api/v1/surveys/community-needs/responses", json=body).status_code == 201
    assert ties(app) == []


def post_page(client, location, data):
    html = client.get(location).get_data(as_text=True)
    response = client.post(form_action(html), data={**hidden_fields(html), **data, "action": "next"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_the_web_form_records_ties_once(client, surveys, app, auth):
    auth.login("admin")
    html = client.get("/s/partner-survey").get_data(as_text=True)
    location = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"}).headers["Location"]
    location = post_page(client, location, {"organisation": "tenants", "sector": "resident_association"})
    location = post_page(client, location, {"refers_to": ["legal_aid", "rfb"], "joint_programmes_with": "nga"})
    done = post_page(client, location, {f"priorities__{i}": key for i, key in
                                        enumerate(["housing", "safety", "jobs", "health", "youth", "transport"], 1)})
    assert "/done/" in done
    expected = [("tenants", "legal_aid", "referral", 1.0, "response"), ("tenants", "rfb", "referral", 1.0, "response"),
                ("tenants", "nga", "joint_programme", 1.0, "response")]
    assert ties(app) == expected
    # Sending the last page again (a double tap) stores nothing twice.
    client.post(location, data={"action": "next"})
    assert ties(app) == expected


def test_backfill_from_stored_responses_is_idempotent(client, surveys, app):
    submit(client)
    with app.app_context():
        db.session.execute(sa.delete(Relationship))
        survey_id = Survey.by_slug("partner-survey").id
        assert relationships_from_survey(survey_id) == 4
        assert relationships_from_survey(survey_id) == 0
        db.session.commit()
    assert ties(app) == EXPECTED


def test_backfill_leaves_withdrawn_responses_out(client, surveys, app):
    response_id = submit(client).get_json()["id"]
    with app.app_context():
        db.session.execute(sa.delete(Relationship))
        db.session.get(Response, response_id).withdrawn_at = db.func.now()
        assert relationships_from_survey(Survey.by_slug("partner-survey").id) == 0


def test_the_demo_has_a_network_and_seeding_again_adds_none(app):
    from app.demo import seed_demo
    from app.surveys.loader import load_surveys
    from tests.conftest import SURVEYS_DIR
    with app.app_context():
        load_surveys(SURVEYS_DIR)
        seed_demo()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Relationship))
        seed_demo()
        again = db.session.scalar(sa.select(sa.func.count()).select_from(Relationship))
        provenances = set(db.session.scalars(sa.select(Relationship.provenance)))
    assert count > 20 and again == count and provenances == {"response"}
