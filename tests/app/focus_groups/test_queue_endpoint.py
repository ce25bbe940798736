"""The JSON endpoint facilitate.js sends its offline queue to: the signed-in session, the CSRF token
in X-CSRFToken, idempotent by client id."""
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Contribution
from tests.app.focus_groups.helpers import create_session_page, form_fields


@pytest.fixture
def session_page(client, auth, surveys):
    """(group id, CSRF token) for a session the signed-in facilitator created."""
    auth.login("facilitator")
    group_id = create_session_page(client)
    html = client.get(f"/facilitate/{group_id}").get_data(as_text=True)
    assert f'data-endpoint="/facilitate/{group_id}/contributions.json"' in html and "facilitate.js" in html
    return group_id, form_fields(html, f"/facilitate/{group_id}/contributions")["c-csrf_token"]


def send(client, group_id, token, body):
    return client.post(f"/facilitate/{group_id}/contributions.json", json=body,
                       headers={"X-CSRFToken": token} if token else {})


def stored(app):
    with app.app_context():
        return db.session.scalars(sa.select(Contribution.text)).all()


def test_first_send_201_then_200_with_the_same_id(client, app, session_page):
    group_id, token = session_page
    body = {"client_id": uuid.uuid4().hex, "kind": "quote", "text": "Typed while offline", "themes": ["food"]}
    first = send(client, group_id, token, body)
    again = send(client, group_id, token, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert stored(app) == ["Typed while offline"]


def test_without_the_csrf_header_nothing_is_stored(client, app, session_page):
    group_id, _token = session_page
    response = send(client, group_id, None, {"client_id": uuid.uuid4().hex, "text": "Forged"})
    assert response.status_code == 400 and stored(app) == []


@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "text"),
    ({"text": "Hi", "participant": "P5"}, "participant"),
    ({"text": "Hi", "client_id": "x"}, "client_id"),
])
def test_bad_input_is_422_per_field(client, app, session_page, body, field):
    group_id, token = session_page
    response = send(client, group_id, token, {"client_id": uuid.uuid4().hex, **body})
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert stored(app) == []


def test_not_json_is_400(client, session_page):
    group_id, token = session_page
    response = client.post(f"/facilitate/{group_id}/contributions.json", data=b"[1, 2",
                           headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert response.status_code == 400
