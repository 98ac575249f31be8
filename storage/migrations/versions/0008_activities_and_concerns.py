"""duty activities with their types and points; constituents' concerns

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 05:13:43.179452

The activity types are seeded here with their points; admins change points later with /points,
and every activity keeps the points it earned when it was logged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code, 中文, English, points, quick-entry aliases
ACTIVITY_TYPES = (
    ("group_meeting", "小组活动", "Group meeting", 3, ["代表小组活动", "小组", "meeting"]),
    ("inspection", "视察", "Inspection", 3, ["视察活动"]),
    ("research", "调研", "Research visit", 3, ["专题调研", "调研活动", "research"]),
    ("law_enforcement", "执法检查", "Law-enforcement inspection", 3, ["执法", "enforcement"]),
    ("reception", "接待群众", "Reception", 2, ["接待", "接待选民", "接待日"]),
    ("symposium", "座谈会", "Symposium", 2, ["座谈"]),
    ("training", "学习培训", "Training", 2, ["培训", "学习"]),
    ("congress_session", "参加大会", "Congress session", 5, ["大会", "人代会", "session"]),
    ("observer", "列席会议", "Attending as observer", 2, ["列席", "observer"]),
    ("suggestion", "提交建议议案", "Suggestion or motion", 3, ["建议", "议案", "motion"]),
    ("report_to_voters", "向选民述职", "Report to voters", 5, ["述职", "report"]),
    ("other", "其他", "Other", 1, ["其它"]),
)


def upgrade() -> None:
    types = op.create_table('activitytype',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    assert types is not None
    op.bulk_insert(types, [
        {'code': code, 'name_zh': zh, 'name_en': en, 'points': points, 'aliases': aliases,
         'position': position, 'active': True}
        for position, (code, zh, en, points, aliases) in enumerate(ACTIVITY_TYPES)
    ])
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('for_bulletin', sa.Boolean(), nullable=False),
    sa.Column('bulletin_note', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], ),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['type_id'], ['activitytype.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_delegation_day', ['delegation_id', 'happened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_mandate_id'), ['mandate_id'], unique=False)
        batch_op.create_index('ix_activity_person_day', ['person_id', 'happened_on', 'id'], unique=False)
        batch_op.create_index('ix_activity_person_type_day', ['person_id', 'type_id', 'happened_on', 'id'], unique=False)

    op.create_table('activityattachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('file_unique_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activityattachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activityattachment_activity_id'), ['activity_id'], unique=False)

    op.create_table('concern',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('photo_file_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('constituent_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('constituent_phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('contact_erased_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('touched_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], ),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index('ix_concern_delegation_state', ['delegation_id', 'state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_mandate_id'), ['mandate_id'], unique=False)
        batch_op.create_index('ix_concern_person_state', ['person_id', 'state', 'created_at'], unique=False)

    op.create_table('concernevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_telegram_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('concernevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concernevent_concern_id'), ['concern_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_mandate_id', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('default_mandate_id')

    with op.batch_alter_table('concernevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concernevent_concern_id'))

    op.drop_table('concernevent')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_person_state')
        batch_op.drop_index(batch_op.f('ix_concern_mandate_id'))
        batch_op.drop_index('ix_concern_delegation_state')

    op.drop_table('concern')
    with op.batch_alter_table('activityattachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activityattachment_activity_id'))

    op.drop_table('activityattachment')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_person_type_day')
        batch_op.drop_index('ix_activity_person_day')
        batch_op.drop_index(batch_op.f('ix_activity_mandate_id'))
        batch_op.drop_index('ix_activity_delegation_day')

    op.drop_table('activity')
    op.drop_table('activitytype')
