"""reminders: each person's reminder settings, and reminders missed while the bot was down

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:20:00.000000

A missed reminder is unique per dedupe key, so that two planners recording it at once leave one
row; reminder settings are one row per person, removed with the person.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('remindersettings',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.Column('muted_until', sa.Date(), nullable=True),
    sa.Column('unavailable_until', sa.Date(), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('missedreminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=255), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('useful_until', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('missedreminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missedreminder_kind'), ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('missedreminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missedreminder_kind'))
    op.drop_table('missedreminder')
    op.drop_table('remindersettings')
