"""responses.demographics: each response's demographic answers on its own row, filled for old ones,
and an index that covers the report's pass over them

The representation report used to pivot the answers table (six rows a person) on every request;
with the pattern on the response it groups one column of one table (bench/reports.py). Existing
responses get theirs from their answers and the version they pinned, so nothing is lost.

Revision ID: 0005
Revises: 0004
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: Responses updated per statement while filling the column.
BATCH = 5000


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demographics', sa.Text(), server_default='{}', nullable=False))
    fill_from_answers(op.get_bind())
    with op.batch_alter_table('responses', schema=None) as batch_op:
        # The report's pass reads this index alone; its prefix replaces the survey_id index.
        batch_op.create_index('ix_responses_survey_demographics', ['survey_id', 'withdrawn_at', 'demographics'],
                              unique=False)
        batch_op.drop_index('ix_responses_survey_id')


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_survey_id', ['survey_id'], unique=False)
        batch_op.drop_index('ix_responses_survey_demographics')
        batch_op.drop_column('demographics')


def fill_from_answers(conn) -> None:
    """Set every response's pattern from its answers. Self-contained (no app imports), as a
    migration must keep working when the app's code moves on; app.core.demographics writes the same
    canonical text."""
    for version_id, definition in conn.execute(sa.text("SELECT id, definition FROM survey_versions")).all():
        if isinstance(definition, str):  # SQLite hands JSON back as text
            definition = json.loads(definition)
        dimension_of = {q["key"]: q["dimension"] for page in definition["pages"] for q in page["questions"]
                        if q.get("dimension")}
        if not dimension_of:
            continue
        rows = conn.execute(
            sa.text("SELECT a.response_id, a.question_key, a.choice FROM answers a "
                    "JOIN responses r ON r.id = a.response_id "
                    "WHERE r.survey_version_id = :version AND a.question_key IN :keys AND a.choice IS NOT NULL")
            .bindparams(sa.bindparam("keys", expanding=True)),
            {"version": version_id, "keys": sorted(dimension_of)})
        patterns: dict[int, dict] = {}
        for response_id, key, choice in rows:
            pattern = patterns.setdefault(response_id, {})
            dimension = dimension_of[key]
            pattern[dimension] = max(pattern.get(dimension, choice), choice)
        updates = [{"id": rid, "pattern": json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}
                   for rid, p in patterns.items()]
        for start in range(0, len(updates), BATCH):
            conn.execute(sa.text("UPDATE responses SET demographics = :pattern WHERE id = :id"),
                         updates[start:start + BATCH])
