"""staff broadcasts: one row per broadcast beside its delivery, with its progress message

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:30:35.801836

The token made at preview is unique, so that a second confirm finds the first one's broadcast.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('author_telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('delegation_ids', sa.JSON(), nullable=True),
    sa.Column('progress_message_id', sa.Integer(), nullable=True),
    sa.Column('progress_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('progress_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reported_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_broadcast_delivery_id_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast')),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_broadcast_delivery_id')),
    sa.UniqueConstraint('token', name=op.f('uq_broadcast_token'))
    )
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcast_reported_at'), ['reported_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcast_reported_at'))

    op.drop_table('broadcast')
