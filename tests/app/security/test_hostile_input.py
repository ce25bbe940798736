"""Hostile input gets a 4xx that says what is wrong, never a 500, and nothing is stored
(issue 14, item 2). Each test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, where
NUL characters and out-of-range ids used to fail inside the database."""
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, AuditEvent, Draft, RateCounter, Response, Stakeholder
from tests.conftest import make_token
from tests.forms import form_action, hidden_fields

URL = "/api/v1/surveys/community-needs/responses"
GOOD = {"priorities": ["housing", "transport", "jobs"], "biggest_change": "More buses at night",
        "bus_often": "disagree", "age_band": "65_plus", "years_here": 4, "recommend": True}


def stored(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Response, Answer, Draft))


def raw_body(answers_json: str) -> str:
    return '{"submission_id": "%s", "lang": "en", "answers": %s}' % (uuid.uuid4().hex, answers_json)


def good_json(**extra) -> str:
    import json
    text = json.dumps(GOOD)[:-1]
    return text + "".join(f', "{k}": {v}' for k, v in extra.items()) + "}"


@pytest.mark.parametrize("answers_json, says", [
    ('{"years_here": 1e400}', "finite"),
    ('{"years_here": Infinity}', "finite"),
    ('{"years_here": -Infinity}', "finite"),
    ('{"years_here": NaN}', "finite"),
    ('{"years_here": 1%s}' % ("0" * 400), "finite"),
    ('{"x": %s1%s}' % ("[" * 100_000, "]" * 100_000), "nested too deeply"),
    ('{"x": %s1%s}' % ("[" * 40, "]" * 40), "nested too deeply"),
])
def test_json_that_cannot_be_stored_is_a_clear_400(client, surveys, app, answers_json, says):
    response = client.post(URL, data=raw_body(answers_json), content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert says in response.get_json()["message"]
    assert stored(app) == (0, 0, 0)


@pytest.mark.parametrize("answers_json", ['{"biggest_change": "a\\ud800b"}', '{"biggest_change": "a\\u0000b"}',
                                          '{"bad\\u0000key": 1}', '{"biggest_change": "\\udc00"}'])
def test_json_text_that_cannot_be_stored_is_a_422_naming_the_field(client, surveys, app, answers_json):
    response = client.post(URL, data=raw_body(answers_json), content_type="application/json")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "cannot be stored" in response.get_json()["errors"]["answers"]
    assert stored(app) == (0, 0, 0)


def test_unstorable_text_in_an_import_row_names_the_row(client, surveys, app):
    rows = [{"id": "ok-org", "name": "Fine", "sector": "other"}, {"id": "bad-org", "name": "Bad\x00", "sector": "other"}]
    response = client.post("/api/v1/stakeholders", json=rows, headers={"Authorization": f"Bearer {make_token(app, 'admin')}"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"row": 1, "field": "name", "message": response.get_json()["message"]}]
    with app.app_context():
        assert db.session.get(Stakeholder, "ok-org") is None


def test_the_message_is_in_the_senders_language(client, surveys):
    response = client.post(URL, data=raw_body('{"years_here": Infinity}'), content_type="application/json",
                           headers={"Accept-Language": "es"})
    assert response.status_code == 400 and "finite" not in response.get_json()["message"]


def test_ordinary_json_still_stores(client, surveys, app):
    response = client.post(URL, data=raw_body(good_json(biggest_change='"caf\\u00e9 \\ud83d\\ude00"')),
                           content_type="application/json")
    assert response.status_code == 201
    assert stored(app)[0] == 1


def test_json_sent_as_a_form_content_type_is_still_read(client, surveys, app):
    """curl -d sends JSON as application/x-www-form-urlencoded; the form check must not eat it."""
    response = client.post(URL, data=raw_body(good_json()), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201


@pytest.mark.parametrize("path", [
    "/api/v1/surveys/%00", "/api/v1/surveys?lang=%00", "/reports/representation?survey=%00",
    "/api/v1/reports/representation?survey=%00", "/s/%00", "/s/community-needs?lang=%00",
    "/s/community-needs/r/%00/1", "/login?next=%00",
])
def test_nul_in_path_or_query_is_a_clear_400(client, surveys, auth, path):
    auth.login("admin")
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 400, (path, response.status_code)
    assert "cannot be stored" in response.get_json()["message"]


def test_nul_in_a_resident_answer_is_refused_and_nothing_is_saved(client, surveys, app):
    html = client.get("/s/community-needs").get_data(as_text=True)
    page = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"}).headers["Location"]
    html = client.get(page).get_data(as_text=True)
    before = stored(app)
    response = client.post(page, data={**hidden_fields(html), "biggest_change": "a\x00b", "action": "next"})
    assert response.status_code == 400 and "cannot be stored" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Draft.answers)) == {}
    assert stored(app) == before


