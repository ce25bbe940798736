"""What one submission asks of the database: the work per response is what bounds throughput
(bench/load.py), so the statements it runs are pinned here, on both databases."""
import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event

from app.core.extensions import db
from app.models import Answer

URL = "/api/v1/surveys/community-needs/responses"
ANSWERS = {"priorities": ["housing", "transport", "jobs"], "biggest_change": "More buses at night",
           "bus_often": "disagree", "age_band": "65_plus", "years_here": 4, "recommend": True,
           "services_used": ["clinic", "library"]}


@contextmanager
def statements(app):
    seen = []
    with app.app_context():
        engine = db.engine

    def log(conn, cursor, statement, params, context, executemany):
        seen.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", log)


def test_a_submission_stores_its_answers_in_one_insert_and_looks_its_id_up_once(client, surveys, app):
    sid = uuid.uuid4().hex
    with statements(app) as seen:
        response = client.post(URL, json={"submission_id": sid, "lang": "en", "answers": ANSWERS})
    assert response.status_code == 201
    inserts = [s for s in seen if s.startswith("INSERT INTO answers")]
    lookups = [s for s in seen if s.startswith("SELECT responses.id") and "submission_id" in s]
    assert len(inserts) == 1, inserts
    assert len(lookups) == 1, lookups
    # The themes report's copy of the free text: one INSERT … SELECT, whatever the number of texts.
    assert len([s for s in seen if s.startswith("INSERT INTO text_answers")]) == 1
    with app.app_context():
        stored = db.session.execute(sa.select(Answer.question_key, Answer.position, Answer.choice, Answer.text,
                                              Answer.number, Answer.boolean)
                                    .where(Answer.response_id == response.get_json()["id"])).all()
    # Each row kept its own typed column, the others NULL, through the one executemany.
    assert ("years_here", 0, None, None, 4, None) in stored
    assert ("recommend", 0, None, None, None, True) in stored
    assert ("biggest_change", 0, None, "More buses at night", None, None) in stored
    assert [(k, p, c) for k, p, c, *_ in sorted(stored) if k == "priorities"] == [
        ("priorities", 0, "housing"), ("priorities", 1, "transport"), ("priorities", 2, "jobs")]


def test_a_resend_is_answered_from_one_lookup_and_stores_nothing(client, surveys, app):
    body = {"submission_id": uuid.uuid4().hex, "lang": "en", "answers": ANSWERS}
    first = client.post(URL, json=body).get_json()["id"]
    with statements(app) as seen:
        again = client.post(URL, json=body)
    assert again.status_code == 200 and again.get_json()["id"] == first
    assert not [s for s in seen if s.startswith("INSERT")]
    assert len([s for s in seen if s.startswith("SELECT responses.id")]) == 1
