"""a claim on a leftover answer, so that two senders never both send it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:40:00.000000

The sweeps that send answers a failure left behind (at start, in housekeeping, and for an update
taken up again) claim their rows first, with a lease, as the delivery sender claims its rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pendingreply', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('pendingreply', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
