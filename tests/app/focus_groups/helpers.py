"""Helpers for the focus-group tests: forms read like a browser with JavaScript off, and a
session filled through the API."""
from __future__ import annotations

import uuid

from tests.forms import form_action, hidden_fields

#: A participant's demographics as the API takes them (dimension → category).
DEMOGRAPHICS = {"age_band": "25_44", "gender": "woman", "language": "spanish", "neighbourhood": "eastfield"}


def form_fields(html: str, action: str) -> dict:
    """The hidden fields (CSRF token, client id) of the form on the page that posts to `action`."""
    index = 0
    while True:
        try:
            found = form_action(html, index)
        except IndexError:
            raise AssertionError(f"no form posts to {action}") from None
        if found == action:
            return hidden_fields(html, index)
        index += 1


def post_form(client, page: str, action: str, data: dict):
    """Open `page`, then post the form that goes to `action` with `data` added to its hidden fields."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action, data={**form_fields(html, action), **data})


def create_session_page(client, **overrides) -> int:
    """A session made through the facilitator's form; returns its id."""
    data = {"title": "Eastfield evening", "date": "2026-03-14", "place": "Eastfield Library", "lang": "es",
            "host": "rfb", "survey": "community-needs", **overrides}
    response = post_form(client, "/facilitate/", "/facilitate/", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def api_session(client, token: str, **overrides) -> int:
    body = {"title": "Northgate lunch", "date": "2026-04-02", "place": "Community centre", "lang": "en",
            "host": "nga", **overrides}
    response = client.post("/api/v1/focus-groups", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def api_participant(client, token: str, group_id: int, code: str, demographics=None):
    body = {"code": code, "demographics": DEMOGRAPHICS if demographics is None else demographics,
            "consent": {"version": 1, "given": True}}
    response = client.post(f"/api/v1/focus-groups/{group_id}/participants", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def api_contribution(client, token: str, group_id: int, text: str, participant=None, themes=(), kind="quote"):
    body = {"client_id": uuid.uuid4().hex, "participant": participant, "kind": kind, "text": text,
            "themes": list(themes)}
    response = client.post(f"/api/v1/focus-groups/{group_id}/contributions", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def api_vote(client, token: str, group_id: int, body: dict):
    response = client.post(f"/api/v1/focus-groups/{group_id}/votes", json=body, headers=bearer(token))
    assert response.status_code in (200, 201), response.get_json()
    return response


def withdraw_p2(client, filled):
    """Withdraw P2 of the `filled` session through the API."""
    response = client.post(f"/api/v1/focus-groups/{filled['group']}/participants/P2/withdraw",
                           headers=bearer(filled["token"]))
    assert response.status_code == 200
