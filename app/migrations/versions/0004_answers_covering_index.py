"""answers: a covering index (response_id, question_key, choice) replaces the one on response_id

The representation report reads every respondent's demographic answers in one pass; with the
covering index neither SQLite nor PostgreSQL has to visit the table (bench/reports.py).

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_response_key_choice', ['response_id', 'question_key', 'choice'], unique=False)
        batch_op.drop_index('ix_answers_response_id')


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_response_id', ['response_id'], unique=False)
        batch_op.drop_index('ix_answers_response_key_choice')
