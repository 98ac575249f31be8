"""the bulletin: issues keyed by (year, number), their articles, and read receipts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:50:23.349941

A read receipt is unique per (issue, person), so that a second tap of 已阅 records nothing more;
the archive lists published issues by date through ix_bulletinissue_state_date.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bulletinissue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('issuing_body', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('series', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('editors_note', sa.Text(), nullable=False),
    sa.Column('contents', sa.JSON(), nullable=False),
    sa.Column('distribution', sa.JSON(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=True),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('file_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'number', name='uq_bulletinissue_year_number')
    )
    with op.batch_alter_table('bulletinissue', schema=None) as batch_op:
        batch_op.create_index('ix_bulletinissue_state_date', ['state', 'issued_on', 'id'], unique=False)

    op.create_table('bulletinarticle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['bulletinissue.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issue_id', 'position', name='uq_bulletinarticle_issue_position')
    )
    op.create_table('bulletinread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('read_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['bulletinissue.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issue_id', 'person_id', name='uq_bulletinread_issue_person')
    )
    with op.batch_alter_table('bulletinread', schema=None) as batch_op:
        batch_op.create_index('ix_bulletinread_person_id', ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bulletinread', schema=None) as batch_op:
        batch_op.drop_index('ix_bulletinread_person_id')

    op.drop_table('bulletinread')
    op.drop_table('bulletinarticle')
    with op.batch_alter_table('bulletinissue', schema=None) as batch_op:
        batch_op.drop_index('ix_bulletinissue_state_date')

    op.drop_table('bulletinissue')