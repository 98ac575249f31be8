"""planner hints: until when a reminder planner has nothing to do, so an idle tick is one read

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 12:40:00.000000

One row per planner; every change that could bring a reminder earlier clears `quiet_until` and
bumps `version` (services.scheduling.hints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('plannerhint',
    sa.Column('planner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('quiet_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('planner')
    )


def downgrade() -> None:
    op.drop_table('plannerhint')
