"""POST /api/v1/stakeholders and /api/v1/relationships: admin tokens, all or nothing, the import's checks."""
import datetime as dt

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent
from tests.app.stakeholders.helpers import registry, ties
from tests.conftest import make_token

STAKEHOLDERS = "/api/v1/stakeholders"
RELATIONSHIPS = "/api/v1/relationships"
RFB = {"id": "rfb", "name": "Riverton Food Bank", "sector": "nonprofit", "kind": "food bank",
       "neighbourhood": "eastfield", "contact": "Jo Bloggs, 555 0100"}
CITY = {"id": "city", "name": "City Council", "sector": "government"}


@pytest.fixture
def admin(app):
    return {"Authorization": f"Bearer {make_token(app, 'admin')}"}



def test_one_object_creates_one_stakeholder(client, app, admin):
    response = client.post(STAKEHOLDERS, json=RFB, headers=admin)
    assert response.status_code == 201
    assert response.get_json() == {"created": 1, "updated": 0, "ids": ["rfb"], "notes": []}
    assert registry(app)["rfb"] == ("Riverton Food Bank", "nonprofit", "food bank", "eastfield", "Jo Bloggs, 555 0100")


def test_an_array_creates_and_updates(client, app, admin):
    client.post(STAKEHOLDERS, json=RFB, headers=admin)
    response = client.post(STAKEHOLDERS, json=[CITY, {"id": "rfb", "name": "Food Bank", "sector": "nonprofit"}],
                           headers=admin)
    assert response.status_code == 201
    assert response.get_json() == {"created": 1, "updated": 1, "ids": ["city", "rfb"], "notes": []}
    # Fields left out of an update keep their values.
    assert registry(app)["rfb"] == ("Food Bank", "nonprofit", "food bank", "eastfield", "Jo Bloggs, 555 0100")


def test_unknown_fields_are_ignored_with_a_note(client, app, admin):
    response = client.post(STAKEHOLDERS, json={**CITY, "website": "city.gov"}, headers=admin)
    assert response.status_code == 201
    assert response.get_json()["notes"] == ["field 'website' is not used and was ignored"]


def test_the_response_never_carries_contact_details(client, admin):
    response = client.post(STAKEHOLDERS, json=[RFB], headers=admin)
    assert "Jo Bloggs" not in response.get_data(as_text=True)


@pytest.mark.parametrize("body, error", [
    ([CITY, {**RFB, "sector": "churh"}], {"row": 1, "field": "sector", "message":
     "sector 'churh' is not one of nonprofit, government, business, education, health, faith, "
     "resident_association, funder, other"}),
    ([CITY, {"name": "No id", "sector": "other"}], {"row": 1, "field": "id", "message": "id is required"}),
    ([CITY, {**CITY, "name": "Again"}], {"row": 1, "field": "id", "message": "id 'city' appears again (first on row 0)"}),
    ([CITY, {**RFB, "name": 42}], {"row": 1, "field": "name", "message": "name must be text"}),
    ([CITY, "rfb"], {"row": 1, "field": None, "message": "each item must be an object"}),
    ([], {"row": None, "field": None, "message": "send one object, or an array of at least one object"}),
    ("rfb", {"row": None, "field": None, "message": "send one object, or an array of at least one object"}),
])
def test_bad_stakeholders_get_422_per_row_and_nothing_is_applied(client, app, admin, body, error):
    response = client.post(STAKEHOLDERS, json=body, headers=admin)
    assert response.status_code == 422
    assert error in response.get_json()["errors"]
    assert registry(app) == {}


def test_every_bad_row_is_reported(client, admin):
    body = [{**RFB, "sector": "x"}, CITY, {"id": "a b", "sector": "other"}]
    errors = client.post(STAKEHOLDERS, json=body, headers=admin).get_json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(0, "sector"), (2, "id"), (2, "name")]


def test_malformed_json_is_400(client, admin):
    response = client.post(STAKEHOLDERS, data=b"{not json", headers={**admin, "Content-Type": "application/json"})
    assert response.status_code == 400


def test_api_import_is_audited_with_the_token_owner(client, app, admin):
    client.post(STAKEHOLDERS, json=[RFB, CITY], headers=admin)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
        assert event.user_id is not None and event.details == {"via": "api", "created": 2, "updated": 0}


@pytest.mark.parametrize("role", ["equity_lead", "facilitator", "partner"])
def test_other_roles_tokens_are_refused(client, app, role):
    headers = {"Authorization": f"Bearer {make_token(app, role)}"}
    assert client.post(STAKEHOLDERS, json=RFB, headers=headers).status_code == 403
    assert client.post(RELATIONSHIPS, json={}, headers=headers).status_code == 403
    assert registry(app) == {}


def test_no_token_is_401(client, app):
    assert client.post(STAKEHOLDERS, json=RFB).status_code == 401


@pytest.fixture
def registered(client, admin):
    client.post(STAKEHOLDERS, json=[RFB, CITY, {"id": "school", "name": "Hill School", "sector": "education"}],
                headers=admin)


def test_relationships_are_created(client, app, admin, registered):
    body = [{"source": "rfb", "target": "city", "type": "referral"},
            {"source": "city", "target": "rfb", "type": "funding", "weight": 2.5, "date": "2026-03-01"}]
    response = client.post(RELATIONSHIPS, json=body, headers=admin)
    assert response.status_code == 201
    data = response.get_json()
    assert (data["created"], data["updated"], len(data["ids"])) == (2, 0, 2)
    assert ties(app) == [("rfb", "city", "referral", 1.0, None, "import"),
                         ("city", "rfb", "funding", 2.5, dt.date(2026, 3, 1), "import")]


def test_a_relationship_sent_again_is_updated(client, app, admin, registered):
    first = client.post(RELATIONSHIPS, json={"source": "rfb", "target": "city", "type": "referral"}, headers=admin)
    again = client.post(RELATIONSHIPS, json={"source": "rfb", "target": "city", "type": "referral", "weight": "3"},
                        headers=admin)
    assert again.get_json() == {"created": 0, "updated": 1, "ids": first.get_json()["ids"], "notes": []}
    assert ties(app) == [("rfb", "city", "referral", 3.0, None, "import")]


@pytest.mark.parametrize("bad, field, message", [
    ({"target": "xyz"}, "target", "target 'xyz' is not in the registry"),
    ({"type": "gossip"}, "type", "type 'gossip' is not one of referral, shared_data, joint_programme, funding, communication"),
    ({"weight": 0}, "weight", "weight must be a number more than 0, not '0'"),
    ({"weight": True}, "weight", "weight 'True' is not a number (write decimals with a dot: 2.5)"),
    ({"date": "2026-3-1"}, "date", "date '2026-3-1' is not a date in the form YYYY-MM-DD"),
    ({"date": 20260301}, "date", "date '20260301' is not a date in the form YYYY-MM-DD"),
    ({"source": None}, "source", "source is required"),
])
def test_bad_relationships_get_422_and_nothing_is_applied(client, app, admin, registered, bad, field, message):
    good = {"source": "rfb", "target": "city", "type": "referral"}
    response = client.post(RELATIONSHIPS, json=[good, {**good, "type": "shared_data", **bad}], headers=admin)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"row": 1, "field": field, "message": message}]
    assert ties(app) == []
