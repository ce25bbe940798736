"""indicators, indicator_versions, indicator_values: shared measurement (issue 13)

Indicators are files (surveys/indicators/*.yaml) loaded as immutable versions like surveys;
reported values are the figures partners and public sources send per period and geography,
with their provenance (source, partner, account).

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('key', name=op.f('uq_indicators_key'))
    )
    op.create_table('indicator_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source_path', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_versions_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_versions')),
    sa.UniqueConstraint('indicator_id', 'number', name=op.f('uq_indicator_versions_indicator_id_number'))
    )
    with op.batch_alter_table('indicator_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_versions_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('geography', sa.String(length=100), nullable=False),
    sa.Column('dimension', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['partner_id'], ['stakeholders.id'], name=op.f('fk_indicator_values_partner_id_stakeholders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_indicator_values_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'period', 'geography', 'dimension', 'category', name=op.f('uq_indicator_values_indicator_id_period_geography_dimension_category'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_indicator_id'), ['indicator_id'], unique=False)


def downgrade():
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_indicator_id'))

    op.drop_table('indicator_values')
    with op.batch_alter_table('indicator_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_versions_indicator_id'))

    op.drop_table('indicator_versions')
    op.drop_table('indicators')
