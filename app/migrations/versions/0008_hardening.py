"""Hardening (issue 14): a session version per user, code attempts per address, partner invitations

- users.session_version: bumped on sign-out and password change, so a session cookie copied
  before then stops working (existing sessions end once, at upgrade: their ids lack a version);
- code_attempts: tries of resume and withdrawal codes, counted per client address;
- partner_invitations: per-organisation links to the partner survey, stored as SHA-256 hashes.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('code_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_attempts'))
    )
    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_code_attempts_address_kind_at', ['address', 'kind', 'at'], unique=False)

    op.create_table('partner_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_id', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_partner_invitations_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholders.id'], name=op.f('fk_partner_invitations_stakeholder_id_stakeholders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_partner_invitations_token_hash'))
    )
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_invitations_stakeholder_id'), ['stakeholder_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_invitations_stakeholder_id'))
    op.drop_table('partner_invitations')
    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_code_attempts_address_kind_at')
    op.drop_table('code_attempts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
