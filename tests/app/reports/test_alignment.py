"""The alignment report: residents, partners and focus groups' priorities, from the database."""
import datetime as dt
import uuid

import pytest

from analysis.alignment import kendalls_w
from app.core.extensions import db
from app.models import FocusGroup, Vote
from tests.app.reports.helpers import get_report

RESIDENTS = [["housing", "transport", "safety"]] * 4 + [["transport", "housing", "health"]] * 2
PARTNERS = [["jobs", "health", "housing", "youth", "safety", "transport"]] * 5
ORGS = ["rfb", "tenants", "nga", "library", "clinic_east"]


@pytest.fixture
def ranked(app, client, surveys):
    for i, ranking in enumerate(RESIDENTS):
        age = "65_plus" if i < 5 else "18_24"
        assert client.post("/api/v1/surveys/community-needs/responses", json={
            "submission_id": uuid.uuid4().hex, "answers": {"priorities": ranking, "age_band": age}}).status_code == 201
    from tests.conftest import make_token
    admin = {"Authorization": f"Bearer {make_token(app, 'admin')}"}  # partner surveys take partners' answers
    for org, ranking in zip(ORGS, PARTNERS):
        response = client.post("/api/v1/surveys/partner-survey/responses", json={
            "submission_id": uuid.uuid4().hex,
            "answers": {"organisation": [org], "sector": "nonprofit", "priorities": ranking}}, headers=admin)
        assert response.status_code == 201, response.get_json()
    return app


def get(client, app, **params):
    return get_report(client, app, "alignment", **params)


def test_w_over_every_rater_matches_the_analysis(ranked, client):
    report = get(client, ranked)
    items = ["housing", "transport", "safety", "jobs", "health", "youth"]
    expected = kendalls_w(RESIDENTS + PARTNERS, items=items)
    assert report["kendalls_w"]["w"] == pytest.approx(expected.w)
    assert report["kendalls_w"]["p"] == pytest.approx(expected.p)
    assert set(report["groups"]) == {"residents", "partners"}
    assert report["groups"]["residents"]["n"] == 6 and report["groups"]["partners"]["n"] == 5


def test_labels_and_largest_difference_in_words(ranked, client):
    report = get(client, ranked)
    by_key = {p["key"]: p for p in report["priorities"]}
    assert by_key["jobs"]["by_group"]["partners"] == 1.0
    assert {p["label"] for p in report["priorities"]} <= {"consensus", "divisive", "mixed"}
    assert report["differences"][0]["key"] in ("jobs", "transport")
    assert "on average" in report["differences"][0]["text"]


def test_groups_under_five_raters_are_left_out(ranked, client):
    report = get(client, ranked, by="age_band")
    assert "residents: 65_plus" in report["groups"]
    assert report["suppressed_groups"] == ["residents: 18_24"]


def test_focus_group_dot_votes_join(ranked, client):
    with ranked.app_context():
        for n in range(5):
            group = FocusGroup(title=f"Session {n}", date=dt.date(2026, 10, n + 1), lang="en")
            db.session.add(group)
            db.session.flush()
            for priority, dots in (("youth", 9), ("safety", 4), ("housing", 1)):
                db.session.add(Vote(focus_group_id=group.id, priority=priority, votes=dots))
        db.session.commit()
    report = get(client, ranked)
    assert report["groups"]["focus_groups"]["n"] == 5
    assert {p["key"]: p for p in report["priorities"]}["youth"]["by_group"]["focus_groups"] == 1.0
    assert "focus_groups" not in get(client, ranked, channel="web")["groups"]


def test_page_renders_heat_map_and_exports(ranked, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/alignment").get_data(as_text=True)
    assert "Kendall&#39;s W" in html and 'class="heat"' in html
    csv_text = client.get("/reports/alignment?format=csv").get_data(as_text=True)
    assert "Mean rank" in csv_text and "jobs" in csv_text


def test_too_few_rankings(app, client, surveys):
    assert get(client, app)["note"] == "Not enough rankings yet."


def per_response_groups(by):
    """The rankings as the report gathered them before it counted them in SQL (the oracle): one
    ranking per response in response order, read row by row in order of position."""
    import sqlalchemy as sa
    from app.models import Answer, Response, Survey
    survey = Survey.by_slug("community-needs")
    rankings, categories = {}, {}
    for rid, choice, demographics in db.session.execute(
            sa.select(Answer.response_id, Answer.choice, Response.demographics).join(Response)
            .where(Response.survey_id == survey.id, Response.withdrawn_at.is_(None), Answer.question_key == "priorities")
            .order_by(Answer.response_id, Answer.position)):
        rankings.setdefault(rid, []).append(choice)
        categories[rid] = demographics
    groups = {}
    for rid, ranking in rankings.items():
        from app.core.demographics import pattern_values
        value = pattern_values(categories[rid], (by,))[0] if by else None
        groups.setdefault(f"residents: {value or 'missing'}" if by else "residents", []).append(ranking)
    return groups


@pytest.mark.parametrize("by", [None, "age_band"])
def test_counted_rankings_are_the_rankings_response_by_response(ranked, by):
    """Rankings counted per distinct ranking in SQL give each group the same rankings (as a
    multiset) in the same group order as reading every response, including positions stored out
    of order, a withdrawn response and a response with no age band."""
    import sqlalchemy as sa
    from app.reporting.list_answers import ITEM_SEPARATOR
    from app.models import Answer, Response, ResponseRanking, Survey
    from app.reports.alignment import gather
    from app.reporting.filters import ReportFilters
    with ranked.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        for i, (ranking, withdrawn) in enumerate([(["youth", "jobs", "health"], False), (["health", "youth"], True),
                                                  (["housing", "transport", "safety"], False)]):
            rid = db.session.execute(sa.insert(Response).values(
                submission_id=f"extra-{i}", survey_id=version.survey_id, survey_version_id=version.id, lang="en",
                channel="web", consent_version=1, consent_given=True, submitted_at=dt.datetime(2026, 1, 1),
                withdrawn_at=dt.datetime(2026, 2, 1) if withdrawn else None, demographics="{}",
            ).returning(Response.id)).scalar_one()
            db.session.execute(sa.insert(Answer), [  # stored last place first
                {"response_id": rid, "question_key": "priorities", "position": p, "choice": c}
                for p, c in reversed(list(enumerate(ranking)))])
            # and its ranking whole, as app.responses.submission stores it with the answers (0021)
            db.session.add(ResponseRanking(response_id=rid, question_key="priorities",
                                           ranking=ITEM_SEPARATOR.join(ranking)))
        db.session.commit()
        expected = per_response_groups(by)
        groups, _items, _notes = gather(ReportFilters(survey="community-needs"), by)
        residents = {g: r for g, r in groups.items() if g.startswith("residents")}
        assert list(residents) == [g for g in expected if len(expected[g]) >= 5]
        assert {g: sorted(r) for g, r in residents.items()} == {g: sorted(expected[g]) for g in residents}
        if by:
            assert "residents: missing" in expected  # the response with no age band
