"""Allowed values enforced by the database: CHECK constraints on enumerated and counted columns

The code always checked these values (app.core.vocabulary); now the database refuses anything else
too, so a script or a hand edit cannot store a role, channel, sector or status the application
does not know. Existing rows are made to fit first where there is a safe reading (a sector
written in capitals is lower-cased, an unknown sector becomes "other", as imports do); any other
row that does not fit stops the upgrade with a message naming the table, the column and the
values, so nothing is changed silently. Adding a value to app.core.vocabulary needs a migration that
drops and re-creates the constraint.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ROLES = ("admin", "equity_lead", "facilitator", "partner")
CHANNELS = ("web", "api", "focus_group", "paper", "import", "odk")
RELATIONSHIP_TYPES = ("referral", "shared_data", "joint_programme", "funding", "communication")
PROVENANCES = ("response", "focus_group", "manual", "import")
SECTORS = ("nonprofit", "government", "business", "education", "health", "faith",
           "resident_association", "funder", "other")
TASK_STATES = ("queued", "running", "retrying", "done", "failed")
TAG_STATUSES = ("accepted", "rejected")
CONTRIBUTION_KINDS = ("quote", "note")
CODE_KINDS = ("resume", "withdraw")
IMPORT_KINDS = ("stakeholders", "relationships", "baseline")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: (table, constraint name as in the models, condition); the naming convention adds ck_<table>_.
CHECKS = [
    ("users", "role", _in("role", ROLES)),
    ("responses", "channel", _in("channel", CHANNELS)),
    ("relationships", "type", _in("type", RELATIONSHIP_TYPES)),
    ("relationships", "provenance", _in("provenance", PROVENANCES)),
    ("relationships", "weight_positive", "weight > 0"),
    ("stakeholders", "sector", _in("sector", SECTORS)),
    ("task_runs", "status", _in("status", TASK_STATES)),
    ("theme_tags", "status", _in("status", TAG_STATUSES)),
    ("contributions", "kind", _in("kind", CONTRIBUTION_KINDS)),
    ("code_attempts", "kind", _in("kind", CODE_KINDS)),
    ("import_uploads", "kind", _in("kind", IMPORT_KINDS)),
    ("votes", "votes_not_negative", "votes IS NULL OR votes >= 0"),
    ("votes", "rank_from_one", "rank IS NULL OR rank >= 1"),
    ("population_baselines", "population_not_negative", "population >= 0"),
]


def _make_rows_fit(bind) -> None:
    op.execute(f"UPDATE stakeholders SET sector = lower(sector) WHERE lower(sector) IN "
               f"({', '.join(repr(s) for s in SECTORS)}) AND sector <> lower(sector)")
    op.execute(f"UPDATE stakeholders SET sector = 'other' WHERE NOT ({_in('sector', SECTORS)})")
    problems = []
    for table, name, condition in CHECKS:
        bad = bind.execute(sa.text(f"SELECT * FROM {table} WHERE NOT ({condition}) LIMIT 5")).fetchall()
        if bad:
            problems.append(f"{table}: {len(bad)}+ rows break '{condition}' (first: {[tuple(r) for r in bad]})")
    if problems:
        raise RuntimeError("Some stored rows hold values the application does not know; correct or delete "
                           "them, then upgrade again. Nothing was changed.\n" + "\n".join(problems))


def upgrade():
    _make_rows_fit(op.get_bind())
    for table, name, condition in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)


def downgrade():
    for table, name, _condition in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
