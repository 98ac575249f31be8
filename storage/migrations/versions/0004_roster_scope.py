"""representative ids unique per delegation and level

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 11:40:00.000000

Each congress issues its own representative ids (代表证号): two delegations may both have a "001".
A roster upload by staff of one delegation must be able to add its "001" without learning that
another delegation already uses it, so the id is unique per delegation and level, not nationwide.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mandate', schema=None) as batch_op:
        batch_op.drop_constraint('uq_mandate_roster_id', type_='unique')
        batch_op.create_unique_constraint(
            'uq_mandate_delegation_level_roster_id', ['delegation_id', 'level', 'roster_id']
        )


def downgrade() -> None:
    # Fails while two delegations share an id: which of them keeps it is for people to decide.
    with op.batch_alter_table('mandate', schema=None) as batch_op:
        batch_op.drop_constraint('uq_mandate_delegation_level_roster_id', type_='unique')
        batch_op.create_unique_constraint('uq_mandate_roster_id', ['roster_id'])
