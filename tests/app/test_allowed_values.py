"""The database itself refuses a value the application does not know (CHECK constraints built from
app.core.vocabulary), on the models' schema and on the migrated one."""
import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.core.extensions import db
from app.core.idempotent import savepoint
from app.core.vocabulary import CHANNELS, RELATIONSHIP_TYPES, ROLES, SECTORS

#: (table, row that breaks one rule); every other value in the row is allowed.
BAD_ROWS = [
    ("users", {"email": "x@example.org", "password_hash": "x", "role": "boss", "active": True, "session_version": 0,
               "created_at": "2026-01-01 00:00:00"}),
    ("stakeholders", {"id": "org", "name": "Org", "sector": "Nonprofit", "kind": "", "neighbourhood": "",
                      "contact": "", "created_at": "2026-01-01 00:00:00"}),
    ("task_runs", {"id": "t" * 32, "kind": "tag_texts", "params": "{}", "status": "paused", "progress": 0,
                   "attempts": 0, "created_at": "2026-01-01 00:00:00"}),
    ("population_baselines", {"geography": "city", "dimension": "age_band", "category": "18_24", "population": -1,
                              "year": 2021, "source": ""}),
    ("code_attempts", {"address": "1.2.3.4", "kind": "password", "at": "2026-01-01 00:00:00"}),
    ("publications", {"kind": "poll", "key": "feel_safe", "published_at": "2026-01-01 00:00:00"}),
    ("indicator_actions", {"indicator_key": "feel_safe", "title": "Lights", "status": "maybe", "notes": "",
                           "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"}),
]


def _insert(table: str, row: dict) -> None:
    columns = ", ".join(row)
    values = ", ".join(f":{c}" for c in row)
    db.session.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)
    db.session.flush()


def _refused(table: str, row: dict) -> bool:
    try:
        with savepoint():  # only this insert is undone
            _insert(table, row)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(("table", "row"), BAD_ROWS, ids=[t for t, _ in BAD_ROWS])
def test_the_database_refuses_a_value_the_code_does_not_know(app, table, row):
    with app.app_context():
        assert _refused(table, row)
        db.session.rollback()


def test_the_refused_rows_are_accepted_with_an_allowed_value(app):
    """The same rows pass once the one bad value is corrected: the refusal above was that value."""
    fixed = {"users": {"role": ROLES[0]}, "stakeholders": {"sector": SECTORS[0]}, "task_runs": {"status": "queued"},
             "population_baselines": {"population": 0}, "code_attempts": {"kind": "resume"},
             "publications": {"kind": "indicator"}, "indicator_actions": {"status": "planned"}}
    with app.app_context():
        for table, row in BAD_ROWS:
            _insert(table, {**row, **fixed[table]})
        db.session.commit()


def test_a_migrated_database_refuses_them_too(empty_app):
    with empty_app.app_context():
        directory = empty_app.extensions["migrate"].directory
        upgrade(directory=directory)
        try:
            assert all(_refused(table, row) for table, row in BAD_ROWS)
            db.session.rollback()
        finally:
            db.session.remove()
            downgrade(directory=directory, revision="base")
            db.engine.dispose()


def test_the_vocabulary_is_the_one_the_code_checks_against():
    """One home: the models, the report filters and analysis.graph agree with app.core.vocabulary."""
    from analysis.graph import RELATIONSHIP_TYPES as GRAPH_TYPES
    from app.models import ROLES as MODEL_ROLES
    from app.models.relationships import RELATIONSHIP_TYPES as MODEL_TYPES
    from app.models.responses import CHANNELS as MODEL_CHANNELS
    from app.surveydef.model import RELATIONSHIP_TYPES as QUESTION_TYPES
    assert MODEL_ROLES is ROLES and MODEL_TYPES is RELATIONSHIP_TYPES and MODEL_CHANNELS is CHANNELS
    assert set(GRAPH_TYPES) == set(RELATIONSHIP_TYPES)
    assert QUESTION_TYPES == ("self", *RELATIONSHIP_TYPES)
