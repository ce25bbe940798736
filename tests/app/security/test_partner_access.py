"""Issue 14, item 4: only partners write to the stakeholder network and partner priorities.

Partner surveys take answers from a partner's sign-in or token (for its own organisation), an
invitation link or token an admin made for one organisation, or an admin; the organisation is
pinned; the channel is the server's to set."""
import re
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, PartnerInvitation, Relationship, Response
from tests.conftest import make_token, make_user
from tests.forms import form_action, hidden_fields

URL = "/api/v1/surveys/partner-survey/responses"
PARTNER = {"organisation": ["rfb"], "sector": "nonprofit", "refers_to": ["clinic_east", "legal_aid"],
           "priorities": ["housing", "jobs", "health", "youth", "safety", "transport"]}
RESIDENT = {"priorities": ["housing", "transport", "jobs"], "age_band": "65_plus"}


def body(answers=None, **extra):
    return {"submission_id": uuid.uuid4().hex, "lang": "en", "answers": answers or PARTNER, **extra}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Response)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Relationship)))


def invitation_token(app, runner, organisation="tenants") -> str:
    result = runner.invoke(args=["invitations", "create", organisation])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:5000/partner/invitation/cgi_")
    return link.rsplit("/", 1)[1]


def test_anonymous_answers_to_a_partner_survey_are_refused(client, surveys, app):
    for _ in range(5):
        response = client.post(URL, json=body())
        assert response.status_code == 401 and "partner" in response.get_json()["message"]
    assert counts(app) == (0, 0)


@pytest.mark.parametrize("role", ["equity_lead", "facilitator"])
def test_other_roles_tokens_are_refused(client, surveys, app, role):
    response = client.post(URL, json=body(), headers=bearer(make_token(app, role)))
    assert response.status_code == 403
    assert counts(app) == (0, 0)


def test_a_bad_token_is_refused(client, surveys, app):
    assert client.post(URL, json=body(), headers=bearer("cg_nonsense")).status_code == 401
    assert client.post(URL, json=body(), headers=bearer("cgi_nonsense")).status_code == 401


def test_a_partners_token_answers_for_its_own_organisation_only(client, surveys, app):
    make_user(app, "partner", "p@tenants.example", stakeholder_id="tenants")
    token = make_token(app, "partner", "p@tenants.example")
    response = client.post(URL, json=body(channel="paper"), headers=bearer(token))  # claims rfb, and paper
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        assert db.session.get(Response, response.get_json()["id"]).channel == "api"
        sources = set(db.session.scalars(sa.select(Relationship.source_id)))
    assert sources == {"tenants"}


def test_a_partner_account_without_an_organisation_is_refused(client, surveys, app):
    make_user(app, "partner", "p@nowhere.example")
    response = client.post(URL, json=body(), headers=bearer(make_token(app, "partner", "p@nowhere.example")))
    assert response.status_code == 403


def test_an_invitation_token_pins_its_organisation(client, surveys, app, runner):
    token = invitation_token(app, runner, "tenants")
    response = client.post(URL, json=body(), headers=bearer(token))
    assert response.status_code == 201
    with app.app_context():
        assert set(db.session.scalars(sa.select(Relationship.source_id))) == {"tenants"}


def test_a_revoked_invitation_no_longer_opens_anything(client, surveys, app, runner):
    token = invitation_token(app, runner, "tenants")
    assert runner.invoke(args=["invitations", "revoke", "tenants"]).output.startswith("revoked 1")
    assert client.post(URL, json=body(), headers=bearer(token)).status_code == 401
    assert client.get(f"/partner/invitation/{token}").status_code == 404
    assert counts(app) == (0, 0)


def test_an_admin_may_answer_for_any_organisation_and_set_the_channel(client, surveys, app):
    response = client.post(URL, json=body(channel="paper"), headers=bearer(make_token(app, "admin")))
    assert response.status_code == 201
    with app.app_context():
        assert db.session.get(Response, response.get_json()["id"]).channel == "paper"
        assert set(db.session.scalars(sa.select(Relationship.source_id))) == {"rfb"}


