"""The indicators API: reads, reported values all or nothing, partners on their own indicators only,
the scorecard export, and the access matrix of these routes."""
import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.core.extensions import db
from app.indicators.loader import load_indicators
from app.models import IndicatorValue
from tests.app.indicators.helpers import add_many
from tests.conftest import SURVEYS_DIR, make_token, make_user


@pytest.fixture
def loaded(surveys):
    with surveys.app_context():
        load_indicators(SURVEYS_DIR / "indicators", SURVEYS_DIR)
    return surveys


def bearer(app, role, **kw):
    email = kw.pop("email", None)
    if kw.get("stakeholder_id"):
        make_user(app, role, email, stakeholder_id=kw["stakeholder_id"])
    return {"Authorization": f"Bearer {make_token(app, role, email)}"}


def stored(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))


VALUE = {"indicator": "households_fed", "period": "2025-03", "value": 455, "source": "RFB monthly returns"}


def test_list_and_one_indicator(loaded, client):
    headers = bearer(loaded, "equity_lead")
    listed = client.get("/api/v1/indicators", headers=headers).get_json()["indicators"]
    assert [i["key"] for i in listed][:2] == ["bus_access", "feel_safe"]
    feel_safe = next(i for i in listed if i["key"] == "feel_safe")
    assert feel_safe["source"] == {"kind": "survey", "survey": "community-needs", "question": "safety_rating",
                                   "statistic": "share", "share_of": ["4", "5"], "weighted": True}
    add_many(loaded, "2025-05-01", {"safety_rating": 5}, 12)
    body = client.get("/api/v1/indicators/feel_safe?period=2025", headers=headers).get_json()
    assert set(body) >= {"key", "periods", "forecast", "baseline", "targets", "status"}
    assert body["periods"][0]["period"] == "2025" and body["periods"][0]["n"] == 12
    assert body["baseline"] == {"period": "2024", "value": 0.52}


@pytest.mark.parametrize("query, status, field", [
    ("period=2025-07", 400, "period"), ("geography=atlantis", 400, "geography"),
    ("dimension=shoe_size", 400, "dimension"), ("dimension=age_band&category=ancient", 400, "category"),
    ("category=18_24", 400, "category"),
])
def test_bad_filters_are_400_with_the_field(loaded, client, query, status, field):
    response = client.get(f"/api/v1/indicators/feel_safe?{query}", headers=bearer(loaded, "admin"))
    assert response.status_code == status and response.get_json()["field"] == field
    assert client.get("/api/v1/indicators/nope", headers=bearer(loaded, "admin")).status_code == 404


def test_posted_values_are_all_or_nothing(loaded, client):
    headers = bearer(loaded, "admin")
    bad = [VALUE, {**VALUE, "period": "2025-04", "geography": "atlantis"},
           {**VALUE, "period": "2025-5"}, {**VALUE, "period": "2025-06", "dimension": "neighbourhood",
                                           "category": "nowhere"}]
    response = client.post("/api/v1/indicators/values", json=bad, headers=headers)
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.get_json()["errors"]] == [
        (1, "geography"), (2, "period"), (3, "category")]
    assert stored(loaded) == 0
    response = client.post("/api/v1/indicators/values", json=[VALUE, {**VALUE, "period": "2025-04", "value": 470}],
                           headers=headers)
    assert response.status_code == 201 and response.get_json()["created"] == 2
    again = client.post("/api/v1/indicators/values", json={**VALUE, "value": 460}, headers=headers).get_json()
    assert (again["created"], again["updated"]) == (0, 1)
    periods = client.get("/api/v1/indicators/households_fed", headers=headers).get_json()["periods"]
    assert [(p["period"], p["value"], p["partner_reported"]) for p in periods] == [
        ("2025-03", 460.0, False), ("2025-04", 470.0, False)]
    assert periods[0]["provenance"]["source"] == "RFB monthly returns"


def test_a_partner_reports_only_its_own_indicators(loaded, client):
    own = bearer(loaded, "partner", email="rfb@example.org", stakeholder_id="rfb")
    other = bearer(loaded, "partner", email="tenants@example.org", stakeholder_id="tenants")
    refused = client.post("/api/v1/indicators/values", json=VALUE, headers=other)
    assert refused.status_code == 403 and "households_fed" in refused.get_json()["message"]
    assert stored(loaded) == 0
    assert client.post("/api/v1/indicators/values", json=VALUE, headers=own).status_code == 201
    [period] = client.get("/api/v1/indicators/households_fed", headers=own).get_json()["periods"]
    assert period["partner_reported"] is True and period["provenance"]["partner"] == "rfb"
    survey_based = client.post("/api/v1/indicators/values", json={**VALUE, "indicator": "feel_safe",
                                                                   "period": "2025"}, headers=bearer(loaded, "admin"))
    assert survey_based.status_code == 422


