"""mentions.client_id: a double-tapped or re-sent "organisation named" form stores one mention

Mentions stored before have none (NULL, which a unique index lets repeat) and keep counting.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_mentions_client_id'), ['client_id'])


def downgrade():
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_mentions_client_id'), type_='unique')
        batch_op.drop_column('client_id')
