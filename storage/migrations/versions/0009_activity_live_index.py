"""an index of live activities that answers /my's counts and totals on its own

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 05:40:00.000000

Partial (deleted_at IS NULL) and covering: counting a person's entries, a quarter's points and the
months with entries read the index alone, never the rows, which lie scattered over the table.
deleted_at is listed although always NULL in it: SQLite counts an index as covering only when it
holds every column the query names.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text('deleted_at IS NULL')


def upgrade() -> None:
    op.create_index(
        'ix_activity_person_live',
        'activity',
        ['person_id', 'happened_on', 'id', 'type_id', 'points', 'deleted_at'],
        unique=False,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index('ix_activity_person_live', table_name='activity')
