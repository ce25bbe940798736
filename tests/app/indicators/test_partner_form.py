"""The partner's web form for reported values: its own indicators only, errors by field, nothing
stored on a mistake."""
import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.indicators.loader import load_indicators
from app.models import IndicatorValue
from tests.conftest import SURVEYS_DIR, Auth, make_user
from tests.forms import hidden_fields


@pytest.fixture
def loaded(surveys):
    with surveys.app_context():
        load_indicators(SURVEYS_DIR / "indicators", SURVEYS_DIR)
    return surveys


def signed_in(app, email, stakeholder_id):
    make_user(app, "partner", email, stakeholder_id=stakeholder_id)
    client = app.test_client()
    Auth(app, client).login("partner", email)
    return client


def post(client, **fields):
    token = hidden_fields(client.get("/partner/indicators/").get_data(as_text=True))["csrf_token"]
    return client.post("/partner/indicators/", data={"csrf_token": token, **fields})


def values(app):
    with app.app_context():
        return [(v.period, v.value, v.partner_id, v.via) for v in db.session.scalars(sa.select(IndicatorValue))]


def test_a_partner_reports_its_own_indicator(loaded):
    client = signed_in(loaded, "rfb@example.org", "rfb")
    page = client.get("/partner/indicators/").get_data(as_text=True)
    assert "Households reached by food programmes" in page and "Residents who feel safe" not in page
    response = post(client, indicator="households_fed", period="2025-07", geography="", value="455",
                    source="Monthly returns")
    assert response.status_code == 302
    assert values(loaded) == [("2025-07", 455.0, "rfb", "form")]
    assert "455" in client.get("/partner/indicators/").get_data(as_text=True)


def test_mistakes_are_shown_by_field_in_the_readers_language_and_nothing_is_stored(loaded):
    client = signed_in(loaded, "rfb@example.org", "rfb")
    client.get("/?lang=es")
    response = post(client, indicator="households_fed", period="2025-Q3", geography="", value="muchos")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "no es un month escrito como 2025-07" in page
    assert "no es un número" in page
    assert values(loaded) == []


def test_another_organisations_indicator_is_403(loaded):
    client = signed_in(loaded, "tenants@example.org", "tenants")
    assert "Your organisation reports no indicators yet" in client.get("/partner/indicators/").get_data(as_text=True)
    assert post(client, indicator="households_fed", period="2025-07", value="1").status_code == 403
    assert values(loaded) == []
