"""the delivery engine's outbox: deliveries and one row per recipient

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:36:30.292726

A recipient row is unique per (delivery, person) and by its own dedupe key, so that two planners
or two restarts queueing the same notice make one row; the indexes serve the sender's claim (a
delivery's queued rows in id order) and its search for expired leases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('template_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('entities', sa.JSON(), nullable=False),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('author_telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('not_before', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_due', ['state', 'priority', 'not_before', 'id'], unique=False)

    op.create_table('deliveryrecipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=287), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('parts_sent', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_try_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key'),
    sa.UniqueConstraint('delivery_id', 'person_id', name='uq_deliveryrecipient_delivery_person')
    )
    with op.batch_alter_table('deliveryrecipient', schema=None) as batch_op:
        batch_op.create_index('ix_deliveryrecipient_claim', ['delivery_id', 'state', 'id'], unique=False)
        batch_op.create_index('ix_deliveryrecipient_lease', ['state', 'lease_until'], unique=False)
        batch_op.create_index('ix_deliveryrecipient_person_id', ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('deliveryrecipient', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveryrecipient_person_id')
        batch_op.drop_index('ix_deliveryrecipient_lease')
        batch_op.drop_index('ix_deliveryrecipient_claim')

    op.drop_table('deliveryrecipient')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_due')

    op.drop_table('delivery')
