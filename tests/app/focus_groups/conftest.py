"""Fixtures for the focus-group tests."""
import pytest

from tests.app.focus_groups.helpers import api_contribution, api_participant, api_session, api_vote, post_form
from tests.conftest import make_token


@pytest.fixture
def filled(client, auth, app, surveys):
    """One session through the API (three participants, words, votes) and, through the admin's
    pages, a mention on P2's words and a tie between two organisations."""
    token = make_token(app, "facilitator")
    group = api_session(client, token, date="2026-04-02")
    api_participant(client, token, group, "P1", {"age_band": "25_44", "gender": "woman"})
    api_participant(client, token, group, "P2", {"age_band": "65_plus", "gender": "man"})
    api_participant(client, token, group, "P3", {"age_band": "25_44"})
    api_contribution(client, token, group, "Buses stop at nine.", "P1", ["buses"])
    p2_words = api_contribution(client, token, group, "The tenants' union helped me.", "P2", ["housing"])
    api_contribution(client, token, group, "Room agreed on housing first.", None, (), kind="note")
    api_vote(client, token, group, {"priority": "housing", "votes": 6})
    api_vote(client, token, group, {"priority": "jobs", "votes": 2})
    api_vote(client, token, group, {"participant": "P1", "ranking": ["transport", "housing"]})
    api_vote(client, token, group, {"participant": "P2", "ranking": ["health"]})
    auth.login("admin")
    page = f"/facilitate/{group}"
    post_form(client, page, f"{page}/mentions", {"m-stakeholder": "tenants", "m-contribution": str(p2_words)})
    post_form(client, page, f"{page}/mentions", {"m-stakeholder": "rfb"})
    post_form(client, page, f"{page}/relationships",
              {"r-source": "tenants", "r-target": "legal_aid", "r-type": "referral"})
    return {"group": group, "token": token}
