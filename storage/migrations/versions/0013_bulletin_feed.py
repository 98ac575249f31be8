"""the bulletin feed watch: a feed's validators and health, and the items already taken

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00.000000

A feed is keyed by the SHA-256 of its address and an item by the SHA-256 of its id, so that
addresses and ids of any length fit a unique index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0013'
# Chained after the bulletin tables (0012) once they land; on 0011 until then.
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feedstate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('failure_streak', sa.Integer(), nullable=False),
    sa.Column('failing_since', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_success_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('feed_key')
    )
    op.create_table('feeditemseen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_id', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('feed_key', 'item_key', name='uq_feeditemseen_item')
    )


def downgrade() -> None:
    op.drop_table('feeditemseen')
    op.drop_table('feedstate')