def test_nul_in_an_admin_form_is_refused(client, surveys, app, auth):
    auth.login("admin")
    html = client.get("/admin/stakeholders/new").get_data(as_text=True)
    response = client.post("/admin/stakeholders/new", data={
        **hidden_fields(html), "id": "nul-org", "name": "Evil\x00 org", "sector": "nonprofit"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Stakeholder, "nul-org") is None


@pytest.mark.parametrize("path", ["/api/v1/surveys?lang=%ED%A0%80", "/s/community-needs?lang=%ED%A0%80",
                                  "/api/v1/surveys/%ED%A0%80"])
def test_encoded_surrogates_in_a_url_are_never_a_500(client, surveys, path):
    # Werkzeug decodes invalid UTF-8 as U+FFFD, so only JSON escapes can carry a lone surrogate.
    assert client.get(path).status_code in (200, 404)


@pytest.mark.parametrize("path, method", [
    ("/api/v1/focus-groups/99999999999999999999/participants", "POST"),
    ("/api/v1/focus-groups/9223372036854775808/votes", "POST"),
    ("/api/v1/focus-groups/%s/contributions" % ("9" * 5000), "POST"),
    ("/admin/users/99999999999999999999", "GET"),
    ("/facilitate/99999999999999999999", "GET"),
    ("/admin/relationships/99999999999999999999/delete", "POST"),
])
def test_ids_beyond_64_bits_are_404(app, client, auth, path, method):
    token = make_token(app, "admin")
    auth.login("admin")
    response = client.open(path, method=method, json={} if path.startswith("/api/") else None,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404, response.status_code


@pytest.mark.parametrize("user_id", [2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64])
def test_ids_past_the_id_columns_are_404(app, client, auth, user_id):
    auth.login("admin")
    assert client.get(f"/admin/users/{user_id}").status_code == 404
    assert client.post(f"/api/v1/focus-groups/{user_id}/votes", json={},
                       headers={"Authorization": "Bearer " + make_token(app, "admin")}).status_code == 404


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=9999-12-31&to=9999-12-31"])
def test_dates_at_the_end_of_the_calendar_are_a_filter_error(client, surveys, auth, query):
    auth.login("equity_lead")
    for report in ("representation", "themes", "alignment", "network"):
        response = client.get(f"/api/v1/reports/{report}?{query}")
        assert response.status_code == 400, (report, response.status_code)
    html = client.get(f"/reports/representation?{query}")
    assert html.status_code in (200, 400) and "2026-03-31" in html.get_data(as_text=True)


def test_a_very_long_login_email_is_a_plain_failure(app, client):
    email = "x" * 300 + "@example.org"
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={**hidden_fields(html), "email": email, "password": "whatever"})
    assert response.status_code == 401
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "login_failed")) == email[:200]
        # The sign-in limiter counts the account under a digest of fixed length.
        assert all(len(key) < 255 for key in db.session.scalars(sa.select(RateCounter.key)))


def test_submission_id_with_a_trailing_newline_is_refused(client, surveys, app):
    response = client.post(URL, json={"submission_id": "abcdefgh12\n", "answers": GOOD})
    assert response.status_code == 422 and "submission_id" in response.get_json()["errors"]
    html = client.get("/s/community-needs").get_data(as_text=True)
    fields = {**hidden_fields(html), "submission_id": "abcdefgh12\n", "consent": "yes"}
    response = client.post(form_action(html), data=fields)
    assert response.status_code == 200  # the start page again, nothing made
    assert stored(app) == (0, 0, 0)
