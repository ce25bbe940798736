"""theme_tags: why a machine tag was suggested (how, span, matched words) and the sentiment of
the clause around it (issue 12). Rows stored before have NULLs: the next retag fills them, and
the review queue shows "no detail" meanwhile. codebook_themes: a theme's exclude phrases and
what a negated match does (NULL: dropped, the default).

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('how', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('span_start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('span_end', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('matched', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('polarity', sa.Double(), nullable=True))


    with op.batch_alter_table('codebook_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exclude', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('negated', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('codebook_themes', schema=None) as batch_op:
        batch_op.drop_column('negated')
        batch_op.drop_column('exclude')
    with op.batch_alter_table('theme_tags', schema=None) as batch_op:
        for column in ('polarity', 'matched', 'span_end', 'span_start', 'how'):
            batch_op.drop_column(column)