def test_import_command_is_all_or_nothing(loaded, runner, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("indicator,period,geography,dimension,category,value,source\n"
                    "households_fed,2025-01,,,,420,RFB\n"
                    "households_fed,2025-01,eastfield,,,421,RFB\n"
                    "households_fed,2025-02,,neighbourhood,eastfield,200,RFB\n")
    result = runner.invoke(args=["import", "indicator-values", str(path)])
    assert result.exit_code == 0 and "3 value(s) added, 0 replaced" in result.output
    path.write_text("indicator,period,geography,dimension,category,value\n"
                    "households_fed,2025-03,,,,430\n"
                    "households_fed,2025-Q1,,,,1\n"
                    "households_fed,2025-03,,age_band,18_24,1\n"
                    "unknown,2025-03,,,,1\n")
    result = runner.invoke(args=["import", "indicator-values", str(path)])
    assert result.exit_code == 1
    assert "row 3: period '2025-Q1' is not a month written like 2025-07" in result.output
    assert "row 4: indicator 'households_fed' is not broken down by 'age_band'" in result.output
    assert "row 5: unknown indicator 'unknown'" in result.output
    assert "nothing was imported" in result.output
    assert stored(loaded) == 3


def test_scorecard_exports(loaded, client):
    headers = bearer(loaded, "equity_lead")
    client.post("/api/v1/indicators/values", json={**VALUE, "source": "=HYPERLINK(\"x\")"},
                headers=bearer(loaded, "admin"))
    card = client.get("/api/v1/scorecard", headers=headers).get_json()
    results = {r["result"]: [i["key"] for i in r["indicators"]] for r in card["results"]}
    assert results["food_security"] == ["food_bank_use", "households_fed"]
    text = client.get("/api/v1/scorecard?format=csv", headers=headers).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == ["result", "indicator", "title"]
    assert any(row[:2] == ["households_fed", "2025-03"] and row[-1].startswith("'=") for row in rows)
    book = load_workbook(io.BytesIO(client.get("/api/v1/scorecard?format=xlsx", headers=headers).data))
    assert book.sheetnames == ["Scorecard", "Values", "Forecasts"]
    assert client.get("/api/v1/scorecard?format=pdf", headers=headers).status_code == 400
    somali = client.get("/api/v1/scorecard?dimension=language&category=somali", headers=headers).get_json()
    flags = {i["key"]: i["filtered"] for r in somali["results"] for i in r["indicators"]}
    assert flags["feel_safe"] is True and flags["bus_access"] is False


ROUTES = [("GET", "/api/v1/indicators"), ("GET", "/api/v1/indicators/feel_safe"), ("GET", "/api/v1/scorecard"),
          ("POST", "/api/v1/indicators/values")]
ALLOWED = {"admin": {0, 1, 2, 3}, "equity_lead": {0, 1, 2}, "partner": {0, 1, 2, 3}, "facilitator": set()}


@pytest.mark.parametrize("role", ["anonymous", "admin", "equity_lead", "partner", "facilitator"])
def test_access_matrix(loaded, client, role):
    headers = {} if role == "anonymous" else bearer(loaded, role, email=f"{role}-m@example.org",
                                                    stakeholder_id="rfb" if role == "partner" else None)
    for index, (method, path) in enumerate(ROUTES):
        status = client.open(path, method=method, headers=headers, json=VALUE if method == "POST" else None).status_code
        if role == "anonymous":
            assert status == 401, (method, path)
        elif index in ALLOWED[role]:
            assert status in (200, 201), (role, method, path, status)
        else:
            assert status == 403, (role, method, path, status)


def test_titles_and_rules_follow_the_interface_language(loaded, client):
    headers = bearer(loaded, "equity_lead")
    listed = client.get("/api/v1/indicators?lang=es", headers=headers).get_json()["indicators"]
    feel_safe = next(i for i in listed if i["key"] == "feel_safe")
    assert feel_safe["title"] == "Residentes que se sienten seguros en su barrio"
    assert feel_safe["result_title"] == "Todos se sienten seguros en su barrio"
    body = client.get("/api/v1/indicators/feel_safe?lang=ar", headers=headers).get_json()
    assert body["status_detail"]["rule_text"].startswith("على المسار الصحيح")
