"""JSON API v1: definitions, idempotent submission, and clear errors for bad input."""
import json
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response

URL = "/api/v1/surveys/community-needs/responses"
GOOD = {"priorities": ["housing", "transport", "jobs"], "biggest_change": "More buses at night",
        "bus_often": "disagree", "age_band": "65_plus", "years_here": 4, "recommend": True}


def body(**overrides):
    return {"submission_id": uuid.uuid4().hex, "lang": "en", "answers": dict(GOOD), **overrides}


def counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Response)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Answer)))


def test_list_surveys(client, surveys):
    data = client.get("/api/v1/surveys").get_json()
    assert [s["slug"] for s in data["surveys"]] == ["community-needs", "partner-survey"]
    assert data["surveys"][0]["version"] == 1 and "en" in data["surveys"][0]["languages"]


def test_survey_definition_shape(client, surveys):
    data = client.get("/api/v1/surveys/community-needs").get_json()
    assert data["slug"] == "community-needs" and data["version"] == 1
    questions = {q["key"]: q for p in data["pages"] for q in p["questions"]}
    assert questions["priorities"]["rank"] == 3 and questions["priorities"]["type"] == "ranking"
    assert questions["age_band"]["choices"][0] == {"value": "under_18", "label": "Under 18"}
    assert questions["age_band"]["dimension"] == "age_band"
    assert [c["value"] for c in questions["bus_often"]["choices"]][-1] == "strongly_agree"
    assert questions["bus_often"]["relevant"] == "'transport' in priorities"


def test_unknown_survey_is_404(client, surveys):
    assert client.get("/api/v1/surveys/nope").status_code == 404
    response = client.post("/api/v1/surveys/nope/responses", json=body())
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_submit_stores_typed_answers(client, surveys, app):
    response = client.post(URL, json=body())
    assert response.status_code == 201
    with app.app_context():
        stored = db.session.get(Response, response.get_json()["id"])
        rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == stored.id)).all()
        by_key = {}
        for row in rows:
            by_key.setdefault(row.question_key, []).append(row)
        assert [r.choice for r in sorted(by_key["priorities"], key=lambda r: r.position)] == ["housing", "transport", "jobs"]
        assert by_key["years_here"][0].number == 4
        assert by_key["recommend"][0].boolean is True
        assert by_key["biggest_change"][0].text == "More buses at night" and by_key["biggest_change"][0].lang == "en"
        assert stored.channel == "api" and stored.survey_version_id is not None


def test_same_submission_id_is_stored_once(client, surveys, app):
    payload = body()
    first = client.post(URL, json=payload)
    before = counts(app)
    again = client.post(URL, json=payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert counts(app) == before


def test_irrelevant_answers_are_dropped(client, surveys, app):
    answers = {**GOOD, "priorities": ["housing", "jobs", "health"], "bus_often": "agree"}
    response = client.post(URL, json=body(answers=answers))
    assert response.status_code == 201
    with app.app_context():
        keys = set(db.session.scalars(sa.select(Answer.question_key).where(
            Answer.response_id == response.get_json()["id"])))
    assert "bus_often" not in keys and "priorities" in keys


@pytest.mark.parametrize("answers, key, message", [
    ({"biggest_change": "x"}, "priorities", "This question needs an answer."),
    ({**GOOD, "age_band": "ancient"}, "age_band", "Choose one of the options given."),
    ({**GOOD, "years_here": 101}, "years_here", "Enter a whole number of years from 0 to 100."),
    ({**GOOD, "priorities": ["housing", "housing"]}, "priorities", "Each option can be chosen only once."),
    ({**GOOD, "biggest_change": "x" * 2001}, "biggest_change", "Keep this to 2,000 characters or fewer (you wrote 2,001)."),
])
def test_invalid_answers_are_422_per_question(client, surveys, app, answers, key, message):
    response = client.post(URL, json=body(answers=answers))
    assert response.status_code == 422
    assert response.get_json()["errors"][key] == message
    assert counts(app) == (0, 0)


@pytest.mark.parametrize("payload, field", [
    ({"lang": "en", "answers": GOOD}, "submission_id"),
    ({"submission_id": "short", "answers": GOOD}, "submission_id"),
    ({"submission_id": uuid.uuid4().hex, "answers": ["x"]}, "answers"),
    ({"submission_id": uuid.uuid4().hex, "answers": GOOD, "consent": {"given": False}}, "consent"),
])
def test_bad_envelope_is_422(client, surveys, payload, field):
    response = client.post(URL, json=payload)
    assert response.status_code == 422 and field in response.get_json()["errors"]


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_malformed_body_is_400(client, surveys, data):
    response = client.post(URL, data=data, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_oversized_body_is_413(client, surveys, app):
    big = json.dumps(body(answers={"biggest_change": "x" * 300_000}))
    response = client.post(URL, data=big, content_type="application/json")
    assert response.status_code == 413
    assert counts(app) == (0, 0)


def test_replay_with_different_answers_keeps_the_first(client, surveys, app):
    payload = body()
    first = client.post(URL, json=payload).get_json()["id"]
    replay = client.post(URL, json={**payload, "answers": {**GOOD, "age_band": "18_24"}})
    assert replay.status_code == 200 and replay.get_json()["id"] == first
    with app.app_context():
        age = db.session.scalar(sa.select(Answer.choice).where(
            Answer.response_id == first, Answer.question_key == "age_band"))
    assert age == "65_plus"