@pytest.mark.parametrize("claimed", ["paper", "import", "web"])
def test_anonymous_resident_answers_are_recorded_as_api(client, surveys, app, claimed):
    response = client.post("/api/v1/surveys/community-needs/responses", json=body(RESIDENT, channel=claimed))
    assert response.status_code == 201
    with app.app_context():
        assert db.session.get(Response, response.get_json()["id"]).channel == "api"


def test_resident_surveys_stay_open_to_everyone(client, surveys):
    assert client.get("/s/community-needs").status_code == 200
    assert client.post("/api/v1/surveys/community-needs/responses", json=body(RESIDENT)).status_code == 201


def test_the_partner_web_form_asks_for_sign_in(client, surveys, app):
    response = client.get("/s/partner-survey")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/v1/surveys/partner-survey").status_code == 200  # reading the definition is fine


def test_another_staff_role_cannot_open_the_partner_form(client, surveys, auth):
    auth.login("equity_lead")
    assert client.get("/s/partner-survey").status_code == 403


def walk_partner_form(client, organisation_posted: str):
    html = client.get("/s/partner-survey").get_data(as_text=True)
    assert "consent" in html
    location = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"}).headers["Location"]
    for data in ({"organisation": organisation_posted, "sector": "nonprofit"}, {"refers_to": ["legal_aid"]},
                 {f"priorities__{i}": key for i, key in enumerate(["housing", "safety", "jobs", "health", "youth",
                                                                   "transport"], 1)}):
        html = client.get(location).get_data(as_text=True)
        response = client.post(form_action(html), data={**hidden_fields(html), **data, "action": "next"})
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
    assert "/done/" in location


def test_an_invitation_link_opens_the_form_for_its_organisation(client, surveys, app, runner):
    token = invitation_token(app, runner, "tenants")
    response = client.get(f"/partner/invitation/{token}")
    assert response.status_code == 302 and response.headers["Location"].split("?")[0].endswith("/s/partner-survey")
    walk_partner_form(client, organisation_posted="rfb")  # tries to speak for another organisation
    with app.app_context():
        assert set(db.session.scalars(sa.select(Relationship.source_id))) == {"tenants"}
        assert db.session.scalar(sa.select(Response.channel)) == "web"


def test_a_signed_in_partner_answers_for_its_organisation(client, surveys, app, auth):
    make_user(app, "partner", "p@nga.example", stakeholder_id="nga")
    auth.login("partner", "p@nga.example")
    walk_partner_form(client, organisation_posted="rfb")
    with app.app_context():
        assert set(db.session.scalars(sa.select(Relationship.source_id))) == {"nga"}


def test_admins_make_and_revoke_invitation_links(client, surveys, app, auth):
    auth.login("admin")
    html = client.get("/admin/invitations").get_data(as_text=True)
    response = client.post("/admin/invitations", data={**hidden_fields(html), "organisation": "library"})
    assert response.status_code == 201
    link = re.search(r'<code id="invitation-link">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        invitation = db.session.scalar(sa.select(PartnerInvitation))
        assert invitation.stakeholder_id == "library" and token not in invitation.token_hash
        assert invitation.prefix == token[:10]
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "invitation_create"))
        invitation_id = invitation.id
    listing = client.get("/admin/invitations").get_data(as_text=True)
    assert token not in listing and token[:10] in listing
    assert client.post("/admin/invitations", data={**hidden_fields(html), "organisation": "nope"}).status_code == 422
    client.post(f"/admin/invitations/{invitation_id}/revoke", data=hidden_fields(listing, 1))
    with app.app_context():
        assert db.session.get(PartnerInvitation, invitation_id).revoked_at is not None
    fresh = app.test_client()
    assert fresh.get(f"/partner/invitation/{token}").status_code == 404


def test_revoking_a_link_ends_the_browser_session_it_opened(client, surveys, app, runner):
    token = invitation_token(app, runner, "tenants")
    client.get(f"/partner/invitation/{token}")
    assert client.get("/s/partner-survey").status_code == 200
    runner.invoke(args=["invitations", "revoke", "tenants"])
    assert client.get("/s/partner-survey").status_code == 302
