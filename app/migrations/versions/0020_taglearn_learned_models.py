"""Learning from review (issue 12): learned_models holds a tagger per codebook and language,
trained on people's review decisions; tagged_texts.uncertainty orders the review queue by how
unsure that tagger is. Both start empty: the first model is trained once enough texts are
reviewed.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'learned_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('codebook_hash', sa.String(length=64), nullable=False),
        sa.Column('lang', sa.String(length=16), nullable=False),
        sa.Column('examples', sa.Integer(), nullable=False),
        sa.Column('decisions', sa.Integer(), nullable=False),
        sa.Column('learned_themes', sa.JSON(), nullable=False),
        sa.Column('model', sa.LargeBinary(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=True),
        sa.Column('trained_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('codebook_hash', 'lang', name='uq_learned_models_codebook_lang'),
    )
    with op.batch_alter_table('tagged_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncertainty', sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table('tagged_texts', schema=None) as batch_op:
        batch_op.drop_column('uncertainty')
    op.drop_table('learned_models')
