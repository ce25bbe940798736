"""Two indexes for reading at scale.

ix_responses_survey_standing_id: the responses export's keyset batches (a survey's standing
responses after an id, in id order). Without it SQLite (with no statistics) walked the survey's
other index and sorted every remaining response for each batch of 2,000: 1.6 s of CPU for
100,000 rows, quadratic.

ix_answers_key_response: one question's answers in response order from the index alone. The
alignment report reads every ranking (3 million answers at a million responses); the only index
with question_key led with response_id, so PostgreSQL scanned all of it and the table too.

Revision ID: 0015
Revises: 0014
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_survey_standing_id', ['survey_id', 'withdrawn_at', 'id'], unique=False)
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_key_response', ['question_key', 'response_id', 'position', 'choice'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_key_response')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_standing_id')
