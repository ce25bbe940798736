"""The representation report through the real app: counts from the database, pooled channels,
suppression, withdrawal, filters, exports, and the score computed from answer patterns."""
import csv
import datetime as dt
import io
import itertools
import uuid

import pytest
import sqlalchemy as sa

from analysis.representation import r_indicator, rake
from app.core.extensions import db
from app.models import AuditEvent, FocusGroup, Participant, ParticipantAttribute, PopulationBaseline, Response
from tests.conftest import make_token

POPULATION = {"age_band": {"under_18": 200, "18_24": 100, "25_44": 300, "45_64": 250, "65_plus": 150},
              "gender": {"woman": 510, "man": 480, "non_binary": 10}}
#: The same district without the groups nobody in SAMPLE belongs to: every margin can be met, so
#: raking converges and there is a score (with POPULATION, under-18s are unmet: no score).
MET = {"age_band": {"18_24": 100, "25_44": 300, "45_64": 250, "65_plus": 150}, "gender": {"woman": 510, "man": 480}}
# 40 respondents: (age, gender) → count. Hand-checkable shares below.
SAMPLE = {("65_plus", "woman"): 12, ("45_64", "woman"): 8, ("45_64", "man"): 6, ("25_44", "man"): 7,
          ("25_44", "woman"): 4, ("18_24", "man"): 3}


@pytest.fixture
def loaded(app, client, surveys):
    with app.app_context():
        for geography, figures in (("district", POPULATION), ("met", MET)):
            for dimension, categories in figures.items():
                for category, n in categories.items():
                    db.session.add(PopulationBaseline(geography=geography, dimension=dimension, category=category,
                                                      population=n, year=2024, source="test census"))
        db.session.commit()
    for (age, gender), count in SAMPLE.items():
        for _ in range(count):
            response = client.post("/api/v1/surveys/community-needs/responses", json={
                "submission_id": uuid.uuid4().hex, "lang": "en",
                "answers": {"priorities": ["housing"], "age_band": age, "gender": gender, "recommend": age == "65_plus"}})
            assert response.status_code == 201
    return app


def get_report(client, token, **params):
    response = client.get("/api/v1/reports/representation", query_string={"geography": "district", **params},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def categories(report, dimension):
    table = next(t for t in report["dimensions"] if t["dimension"] == dimension)
    return {c["category"]: c for c in table["categories"]}, table


def test_counts_shares_and_index(loaded, client):
    report = get_report(client, make_token(loaded, "equity_lead"), survey="community-needs")
    ages, table = categories(report, "age_band")
    assert report["n"] == 40 and table["n"] == 40
    # 45–64: 14 of 40 = 0.35 against 250/1000 = 0.25 → index 1.4
    assert ages["45_64"]["n"] == 14 and ages["45_64"]["share"] == pytest.approx(0.35)
    assert ages["45_64"]["population_share"] == pytest.approx(0.25) and ages["45_64"]["index"] == pytest.approx(1.4)
    # Under 18: nobody answered; a zero is not disclosive, so it is shown, and it is a gap.
    assert ages["under_18"]["n"] == 0 and ages["under_18"]["gap"] == "under"
    assert list(ages) == ["under_18", "18_24", "25_44", "45_64", "65_plus"]  # the survey's order


def test_small_cells_are_suppressed_everywhere(loaded, client):
    token = make_token(loaded, "equity_lead")
    ages, _ = categories(get_report(client, token, survey="community-needs"), "age_band")
    assert ages["18_24"]["suppressed"] and ages["18_24"]["n"] is None and ages["18_24"]["share"] is None
    # 3 would follow from 40 minus the others, so one more cell is hidden too.
    hidden = [c for c in ages.values() if c["suppressed"]]
    assert len(hidden) >= 2
    csv_text = client.get("/reports/representation", query_string={"geography": "district", "format": "csv"},
                          headers={"Authorization": f"Bearer {token}"})
    assert csv_text.status_code in (302, 401)  # pages want a signed-in browser, not a token


def test_page_and_csv_hide_small_cells(loaded, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/representation?geography=district&survey=community-needs").get_data(as_text=True)
    assert "fewer than 5 (hidden: a small group)" in html and "Who is missing" in html
    rows = list(csv.reader(io.StringIO(client.get(
        "/reports/representation?geography=district&survey=community-needs&format=csv").get_data(as_text=True))))
    age_rows = {r[0]: r for r in rows if r and r[0] in POPULATION["age_band"]}
    # n empty, suppressed, why, and the published range 1 to 4
    assert age_rows["18_24"][2] == "" and age_rows["18_24"][11:] == ["yes", "hidden: a small group", "1", "4"]
    assert age_rows["45_64"][2] == "14"


def test_only_admin_lifts_suppression_and_it_is_audited(loaded, client):
    assert client.get("/api/v1/reports/representation?unsuppressed=1", headers={
        "Authorization": f"Bearer {make_token(loaded, 'equity_lead')}"}).status_code == 403
    report = get_report(client, make_token(loaded, "admin"), survey="community-needs", unsuppressed="1")
    ages, _ = categories(report, "age_band")
    assert ages["18_24"]["n"] == 3 and not ages["18_24"]["suppressed"]
    with loaded.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "lift_suppression"))


