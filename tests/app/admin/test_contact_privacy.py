"""Contact details reach admins only: no other role reaches the admin pages, and no other page,
form or API answer carries them."""
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Stakeholder
from tests.conftest import make_token, make_user

CONTACT = "Jo Bloggs, jo.private@rfb.example, 555 0100"
ADMIN_PAGES = ["/admin/", "/admin/stakeholders", "/admin/stakeholders/rfb/edit", "/admin/stakeholders/rfb/delete",
               "/admin/relationships", "/admin/relationships/new", "/admin/users", "/admin/users/new", "/admin/audit"]


@pytest.fixture
def with_contact(surveys):
    with surveys.app_context():
        db.session.get(Stakeholder, "rfb").contact = CONTACT
        db.session.commit()
    return surveys


@pytest.mark.parametrize("role", ["equity_lead", "facilitator", "partner"])
def test_other_roles_cannot_open_admin_pages(with_contact, auth, client, role):
    auth.login(role)
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "jo.private" not in response.get_data(as_text=True)


def test_admins_see_the_contact(with_contact, auth, client):
    auth.login("admin")
    assert "jo.private@rfb.example" in client.get("/admin/stakeholders").get_data(as_text=True)
    assert "jo.private@rfb.example" in client.get("/admin/stakeholders/rfb/edit").get_data(as_text=True)


def test_partner_page_does_not_show_its_own_contact(with_contact, auth, client, app):
    make_user(app, "partner", "p@rfb.example", stakeholder_id="rfb")
    auth.login("partner", "p@rfb.example")
    html = client.get("/partner/").get_data(as_text=True)
    assert "Riverton Food Bank" in html and "jo.private" not in html


def test_partner_survey_form_and_definition_do_not_carry_contacts(with_contact, client):
    html = client.get("/s/partner-survey").get_data(as_text=True)
    assert "jo.private" not in html
    assert "jo.private" not in client.get("/api/v1/surveys/partner-survey").get_data(as_text=True)


def test_partner_survey_page_of_organisations_does_not_carry_contacts(with_contact, client, auth):
    from tests.forms import form_action, hidden_fields
    auth.login("admin")
    html = client.get("/s/partner-survey").get_data(as_text=True)
    location = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"}).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Riverton Food Bank" in page and "jo.private" not in page


def test_no_api_answer_carries_contacts(with_contact, client, app):
    token = {"Authorization": f"Bearer {make_token(app, 'admin')}"}
    stakeholder = {"id": "rfb", "name": "Riverton Food Bank", "sector": "nonprofit", "contact": CONTACT}
    answers = [
        client.post("/api/v1/stakeholders", json=stakeholder, headers=token),
        client.post("/api/v1/stakeholders", json={**stakeholder, "sector": "bad"}, headers=token),
        client.post("/api/v1/relationships", json={"source": "rfb", "target": "city_housing", "type": "referral"},
                    headers=token),
        client.get("/api/v1/surveys", headers=token),
        client.post("/api/v1/surveys/partner-survey/responses", json={
            "submission_id": uuid.uuid4().hex, "answers": {"organisation": ["rfb"], "sector": "nonprofit",
                                                           "priorities": ["housing"]}}),
    ]
    for response in answers:
        assert response.status_code < 500
        assert "jo.private" not in response.get_data(as_text=True)
    with app.app_context():  # and the contact is still stored
        assert db.session.scalar(sa.select(Stakeholder.contact).where(Stakeholder.id == "rfb")) == CONTACT
