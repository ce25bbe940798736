"""A ranking is stored with its response whatever the channel (the form, the API, an import), is
counted once however often it is sent, and leaves the alignment report when withdrawn."""
import sys
import uuid
from pathlib import Path

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Response, ResponseRanking
from app.reports.alignment import ranking_counts
from app.reporting.filters import ReportFilters
from app.reporting.sample import selected_surveys
from app.responses.withdrawal import withdraw_response
from tests.app.test_withdrawal import finish_survey

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from _report_baselines import pivoted_ranking_counts  # noqa: E402


def counted_rankings(channel: str = "all") -> dict:
    filters = ReportFilters(survey="community-needs", channel=channel)
    return ranking_counts(filters, selected_surveys(filters), "priorities")


def test_a_form_submission_counts_until_withdrawn(app, client, surveys):
    submission_id, _done = finish_survey(client)  # ranks housing, then jobs
    with app.app_context():
        response = db.session.scalar(sa.select(Response).where(Response.submission_id == submission_id))
        assert db.session.get(ResponseRanking, (response.id, "priorities")).ranking == "housing\x1fjobs"
        assert counted_rankings() == {None: [(["housing", "jobs"], 1)]}
        assert withdraw_response(response)
        db.session.commit()
        assert counted_rankings() == {}
        filters = ReportFilters(survey="community-needs")
        assert pivoted_ranking_counts(filters, selected_surveys(filters), "priorities") == {}


def test_imported_and_api_rankings_count_and_a_resend_counts_once(app, client, surveys):
    from tests.conftest import make_token
    admin = {"Authorization": f"Bearer {make_token(app, 'admin')}"}
    body = {"submission_id": uuid.uuid4().hex, "channel": "import", "answers": {"priorities": ["jobs", "youth", "health"]}}
    for _ in range(2):  # a resend is acknowledged, not stored again
        assert client.post("/api/v1/surveys/community-needs/responses", json=body, headers=admin).status_code in (200, 201)
    assert client.post("/api/v1/surveys/community-needs/responses", json={
        "submission_id": uuid.uuid4().hex, "answers": {"priorities": ["safety"]}}).status_code == 201
    with app.app_context():
        assert counted_rankings("import") == {None: [(["jobs", "youth", "health"], 1)]}
        assert counted_rankings() == {None: [(["jobs", "youth", "health"], 1), (["safety"], 1)]}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ResponseRanking)) == 2
