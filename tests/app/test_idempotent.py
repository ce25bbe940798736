"""A copy that loses the race on a unique client id answers with the winner; anything else that
the database refuses is still raised."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.extensions import db
from app.core.idempotent import add_once
from app.models import Response, Survey
from app.responses.submission import existing_response_id


def a_response(version, submission_id: str, **fields) -> Response:
    fields = {"lang": "en", "channel": "api", "consent_given": True, **fields}
    return Response(submission_id=submission_id, survey_id=version.survey_id, survey_version_id=version.id, **fields)


def test_the_copy_that_lost_the_race_answers_with_the_winner(app, surveys):
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        # The winner is committed by another request between our look-up and our flush.
        with Session(db.engine) as other:
            winner = a_response(version, "same-submission")
            other.add(winner)
            other.commit()
            winner_id = winner.id
        stored, created = add_once(a_response(version, "same-submission"), lambda: existing_response_id("same-submission"))
        db.session.commit()
        assert (stored, created) == (winner_id, False)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_a_row_the_database_refuses_for_another_reason_is_an_error(app, surveys):
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        with pytest.raises(IntegrityError):
            add_once(a_response(version, "no-language", lang=None), lambda: existing_response_id("no-language"))


def test_a_new_row_is_added(app, surveys):
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        row = a_response(version, "first-time")
        assert add_once(row, lambda: existing_response_id("first-time")) == (row.id, True) and row.id is not None


def _lose_a_race(version, submission_id: str) -> int:
    """Another request commits `submission_id` first; returns the winner's id."""
    with Session(db.engine) as other:
        winner = a_response(version, submission_id)
        other.add(winner)
        other.commit()
        return winner.id


def test_a_change_flushed_before_a_lost_race_survives(app, surveys):
    """Only the duplicate insert is undone (a savepoint), not the request's earlier work."""
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        winner_id = _lose_a_race(version, "raced")  # (SQLite: before our first write, which locks the file)
        db.session.add(a_response(version, "earlier-in-the-request"))
        db.session.flush()
        assert add_once(a_response(version, "raced"), lambda: existing_response_id("raced")) == (winner_id, False)
        db.session.commit()
        stored = set(db.session.scalars(sa.select(Response.submission_id)))
        assert stored == {"earlier-in-the-request", "raced"}


def test_a_row_added_first_in_the_transaction_is_undone_by_its_rollback(app, surveys):
    """On SQLite the savepoint nests in the request's transaction even when it is the first write
    (Python's sqlite3 would otherwise let its RELEASE commit the row)."""
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        new_id, created = add_once(a_response(version, "first"), lambda: existing_response_id("first"))
        assert created and new_id is not None
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_a_refused_row_leaves_the_transaction_usable(app, surveys):
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        kept = a_response(version, "kept")
        db.session.add(kept)
        db.session.flush()
        with pytest.raises(IntegrityError):
            add_once(a_response(version, "no-language", lang=None), lambda: existing_response_id("no-language"))
        db.session.commit()
        assert set(db.session.scalars(sa.select(Response.submission_id))) == {"kept"}
