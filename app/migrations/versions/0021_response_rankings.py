"""response_rankings: each response's answer to a ranking question as one row, written with the
answers, filled here for the responses stored before

The alignment report pivoted the answers table (three rows a response for `priorities`) on every
request: ~10 s at a million responses on PostgreSQL. With the ranking stored whole it counts
one row per response (bench/scale.py). On PostgreSQL ix_answers_key_response also carries the
number and boolean columns, so the weighted report reads a question's answers from it alone.

Revision ID: 0021
Revises: 0020
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

#: Joins a ranking's items; app.reporting.list_answers.ITEM_SEPARATOR (never in a choice value).
SEPARATOR = "\x1f"
#: Rows inserted per statement while filling the table (SQLite).
BATCH = 5000


def upgrade():
    op.create_table(
        'response_rankings',
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=100), nullable=False),
        sa.Column('ranking', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('response_id', 'question_key'),
    )
    fill_from_answers(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        # The weighted report reads one question's values (choice, number, boolean) from this
        # index alone, in response order; SQLite has no INCLUDE and keeps the index as it was.
        op.drop_index('ix_answers_key_response', table_name='answers')
        op.create_index('ix_answers_key_response', 'answers', ['question_key', 'response_id', 'position', 'choice'],
                        postgresql_include=['number', 'boolean'])


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_answers_key_response', table_name='answers')
        op.create_index('ix_answers_key_response', 'answers', ['question_key', 'response_id', 'position', 'choice'])
    op.drop_table('response_rankings')


def ranking_keys(definition) -> list[str]:
    if isinstance(definition, str):  # SQLite hands JSON back as text
        definition = json.loads(definition)
    return sorted({q["key"] for page in definition["pages"] for q in page["questions"] if q.get("type") == "ranking"})


def fill_from_answers(conn) -> int:
    """Store every response's rankings from its answer rows (items in order of position); returns
    the rows written. Rankings stored already are kept, so it can run again. Self-contained (no
    app imports), as a migration must keep working when the app's code moves on; app.responses.submission
    writes the same rows for new responses. The benchmarks call it after their bulk loads, which
    bypass the app."""
    written = 0
    for version_id, definition in conn.execute(sa.text("SELECT id, definition FROM survey_versions")).all():
        keys = ranking_keys(definition)
        if not keys:
            continue
        params = {"version": version_id, "keys": keys, "sep": SEPARATOR}
        where = ("FROM answers a JOIN responses r ON r.id = a.response_id "
                 "WHERE r.survey_version_id = :version AND a.question_key IN :keys AND a.choice IS NOT NULL "
                 "AND NOT EXISTS (SELECT 1 FROM response_rankings x "
                 "WHERE x.response_id = a.response_id AND x.question_key = a.question_key)")
        expanding = sa.bindparam("keys", expanding=True)
        if conn.dialect.name == "postgresql":
            written += conn.execute(sa.text(
                "INSERT INTO response_rankings (response_id, question_key, ranking) "
                f"SELECT a.response_id, a.question_key, string_agg(a.choice, :sep ORDER BY a.position) {where} "
                "GROUP BY a.response_id, a.question_key").bindparams(expanding), params).rowcount
            continue
        rows = conn.execute(sa.text(f"SELECT a.response_id, a.question_key, a.choice {where} "
                                    "ORDER BY a.response_id, a.question_key, a.position").bindparams(expanding), params)
        batch: list[dict] = []
        current = None
        for response_id, key, choice in rows:
            if current is None or (current["response_id"], current["question_key"]) != (response_id, key):
                current = {"response_id": response_id, "question_key": key, "items": []}
                batch.append(current)
            current["items"].append(choice)
        for start in range(0, len(batch), BATCH):
            conn.execute(sa.text("INSERT INTO response_rankings (response_id, question_key, ranking) "
                                 "VALUES (:response_id, :question_key, :ranking)"),
                         [{"response_id": r["response_id"], "question_key": r["question_key"],
                           "ranking": SEPARATOR.join(r["items"])} for r in batch[start:start + BATCH]])
        written += len(batch)
    return written
