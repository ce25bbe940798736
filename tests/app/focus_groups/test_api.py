"""The focus-group API end to end with tokens: 201/200/401/403/404/422, idempotent contributions."""
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, Contribution, FocusGroup, Participant, ParticipantAttribute, ThemeTag, User, Vote
from tests.app.focus_groups.helpers import DEMOGRAPHICS, api_participant, api_session, bearer
from tests.conftest import make_token

BASE = "/api/v1/focus-groups"


@pytest.fixture
def token(surveys, app):
    return make_token(app, "facilitator")


@pytest.fixture
def group(client, token):
    """A session made by the facilitator token, with P1 registered."""
    group_id = api_session(client, token)
    api_participant(client, token, group_id, "P1")
    return group_id


def post(client, token, path, body):
    return client.post(f"{BASE}{path}", json=body, headers=bearer(token))


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_create_session(client, token, app):
    response = post(client, token, "", {"title": "Northgate lunch", "date": "2026-04-02", "place": "Hall",
                                        "lang": "fr", "host": "nga"})
    assert response.status_code == 201
    with app.app_context():
        group = db.session.get(FocusGroup, response.get_json()["id"])
        creator = db.session.scalar(sa.select(User).where(User.email == "facilitator-token@example.org"))
        assert (group.title, group.lang, group.host_id) == ("Northgate lunch", "fr", "nga")
        assert group.created_by == creator.id
        assert group.survey_version_id is not None


@pytest.mark.parametrize("change, field", [
    ({"title": ""}, "title"),
    ({"date": "next Tuesday"}, "date"),
    ({"lang": "klingon"}, "lang"),
    ({"host": "no_such_org"}, "host"),
    ({"host": "nga\x00"}, "host"),  # PostgreSQL cannot even look up a NUL: refused first
    ({"survey": "no-such-survey"}, "survey"),
])
def test_create_session_422_names_the_field(client, token, app, change, field):
    body = {"title": "T", "date": "2026-04-02", "lang": "en", "host": "nga", **change}
    response = post(client, token, "", body)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert count(app, FocusGroup) == 0


@pytest.mark.parametrize("path", ["", "/1/participants", "/1/contributions", "/1/votes", "/1/participants/P1/withdraw"])
def test_no_token_is_401(client, surveys, path):
    response = client.post(f"{BASE}{path}", json={})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("role", ["equity_lead", "partner"])
def test_other_roles_are_403(client, app, surveys, role):
    response = post(client, make_token(app, role), "", {"title": "T", "date": "2026-04-02", "lang": "en"})
    assert response.status_code == 403 and count(app, FocusGroup) == 0


@pytest.mark.parametrize("path", ["/999/participants", "/999/contributions", "/999/votes",
                                  "/999/participants/P1/withdraw"])
def test_unknown_session_is_404(client, token, path):
    response = post(client, token, path, {})
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_malformed_json_is_400(client, token, group):
    response = client.post(f"{BASE}/{group}/contributions", data=b"{not json", headers=bearer(token))
    assert response.status_code == 400


def test_another_facilitators_session_is_403(client, app, token, group):
    other = make_token(app, "facilitator", "other@example.org")
    response = post(client, other, f"/{group}/participants", {"code": "P2", "consent": {"version": 1, "given": True}})
    assert response.status_code == 403 and count(app, Participant) == 1


def test_admin_writes_to_any_session(client, app, group):
    admin = make_token(app, "admin")
    response = post(client, admin, f"/{group}/participants", {"code": "P2", "consent": {"version": 1, "given": True}})
    assert response.status_code == 201 and count(app, Participant) == 2


def test_register_participant_with_demographics(client, token, app, group):
    response = post(client, token, f"/{group}/participants",
                    {"code": "p2", "demographics": {"age_band": "65_plus", "disability": "no"},
                     "consent": {"version": 1, "given": True}})
    assert response.status_code == 201 and response.get_json()["code"] == "P2"
    with app.app_context():
        participant = db.session.get(Participant, response.get_json()["id"])
        attrs = {a.dimension: a.category for a in db.session.scalars(
            sa.select(ParticipantAttribute).where(ParticipantAttribute.participant_id == participant.id))}
        assert attrs == {"age_band": "65_plus", "disability": "no"}
        assert (participant.consent_given, participant.consent_version) == (True, 1)


@pytest.mark.parametrize("body, field", [
    ({"code": "P1"}, "code"),  # used twice in one session
    ({"code": "P2", "demographics": {"age_band": "ancient"}}, "demographics.age_band"),
    ({"code": "P2", "demographics": {"shoe_size": "44"}}, "demographics.shoe_size"),
    ({"code": "P2", "consent": {"version": 1, "given": False}}, "consent"),
    ({"code": "P2", "consent": None}, "consent"),
    ({"code": "has space"}, "code"),
])
def test_register_participant_422(client, token, app, group, body, field):
    body = {"demographics": DEMOGRAPHICS, "consent": {"version": 1, "given": True}, **body}
    response = post(client, token, f"/{group}/participants", body)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert count(app, Participant) == 1