def test_withdrawn_responses_leave_the_report(loaded, client):
    token = make_token(loaded, "admin")
    with loaded.app_context():
        first = db.session.scalar(sa.select(Response).order_by(Response.id))
        first.withdrawn_at = dt.datetime(2026, 1, 1)
        db.session.commit()
    report = get_report(client, token, survey="community-needs", unsuppressed="1")
    assert report["n"] == 39 and categories(report, "age_band")[0]["65_plus"]["n"] == 11


def test_focus_group_participants_pool_in(loaded, client):
    with loaded.app_context():
        group = FocusGroup(title="Seniors' lunch", date=dt.date(2026, 10, 1), lang="en")
        db.session.add(group)
        db.session.flush()
        for code in ("P1", "P2", "P3", "P4", "P5", "P6"):
            person = Participant(focus_group_id=group.id, code=code, consent_given=True, consent_version=1)
            db.session.add(person)
            db.session.flush()
            db.session.add(ParticipantAttribute(participant_id=person.id, dimension="age_band", category="65_plus"))
        db.session.commit()
    token = make_token(loaded, "admin")
    pooled = get_report(client, token, survey="community-needs", unsuppressed="1")
    assert pooled["n"] == 46 and categories(pooled, "age_band")[0]["65_plus"]["n"] == 18
    only_groups = get_report(client, token, survey="community-needs", channel="focus_group", unsuppressed="1")
    assert only_groups["n"] == 6 and categories(only_groups, "age_band")[0]["65_plus"]["n"] == 6
    web_only = get_report(client, token, survey="community-needs", channel="api", unsuppressed="1")
    assert web_only["n"] == 40


def test_score_from_patterns_equals_raking_every_respondent(loaded, client):
    token = make_token(loaded, "admin")
    report = get_report(client, token, survey="community-needs", geography="met", unsuppressed="1")
    people = list(itertools.chain.from_iterable(
        [{"age_band": age, "gender": gender}] * n for (age, gender), n in SAMPLE.items()))
    expanded = rake(people, MET)
    assert report["score"] == pytest.approx(r_indicator(expanded.weights), abs=1e-9)
    assert report["raking"]["design_effect"] == pytest.approx(expanded.design_effect, rel=1e-9)
    assert report["method_code"] == {"code": "r_indicator", "params": {"dimensions": 2}}
    # With 18-24s (3) hidden, the score and design effect are published to two decimals only: at
    # full precision, trying the four values the hidden cell can take would find it.
    published = get_report(client, token, survey="community-needs", geography="met")
    assert published["score"] == round(r_indicator(expanded.weights), 2)
    assert published["raking"]["design_effect"] == round(expanded.design_effect, 2)
    assert published["raking"]["effective_n"] == round(expanded.effective_n)


