"""the representative day: station hours and location, duty roster, calendar overrides

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:10:00.000000

A representative is on duty at most once per (station, day); the roster is read by day (the
reminder planners) and by person (/duty for a representative).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reception_start', sa.Time(), nullable=False, server_default='09:00:00')
        )
        batch_op.add_column(
            sa.Column('reception_end', sa.Time(), nullable=False, server_default='12:00:00')
        )
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))

    op.create_table('calendaroverride',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', name='uq_calendaroverride_day')
    )
    op.create_table('dutyassignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('station_id', 'day', 'person_id', name='uq_dutyassignment_station_day')
    )
    with op.batch_alter_table('dutyassignment', schema=None) as batch_op:
        batch_op.create_index('ix_dutyassignment_day', ['day', 'station_id'], unique=False)
        batch_op.create_index('ix_dutyassignment_person_day', ['person_id', 'day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dutyassignment', schema=None) as batch_op:
        batch_op.drop_index('ix_dutyassignment_person_day')
        batch_op.drop_index('ix_dutyassignment_day')
    op.drop_table('dutyassignment')
    op.drop_table('calendaroverride')
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('reception_end')
        batch_op.drop_column('reception_start')