def test_contribution_is_idempotent_by_client_id(client, token, app, group):
    body = {"client_id": uuid.uuid4().hex, "participant": "P1", "kind": "quote", "text": "Buses stop at nine.",
            "themes": ["buses"]}
    first = post(client, token, f"/{group}/contributions", body)
    again = post(client, token, f"/{group}/contributions", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert count(app, Contribution) == 1 and count(app, ThemeTag) == 1
    with app.app_context():
        tag = db.session.scalar(sa.select(ThemeTag))
        user = db.session.scalar(sa.select(User).where(User.email == "facilitator-token@example.org"))
        assert (tag.theme, tag.coder, tag.status) == ("buses", f"user:{user.id}", "accepted")


@pytest.mark.parametrize("change, field", [
    ({"themes": ["buses", "unicorns"]}, "themes"),
    ({"participant": "P9"}, "participant"),
    ({"participant": "P1\x00"}, "participant"),
    ({"kind": "rumour"}, "kind"),
    ({"text": "   "}, "text"),
    ({"client_id": "short"}, "client_id"),
])
def test_contribution_422(client, token, app, group, change, field):
    body = {"client_id": uuid.uuid4().hex, "kind": "note", "text": "Something", **change}
    response = post(client, token, f"/{group}/contributions", body)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert count(app, Contribution) == 0


def test_client_id_of_another_session_is_422(client, token, app, group):
    body = {"client_id": uuid.uuid4().hex, "kind": "note", "text": "Once"}
    assert post(client, token, f"/{group}/contributions", body).status_code == 201
    other = api_session(client, token)
    response = post(client, token, f"/{other}/contributions", body)
    assert response.status_code == 422 and "client_id" in response.get_json()["errors"]


def test_dot_vote_sets_the_count(client, token, app, group):
    first = post(client, token, f"/{group}/votes", {"priority": "housing", "votes": 5})
    recount = post(client, token, f"/{group}/votes", {"priority": "housing", "votes": 6})
    assert (first.status_code, recount.status_code) == (201, 200)
    with app.app_context():
        assert [(v.priority, v.votes) for v in db.session.scalars(sa.select(Vote))] == [("housing", 6)]


def test_ranking_replaces_the_participants_ranking(client, token, app, group):
    first = post(client, token, f"/{group}/votes", {"participant": "P1", "ranking": ["jobs", "housing"]})
    second = post(client, token, f"/{group}/votes", {"participant": "P1", "ranking": ["youth", "jobs", "health"]})
    assert (first.status_code, second.status_code) == (201, 200)
    with app.app_context():
        ranks = {v.priority: v.rank for v in db.session.scalars(sa.select(Vote))}
        assert ranks == {"youth": 1, "jobs": 2, "health": 3}


@pytest.mark.parametrize("body, field", [
    ({"priority": "moon_base", "votes": 3}, "priority"),
    ({"priority": ["housing"], "votes": 3}, "priority"),
    ({"votes": 3}, "priority"),
    ({"priority": "housing", "votes": -1}, "votes"),
    ({"priority": "housing", "votes": True}, "votes"),
    ({"participant": "P9", "ranking": ["housing"]}, "participant"),
    ({"participant": "P1", "ranking": ["housing", "moon_base"]}, "ranking"),
    ({"participant": "P1", "ranking": ["housing", "housing"]}, "ranking"),
    ({"participant": "P1", "ranking": []}, "ranking"),
])
def test_votes_422(client, token, app, group, body, field):
    response = post(client, token, f"/{group}/votes", body)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert count(app, Vote) == 0


def test_withdraw_participant(client, token, app, group):
    response = post(client, token, f"/{group}/participants/P1/withdraw", {})
    again = post(client, token, f"/{group}/participants/p1/withdraw", {})
    assert (response.status_code, again.status_code) == (200, 200)
    assert response.get_json()["withdrawn_at"] == again.get_json()["withdrawn_at"]
    assert count(app, AuditEvent, AuditEvent.action == "withdraw") == 1


def test_withdraw_unknown_participant_is_404(client, token, group):
    assert post(client, token, f"/{group}/participants/P7/withdraw", {}).status_code == 404


def test_withdrawn_participant_cannot_be_credited(client, token, app, group):
    post(client, token, f"/{group}/participants/P1/withdraw", {})
    response = post(client, token, f"/{group}/contributions",
                    {"client_id": uuid.uuid4().hex, "participant": "P1", "kind": "quote", "text": "Late words"})
    assert response.status_code == 422 and "withdrawn" in response.get_json()["errors"]["participant"]
