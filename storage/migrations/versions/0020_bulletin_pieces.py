"""bulletin pieces: which activities were assembled into which issue

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bulletin_piece',
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['bulletinissue.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issue_id', 'activity_id', name='uq_bulletin_piece_issue_id')
    )
    with op.batch_alter_table('bulletin_piece', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_piece_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulletin_piece_issue_id'), ['issue_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bulletin_piece', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_piece_issue_id'))
        batch_op.drop_index(batch_op.f('ix_bulletin_piece_activity_id'))
    op.drop_table('bulletin_piece')