def test_no_score_when_a_margin_cannot_be_met(loaded, client):
    report = get_report(client, make_token(loaded, "admin"), survey="community-needs")
    # Nobody under 18 and nobody non-binary answered: the weights cannot reach the population.
    assert report["score"] is None and report["method_code"]["code"] == "no_score"
    assert report["method_code"]["params"] == {"reason": "unmet_margins", "unmet": 2}
    assert report["method"].startswith("No representativeness score: 2 groups")
    assert [(u["dimension"], u["category"]) for u in report["raking"]["unmet"]] == [
        ("age_band", "under_18"), ("gender", "non_binary")]


def sample_people(extra=()):
    """Every respondent of SAMPLE (and `extra` (age, gender) pairs) as raking input."""
    pairs = list(itertools.chain.from_iterable([pair] * n for pair, n in SAMPLE.items())) + list(extra)
    return [{"age_band": age, "gender": gender} for age, gender in pairs]


def test_weighted_view_of_a_question(loaded, client):
    report = get_report(client, make_token(loaded, "admin"), survey="community-needs", question="recommend",
                        geography="met")
    values = {v["value"]: v for v in report["weighted"]["values"]}
    assert values["yes"]["n"] == 12 and values["yes"]["share"] == pytest.approx(0.3)
    # The 65+ said yes (fixture); raked to the population, their share of the weight is the answer.
    people = sample_people()
    weights = rake(people, MET).weights
    expected = sum(w for p, w in zip(people, weights) if p["age_band"] == "65_plus") / sum(weights)
    assert values["yes"]["weighted_share"] == pytest.approx(expected, rel=1e-6)
    assert values["yes"]["weighted_share"] < values["yes"]["share"]  # over-represented, so pulled down
    assert [v["value"] for v in report["weighted"]["values"]] == ["yes", "no"]


def test_weighted_view_of_a_multiple_choice_question(loaded, client):
    ticked = [("18_24", "man", ["library", "clinic"])] * 25 + [("65_plus", "woman", ["clinic"])] * 15
    for age, gender, services in ticked:
        response = client.post("/api/v1/surveys/community-needs/responses", json={
            "submission_id": uuid.uuid4().hex, "lang": "en",
            "answers": {"priorities": ["housing"], "age_band": age, "gender": gender, "services_used": services}})
        assert response.status_code == 201
    report = get_report(client, make_token(loaded, "admin"), survey="community-needs", question="services_used",
                        geography="met")
    weighted = report["weighted"]
    values = {v["value"]: v for v in weighted["values"]}
    assert weighted["n"] == 80 and weighted["n_answered"] == 40  # the 40 who were not asked count as no answer
    assert values["clinic"]["n"] == 40 and values["library"]["n"] == 25
    assert values["library"]["share"] == pytest.approx(25 / 40) and values["clinic"]["weighted_share"] == pytest.approx(1.0)
    people = sample_people((age, gender) for age, gender, _s in ticked)
    weights = rake(people, MET).weights
    answered = weights[-40:]  # the ticked ones were posted last
    assert values["library"]["weighted_share"] == pytest.approx(sum(answered[:25]) / sum(answered), rel=1e-9)
    assert [v["value"] for v in weighted["values"]][:3] == ["clinic", "food_bank", "library"]  # the survey's order


@pytest.mark.parametrize("params, field", [({"from": "yesterday"}, "from"), ({"channel": "carrier_pigeon"}, "channel"),
                                           ({"from": "2026-05-01", "to": "2026-04-01"}, "to")])
def test_bad_filters_are_400(loaded, client, params, field):
    response = client.get("/api/v1/reports/representation", query_string=params,
                          headers={"Authorization": f"Bearer {make_token(loaded, 'equity_lead')}"})
    assert response.status_code == 400 and field in response.get_json()["errors"]


def test_markup_in_baseline_is_escaped(loaded, client, auth):
    with loaded.app_context():
        db.session.add(PopulationBaseline(geography="<script>alert(1)</script>", dimension="age_band",
                                          category="65_plus", population=5, year=2024, source="<b>x</b>"))
        db.session.commit()
    auth.login("equity_lead")
    html = client.get("/reports/representation?survey=community-needs").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
