"""Stored rankings (migration 0021) and the weighted report's merge plan: the fast paths give
exactly what the slow paths they replaced give (bench/_report_baselines.py), on the demo data of
each backend (test_ranking_submit.py: submissions, withdrawal and imports)."""
import importlib.util
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.reporting.list_answers import ITEM_SEPARATOR
from app.models import Answer, ResponseRanking
from app.reports import weighted
from app.reports.alignment import ranking_counts
from app.reporting.filters import ReportFilters
from app.reporting.sample import response_conditions, selected_surveys

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bench"))
from _report_baselines import default_plan_answer_groups, pivoted_ranking_counts  # noqa: E402


def migration_0021():
    spec = importlib.util.spec_from_file_location(
        "migration_0021", REPO / "app" / "migrations" / "versions" / "0021_response_rankings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rankings_from_answers() -> dict[tuple[int, str], str]:
    """{(response id, question key): items joined in order of position} from the answer rows."""
    items: dict[tuple[int, str], list] = {}
    query = (sa.select(Answer.response_id, Answer.question_key, Answer.choice).where(Answer.question_key == "priorities")
             .order_by(Answer.response_id, Answer.position))
    for response_id, key, choice in db.session.execute(query):
        items.setdefault((response_id, key), []).append(choice)
    return {k: ITEM_SEPARATOR.join(v) for k, v in items.items()}


def stored_rankings() -> dict[tuple[int, str], str]:
    return {(r.response_id, r.question_key): r.ranking for r in db.session.scalars(sa.select(ResponseRanking))}


def test_every_submitted_ranking_is_stored_in_order(demo_app):
    with demo_app.app_context():
        expected = rankings_from_answers()
        assert len(expected) > 50  # residents' and partners' rankings of the demo
        assert stored_rankings() == expected


@pytest.mark.parametrize("filters, by", [
    (ReportFilters(survey="community-needs"), None),
    (ReportFilters(survey="community-needs"), "age_band"),
    (ReportFilters(survey="all", channel="web"), "neighbourhood"),
    (ReportFilters(survey="partner-survey"), None),
])
def test_counts_equal_the_pivot_of_the_answers(demo_app, filters, by):
    with demo_app.app_context():
        surveys = selected_surveys(filters)
        slow = pivoted_ranking_counts(filters, surveys, "priorities", by)
        assert sum(n for counted in slow.values() for _ranking, n in counted) > 10
        assert ranking_counts(filters, surveys, "priorities", by) == slow


def test_the_migration_stores_what_a_submission_stores(demo_app):
    with demo_app.app_context():
        submitted = stored_rankings()
        db.session.execute(sa.delete(ResponseRanking))
        written = migration_0021().fill_from_answers(db.session.connection())
        assert written == len(submitted) and stored_rankings() == submitted
        assert migration_0021().fill_from_answers(db.session.connection()) == 0  # again: nothing to add
        db.session.rollback()


@pytest.mark.parametrize("key", ["recommend", "services_used", "bus_often", "safety_rating"])
def test_weighted_groups_equal_the_default_plan(demo_app, key):
    with demo_app.test_request_context():
        filters = ReportFilters(survey="community-needs")
        surveys = selected_surveys(filters)
        _survey, question = weighted.find_question(surveys, key)
        conditions, dimensions = response_conditions(filters, surveys), ("age_band", "gender", "neighbourhood")
        slow = default_plan_answer_groups(conditions, question, dimensions)
        db.session.rollback()  # the merge plan is SET LOCAL: a transaction of its own
        assert sum(slow.values()) > 50
        assert weighted.answer_groups(conditions, question, dimensions) == slow
        db.session.rollback()


def test_the_answers_index_carries_every_value_on_postgresql(demo_app):
    with demo_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("INCLUDE columns are PostgreSQL's")
        definition = db.session.scalar(sa.text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_answers_key_response'"))
        assert definition.endswith('INCLUDE (number, "boolean")')
