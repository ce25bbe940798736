"""The network report: registry plus relationships, filters, withdrawn provenance, no contacts."""
import datetime as dt

import pytest

from app.core.extensions import db
from app.models import Relationship, Response, Stakeholder
from tests.app.reports.helpers import get_report
from tests.conftest import make_token

ORGS = [("hub", "Hub Centre", "nonprofit"), ("clinic", "Clinic", "health"), ("church", "Church", "faith"),
        ("shop", "Shop", "business"), ("alone", "Alone Club", "other"), ("school", "School", "education")]
TIES = [("hub", "clinic", "referral", dt.date(2026, 3, 1)), ("hub", "church", "joint_programme", dt.date(2026, 5, 1)),
        ("hub", "school", "shared_data", dt.date(2026, 7, 1)), ("clinic", "school", "referral", None),
        ("church", "shop", "funding", dt.date(2026, 8, 1))]


@pytest.fixture
def network(app):
    with app.app_context():
        for key, name, sector in ORGS:
            db.session.add(Stakeholder(id=key, name=name, sector=sector, contact=f"secret-{key}@example.org"))
        db.session.flush()
        for source, target, kind, date in TIES:
            db.session.add(Relationship(source_id=source, target_id=target, type=kind, date=date, provenance="manual"))
        db.session.commit()
    return app


def get(client, app, **params):
    return get_report(client, app, "network", **params)


def test_report_shape_and_roles(network, client):
    report = get(client, network)
    assert {n["id"] for n in report["nodes"]} == {key for key, _n, _s in ORGS}
    assert report["isolates"] == ["alone"]
    # The hub joins clinic/school with church/shop; church alone holds the shop on.
    assert set(report["articulation_points"]) == {"hub", "church"}
    assert report["brokers"][0] == "hub"
    assert ["business", "health"] in report["sector_pairs_without_ties"]
    assert len(report["edges"]) == 5 and {"source", "target", "type", "weight"} <= set(report["edges"][0])


def test_type_and_date_filters(network, client):
    referrals = get(client, network, type="referral")
    assert {(e["source"], e["target"]) for e in referrals["edges"]} == {("hub", "clinic"), ("clinic", "school")}
    since = get(client, network, **{"from": "2026-06-01"})
    assert {(e["source"], e["target"]) for e in since["edges"]} >= {("hub", "school"), ("church", "shop")}
    assert ("hub", "clinic") not in {(e["source"], e["target"]) for e in since["edges"]}


def test_ties_from_withdrawn_responses_are_left_out(network, client, surveys):
    response = client.post("/api/v1/surveys/community-needs/responses",
                           json={"submission_id": "w" * 32, "answers": {"priorities": ["jobs"]}})
    with network.app_context():
        db.session.add(Relationship(source_id="alone", target_id="shop", type="referral", provenance="response",
                                    response_id=response.get_json()["id"]))
        db.session.commit()
    assert "alone" not in get(client, network)["isolates"]
    with network.app_context():
        db.session.get(Response, response.get_json()["id"]).withdrawn_at = dt.datetime(2026, 1, 1)
        db.session.commit()
    assert "alone" in get(client, network)["isolates"]


def test_no_contact_details_anywhere(network, client, auth):
    assert "secret-" not in str(get(client, network))
    auth.login("equity_lead")
    for url in ("/reports/network", "/reports/network?format=csv"):
        assert "secret-" not in client.get(url).get_data(as_text=True)


def test_page_draws_every_organisation(network, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/network").get_data(as_text=True)
    assert html.count("<circle ") == len(ORGS) and html.count("<line ") >= len(TIES)
    assert "Single points of failure" in html and "Business – Health provider" in html


def test_bad_type_is_400(network, client):
    response = client.get("/api/v1/reports/network?type=gossip",
                          headers={"Authorization": f"Bearer {make_token(network, 'admin')}"})
    assert response.status_code == 400 and "type" in response.get_json()["errors"]
