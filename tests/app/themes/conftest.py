"""Fixtures for the themes tests: the shipped surveys, a small codebook in the database, and
helpers that act like the real clients (the submission API, the review form)."""
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response
from tests.forms import hidden_fields

#: A small codebook whose tags are easy to work out by hand.
CODEBOOK = {"themes": [
    {"key": "housing", "labels": {"en": "Housing", "es": "Vivienda"},
     "keywords": {"en": ["housing", "landlord"], "es": ["vivienda"]}},
    {"key": "rent", "parent": "housing", "labels": {"en": "Rent"}, "keywords": {"en": ["rent"], "es": ["alquiler"]}},
    {"key": "transport", "labels": {"en": "Transport"}, "keywords": {"en": ["bus", "train"]}},
    {"key": "parks", "labels": {"en": "Parks"}, "keywords": {"en": ["park"]}},
]}


@pytest.fixture
def themes_app(app, surveys):
    """The app with the shipped surveys and CODEBOOK in the database."""
    from analysis.themes import Codebook
    from app.themes.codebook import replace_codebook
    with app.app_context():
        replace_codebook(Codebook.from_dict(CODEBOOK), source="test")
        db.session.commit()
    return app


def submit(client, text, *, lang="en", channel=None, **answers):
    """Send a response with `text` as its biggest_change answer through the API; the response id."""
    body = {"submission_id": uuid.uuid4().hex, "lang": lang,
            "answers": {"priorities": ["housing"], "biggest_change": text, **answers}}
    headers = {}
    if channel:  # only an admin's token may record another channel than api
        from tests.conftest import make_token
        body["channel"] = channel
        headers["Authorization"] = f"Bearer {make_token(client.application, 'admin')}"
    response = client.post("/api/v1/surveys/community-needs/responses", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def item_of(app, response_id, question="biggest_change"):
    """The review item key ("a<answer id>") of a response's free-text answer."""
    with app.app_context():
        answer_id = db.session.scalar(sa.select(Answer.id).where(Answer.response_id == response_id,
                                                                 Answer.question_key == question))
    return f"a{answer_id}"


def review(client, item, themes, action="save"):
    """Open an item in the review queue and post the form as a browser would, with `themes` ticked."""
    page = client.get("/reports/themes/review", query_string={"item": item})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    index = html.count("<form", 0, html.index('name="item"')) - 1
    fields = hidden_fields(html, index)
    assert fields["item"] == item
    return client.post("/reports/themes/review", data={**fields, "theme": list(themes), "action": action})


def api_report(client, token, **params):
    response = client.get("/api/v1/reports/themes", query_string=params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def theme(report, key):
    return next(t for t in report["themes"] if t["key"] == key)


def withdraw(app, response_id):
    """Withdraw a response with the real operation (as the resident's resume-code page does)."""
    from app.responses.withdrawal import withdraw_response
    with app.app_context():
        withdraw_response(db.session.get(Response, response_id))
        db.session.commit()


def tag_waiting(app):
    """Run the tagging task as the app does after a commit (here at once: TASKS_IN_PROCESS=sync)."""
    from app.themes.jobs import start_tag_texts
    with app.app_context():
        return start_tag_texts()


def hold_tasks(monkeypatch) -> list[str]:
    """Tasks are recorded but not run (as with a worker that is down); the ids started, in order."""
    started = []
    monkeypatch.setattr("app.tasks.queue.run_in_process", started.append)
    return started


@pytest.fixture
def tasks_held(monkeypatch):
    return hold_tasks(monkeypatch)
