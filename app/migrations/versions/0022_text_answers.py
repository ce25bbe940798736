"""text_answers: each free-text answer with the response columns the themes report filters by,
written with the answers, filled here for the answers stored before

The themes report joined every free-text answer to its response on each of its statements: at a
million responses (ten million answers) three statements took 3.5 to 4 s each and the report
passed its time limit (bench/scale.py). It now reads this narrow table alone. A small partial
index finds the withdrawn responses, which the report leaves out, and an index of each theme's
tags in score order gives its quotes without ranking every tag (app.themes.quotes).

Revision ID: 0022
Revises: 0021
"""
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

#: Question types whose answers are free text (app.questions: is_text).
TEXT_TYPES = ("short_text", "long_text")


def upgrade():
    op.create_table(
        'text_answers',
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=100), nullable=False),
        sa.Column('lang', sa.String(length=20), nullable=True),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        # JSONB on PostgreSQL: the report reads a category out of each text's pattern.
        sa.Column('demographics', sa.Text().with_variant(JSONB(), 'postgresql'), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id']),
        sa.PrimaryKeyConstraint('answer_id'),
    )
    op.create_index('ix_text_answers_response_id', 'text_answers', ['response_id'])
    op.create_index('ix_responses_withdrawn', 'responses', ['id'], sqlite_where=sa.text('withdrawn_at IS NOT NULL'),
                    postgresql_where=sa.text('withdrawn_at IS NOT NULL'))
    op.create_index('ix_theme_tags_theme_coder_score', 'theme_tags', ['theme', 'coder', 'score', 'answer_id'])
    fill_from_answers(op.get_bind())


def downgrade():
    op.drop_index('ix_theme_tags_theme_coder_score', table_name='theme_tags')
    op.drop_index('ix_responses_withdrawn', table_name='responses')
    op.drop_index('ix_text_answers_response_id', table_name='text_answers')
    op.drop_table('text_answers')


def text_keys(definition) -> list[str]:
    if isinstance(definition, str):  # SQLite hands JSON back as text
        definition = json.loads(definition)
    return sorted({q["key"] for page in definition["pages"] for q in page["questions"] if q.get("type") in TEXT_TYPES})


def fill_from_answers(conn) -> int:
    """Store a text_answers row for every non-empty free-text answer that has none; returns the
    rows written, so it can run again. Self-contained (no app imports), as a migration must keep
    working when the app's code moves on; app.responses.submission writes the same rows for new
    responses. The benchmarks call it after their bulk loads, which bypass the app."""
    pattern = "CAST(r.demographics AS JSONB)" if conn.dialect.name == "postgresql" else "r.demographics"
    written = 0
    for version_id, definition in conn.execute(sa.text("SELECT id, definition FROM survey_versions")).all():
        keys = text_keys(definition)
        if not keys:
            continue
        written += conn.execute(sa.text(
            "INSERT INTO text_answers (answer_id, response_id, question_key, lang, survey_id, channel, submitted_at, "
            "demographics) "
            "SELECT a.id, a.response_id, a.question_key, COALESCE(a.lang, r.lang), r.survey_id, r.channel, "
            f"r.submitted_at, {pattern} FROM answers a JOIN responses r ON r.id = a.response_id "
            "WHERE r.survey_version_id = :version AND a.question_key IN :keys AND a.text IS NOT NULL AND a.text <> '' "
            "AND NOT EXISTS (SELECT 1 FROM text_answers x WHERE x.answer_id = a.id)"
        ).bindparams(sa.bindparam("keys", expanding=True)), {"version": version_id, "keys": keys}).rowcount
    return written
