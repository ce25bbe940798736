"""The resident form, walked end to end with the test client: no JavaScript, CSRF on."""
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Draft, Response
from tests.forms import form_action, hidden_fields


def start(client, slug="community-needs"):
    page = client.get(f"/s/{slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    fields = hidden_fields(html)
    response = client.post(form_action(html), data={**fields, "consent": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return fields["submission_id"], response.headers["Location"]


def post_page(client, location, data, action="next"):
    html = client.get(location).get_data(as_text=True)
    return client.post(form_action(html), data={**hidden_fields(html), **data, "action": action})


def test_first_page_has_consent_and_submission_id(client, surveys):
    html = client.get("/s/community-needs").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Your answers are anonymous" in html
    fields = hidden_fields(html)
    assert fields["csrf_token"] and re.fullmatch(r"[0-9a-f]{32}", fields["submission_id"])


def test_consent_is_required(client, surveys, app):
    html = client.get("/s/community-needs").get_data(as_text=True)
    response = client.post(form_action(html), data=hidden_fields(html))
    assert response.status_code == 200
    assert "tick the box to say you agree" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_post_without_csrf_token_keeps_the_answers_on_screen(client, surveys, app):
    _sid, location = start(client)
    response = client.post(location, data={"priorities__1": "jobs", "action": "next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "press the button again" in html
    assert '<option value="jobs" selected>' in html


def test_complete_walk_through(client, surveys, app):
    sid, location = start(client)
    # Page 1: priorities. Picking transport makes the bus question relevant on page 2.
    response = post_page(client, location, {"priorities__1": "transport", "priorities__2": "housing",
                                            "priorities__3": "", "biggest_change": "Buses after 10pm"})
    assert response.status_code == 302
    location = response.headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "Page 2 of 4" in html and "I can get where I need to go by bus." in html
    response = post_page(client, location, {"services_used": ["library", "clinic"], "bus_often": "disagree",
                                            "safety_rating": "2", "safety_where": "The underpass"})
    location = response.headers["Location"]
    response = post_page(client, location, {"years_here": "3", "recommend": "no"})
    location = response.headers["Location"]
    response = post_page(client, location, {"age_band": "65_plus", "gender": "woman", "household_size": "2"})
    assert response.status_code == 302 and f"/s/community-needs/done/{sid}" in response.headers["Location"]
    assert "Thank you" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(sa.select(Response).where(Response.submission_id == sid))
        answers = {(a.question_key, a.position): a for a in db.session.scalars(
            sa.select(Answer).where(Answer.response_id == stored.id))}
        assert stored.channel == "web" and stored.consent_given and stored.lang == "en"
        assert answers[("priorities", 0)].choice == "transport" and answers[("priorities", 1)].choice == "housing"
        assert ("priorities", 2) not in answers
        assert answers[("bus_often", 0)].choice == "disagree"
        assert answers[("safety_rating", 0)].number == 2
        assert answers[("recommend", 0)].boolean is False
        assert answers[("household_size", 0)].number == 2


def test_replayed_final_post_is_stored_once(client, surveys, app):
    sid, location = start(client)
    location = post_page(client, location, {"priorities__1": "jobs"}).headers["Location"]
    location = post_page(client, location, {}).headers["Location"]
    location = post_page(client, location, {}).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    data = {**hidden_fields(html), "age_band": "18_24", "action": "next"}
    first = client.post(form_action(html), data=data)
    second = client.post(form_action(html), data=data)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_errors_are_tied_to_fields(client, surveys):
    _sid, location = start(client)
    response = post_page(client, location, {"priorities__1": "jobs", "priorities__2": "jobs"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="priorities-error"' in html and "Each option can be chosen only once." in html
    assert 'aria-describedby="priorities-error"' in html and 'href="#q-priorities"' in html


def test_back_keeps_answers(client, surveys):
    _sid, location = start(client)
    page2 = post_page(client, location, {"priorities__1": "health", "biggest_change": "A clinic"}).headers["Location"]
    back = post_page(client, page2, {"safety_rating": "4"}, action="back")
    html = client.get(back.headers["Location"]).get_data(as_text=True)
    assert '<option value="health" selected>' in html and "A clinic</textarea>" in html
    html = client.get(page2).get_data(as_text=True)
    assert 'value="4" checked' in html


def test_skip_logic_hides_irrelevant_questions(client, surveys):
    _sid, location = start(client)
    page2 = post_page(client, location, {"priorities__1": "health"}).headers["Location"]
    assert "I can get where I need to go by bus." not in client.get(page2).get_data(as_text=True)


def test_save_and_resume_with_code(client, surveys, app):
    sid, location = start(client)
    location = post_page(client, location, {"priorities__1": "youth"}).headers["Location"]
    saved = post_page(client, location, {}, action="save")
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'<p class="code">([A-Z0-9]+)</p>', html).group(1)
    with app.app_context():
        assert db.session.scalar(sa.select(Draft.answers).where(Draft.submission_id == sid)) == {"priorities": ["youth"]}
    fresh = app.test_client()  # another device: no cookies
    html = fresh.get("/s/community-needs/resume").get_data(as_text=True)
    response = fresh.post("/s/community-needs/resume", data={**hidden_fields(html), "code": code.lower()})
    assert response.status_code == 302 and f"/r/{sid}/2" in response.headers["Location"]
    html = fresh.post("/s/community-needs/resume", data={**hidden_fields(html), "code": "WRONG123"}).get_data(as_text=True)
    assert "We could not find that code" in html


def test_unknown_survey_and_draft_are_404(client, surveys):
    assert client.get("/s/nope").status_code == 404
    assert client.get("/s/community-needs/r/0123456789abcdef/1").status_code == 404


def test_number_in_resident_locale_format(client, surveys, app):
    _sid, location = start(client)
    location = post_page(client, location, {"priorities__1": "jobs"}).headers["Location"]
    location = post_page(client, location, {}).headers["Location"]
    response = post_page(client, location, {"years_here": "abc"})
    assert "Enter a whole number of years from 0 to 100." in response.get_data(as_text=True)
