"""/points: admins list and change the points of activity types; the past keeps its points until
a rescore of its year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from services.activities.points import rescore
from storage.audit import list_audit
from storage.duty_models import Activity, ActivityType
from storage.models import Mandate
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff, make_user
from tests.harness import Harness

ADMIN_ZH = make_user(ADMIN_ID, language_code="zh")
ADMIN_EN = make_user(ADMIN_ID, language_code="en")
REFUSAL = "您的角色无法使用此功能。发送 /help 查看可用功能。"


async def add_types(session: AsyncSession) -> dict[str, ActivityType]:
    types = {
        "inspection": ActivityType(
            code="inspection", name_zh="视察", name_en="Inspection", aliases=["视察活动"], points=3
        ),
        "reception": ActivityType(
            code="reception", name_zh="接待群众", name_en="Reception", aliases=["接待"], points=2
        ),
        "report_to_voters": ActivityType(
            code="report_to_voters",
            name_zh="向选民述职",
            name_en="Report to voters",
            aliases=["述职"],
            points=5,
        ),
    }
    for position, kind in enumerate(types.values()):
        kind.position = position
        session.add(kind)
    await session.flush()
    return types


async def points_of(session: AsyncSession, code: str) -> int:
    session.expire_all()
    kind = (await session.scalars(select(ActivityType).where(ActivityType.code == code))).one()
    return kind.points


async def test_admin_lists_the_types_in_their_language(tg: Harness, session: AsyncSession) -> None:
    await add_types(session)
    await session.commit()
    assert (await tg.send(ADMIN_ZH, "/points")).splitlines() == [
        "<b>各类履职活动积分</b>",
        "• 视察（inspection）：3 分",
        "• 接待群众（reception）：2 分",
        "• 向选民述职（report_to_voters）：5 分",
        "修改积分请发送 /points 类型 分值，例如 /points 视察 4",
    ]
    assert (await tg.send(ADMIN_EN, "/points")).splitlines() == [
        "<b>Points per activity type</b>",
        "• Inspection (inspection): 3",
        "• Reception (reception): 2",
        "• Report to voters (report_to_voters): 5",
        "Change one with /points TYPE POINTS, e.g. /points 视察 4",
    ]


@pytest.mark.parametrize(
    ("command", "code", "points"),
    [
        ("/points 视察 4", "inspection", 4),
        ("/points inspection 0", "inspection", 0),
        ("/points 接待 1000", "reception", 1000),
        ("/points REPORT TO VOTERS 7", "report_to_voters", 7),
        ("/points\u3000述职\u3000６", "report_to_voters", 6),
    ],
)
async def test_admin_sets_points_by_code_name_or_alias(
    tg: Harness, session: AsyncSession, command: str, code: str, points: int
) -> None:
    await add_types(session)
    await session.commit()
    answer = await tg.send(ADMIN_EN, command)
    assert answer.startswith(
        f"{(await _english_name(session, code))}: {points} points from now on."
    )
    assert answer.endswith("run on the server: python -m bot activities rescore --year YEAR")
    assert await points_of(session, code) == points
    [entry] = await list_audit(session=session, action="activity_type.points")
    assert entry.actor_telegram_id == ADMIN_ID
    assert entry.target == f"activity_type:{code}"
    old = {"inspection": 3, "reception": 2, "report_to_voters": 5}[code]
    assert entry.details == {"old": old, "new": points}


async def _english_name(session: AsyncSession, code: str) -> str:
    kind = (await session.scalars(select(ActivityType).where(ActivityType.code == code))).one()
    return kind.name_en


async def test_the_answer_is_in_chinese_for_a_chinese_admin(
    tg: Harness, session: AsyncSession
) -> None:
    await add_types(session)
    await session.commit()
    assert await tg.send(ADMIN_ZH, "/points 视察 4") == (
        "视察：今后登记的活动计 4 分。已登记的活动保留原有积分；如需按新分值重算某一年度，"
        "请在服务器上运行：python -m bot activities rescore --year 年份"
    )


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        (
            "/points 考察 4",
            "没有名为“考察”的活动类型。现有类型：inspection, reception, report_to_voters。",
        ),
        ("/points 视察 1001", "积分须为 0 至 1000 之间的整数。"),
        (
            "/points 视察 -1",
            "发送 /points 查看各活动类型；修改积分请发送 /points 类型 分值，例如 /points 视察 4",
        ),
        (
            "/points 视察",
            "发送 /points 查看各活动类型；修改积分请发送 /points 类型 分值，例如 /points 视察 4",
        ),
        (
            "/points 4",
            "发送 /points 查看各活动类型；修改积分请发送 /points 类型 分值，例如 /points 视察 4",
        ),
        (
            "/points 视察 四",
            "发送 /points 查看各活动类型；修改积分请发送 /points 类型 分值，例如 /points 视察 4",
        ),
        (
            "/points <b>x</b> 4",
            "没有名为“&lt;b&gt;x&lt;/b&gt;”的活动类型。"
            "现有类型：inspection, reception, report_to_voters。",
        ),
    ],
)
async def test_bad_commands_change_nothing(
    tg: Harness, session: AsyncSession, command: str, answer: str
) -> None:
    await add_types(session)
    await session.commit()
    assert await tg.send(ADMIN_ZH, command) == answer
    assert await points_of(session, "inspection") == 3
    assert await list_audit(session=session, action="activity_type.points") == []


async def test_staff_and_representatives_are_refused(tg: Harness, session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=301, delegation=delegation)
    await add_staff(session, telegram_id=302, delegations=[delegation])
    await add_types(session)
    await session.commit()
    for user_id in (301, 302):
        for command in ("/points", "/points 视察 9"):
            assert await tg.send(make_user(user_id), command) == REFUSAL
    assert await points_of(session, "inspection") == 3
    assert await list_audit(session=session, action="activity_type.points") == []


async def _log(
    session: AsyncSession, kind: ActivityType, day: date, deleted_at: datetime | None = None
) -> int:
    mandate = (await session.scalars(select(Mandate))).first()
    assert mandate is not None
    assert mandate.id is not None
    assert kind.id is not None
    activity = Activity(
        person_id=mandate.person_id,
        mandate_id=mandate.id,
        delegation_id=mandate.delegation_id,
        type_id=kind.id,
        points=kind.points,
        happened_on=day,
        summary="文旅文创融合调研",
        deleted_at=deleted_at,
    )
    session.add(activity)
    await session.flush()
    assert activity.id is not None
    return activity.id


async def test_logged_activities_keep_their_points_until_their_year_is_rescored(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=310, delegation=delegation)
    types = await add_types(session)
    inspection, reception = types["inspection"], types["reception"]
    first = await _log(session, inspection, date(2024, 3, 15))
    deleted = await _log(
        session, inspection, date(2024, 12, 31), deleted_at=datetime(2025, 1, 2, tzinfo=UTC)
    )
    other_type = await _log(session, reception, date(2024, 1, 1))
    other_year = await _log(session, inspection, date(2025, 1, 1))
    await session.commit()

    await tg.send(ADMIN_EN, "/points 视察 4")
    assert await _points(session) == {first: 3, deleted: 3, other_type: 2, other_year: 3}

    assert await rescore(session=session, year=2024, actor_telegram_id=ADMIN_ID) == 2
    await session.commit()
    assert await _points(session) == {first: 4, deleted: 4, other_type: 2, other_year: 3}
    [entry] = await list_audit(session=session, action="activities.rescore")
    assert (entry.actor_telegram_id, entry.target) == (ADMIN_ID, "year:2024")
    assert entry.details == {"year": 2024, "count": 2}

    # Nothing left to change: the count says so, and the rescore is audited all the same.
    assert await rescore(session=session, year=2024, actor_telegram_id=None) == 0
    assert len(await list_audit(session=session, action="activities.rescore")) == 2


async def _points(session: AsyncSession) -> dict[int, int]:
    session.expire_all()
    return {row.id or 0: row.points for row in await session.scalars(select(Activity))}
