"""/duty: staff see a station of their scope month by month and swap two duties, both told;
representatives see their own; the reminder's button starts /log as a reception."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.duty import DutyMonth, DutyRotate, DutySwap
from handlers.duty_log import DutyLog
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Mandate, Person, Station
from storage.rota_models import DutyAssignment
from tests.factories import (
    add_activity_types,
    add_delegation,
    add_representative,
    add_staff,
    make_user,
)
from tests.handlers.test_history import buttons
from tests.harness import Harness

CLERK, OUTSIDER, WANG, LI = 7301, 7302, 7303, 7304
NOW = datetime(2024, 3, 10, 2, 0, tzinfo=UTC)
NOT_FOUND = "该记录不存在，或不属于您。"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.duty.utcnow", lambda: NOW)


async def _setup(session: AsyncSession) -> tuple[Station, Station, dict[str, Person], list[int]]:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    wang = await add_representative(session, telegram_id=WANG, delegation=luoyang, name="王<建国>")
    li = await add_representative(session, telegram_id=LI, delegation=luoyang, name="李芳")
    home = Station(name="城关<站>", address="中山路1号", delegation_id=luoyang.id)
    away = Station(name="南阳站", delegation_id=nanyang.id)
    session.add_all([home, away])
    await session.flush()
    assert home.id is not None
    duties = [
        DutyAssignment(
            station_id=home.id,
            day=day,
            person_id=person.id or 0,
            starts_at=time(9),
            ends_at=time(12),
        )
        for day, person in ((date(2024, 3, 13), wang), (date(2024, 3, 20), li))
    ]
    session.add_all(duties)
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    await add_staff(session, telegram_id=OUTSIDER, delegations=[nanyang])
    await session.commit()
    return home, away, {"wang": wang, "li": li}, [d.id or 0 for d in duties]


async def _duty_days(session: AsyncSession) -> dict[int, date]:
    rows = await session.execute(
        select(DutyAssignment.person_id, col(DutyAssignment.day)).execution_options(
            populate_existing=True
        )
    )
    return {row[0]: row[1] for row in rows.all()}


async def test_staff_swap_two_duties_both_told_once(tg: Harness, session: AsyncSession) -> None:
    home, _away, people, duties = await _setup(session)
    clerk = make_user(CLERK)
    answer = await tg.send(clerk, "/duty")
    assert answer == "请选择联络站："
    assert list(buttons(tg, CLERK)) == ["城关<站>"]  # 南阳站 is outside the clerk's scope
    await tg.press(clerk, buttons(tg, CLERK)["城关<站>"])
    month = tg.api.last_text(CLERK).split("\n")
    assert month[0] == "<b>城关&lt;站&gt;</b> · 2024-03"
    assert "2024年3月13日（周三）：王&lt;建国&gt;" in month
    assert "2024年3月20日（周三）：李芳" in month
    assert "2024年3月27日（周三）：无人值班" in month
    await tg.press_label(clerk, "调换两次值班")
    await tg.press_label(clerk, "2024-03-13 王<建国>")
    await tg.press_label(clerk, "2024-03-20 李芳")
    card = tg.api.last_text(CLERK)
    assert "王&lt;建国&gt;：2024年3月13日（周三） → 2024年3月20日（周三）" in card
    confirm = buttons(tg, CLERK)["确认调换"]
    await tg.press(clerk, confirm)
    assert tg.api.last_text(CLERK) == "已调换，已通知两位代表。"
    days = await _duty_days(session)
    assert days == {people["wang"].id: date(2024, 3, 20), people["li"].id: date(2024, 3, 13)}
    recipients = await session.scalars(select(DeliveryRecipient.person_id))
    assert sorted(recipients) == sorted([people["wang"].id or 0, people["li"].id or 0])
    # The same confirmation again (a second tap, an old card) swaps nothing back.
    await tg.press(clerk, confirm)
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    assert await _duty_days(session) == days
    assert len((await session.scalars(select(Delivery))).all()) == 2
    assert home.id is not None
    assert duties


async def test_forged_station_and_duty_are_not_found(tg: Harness, session: AsyncSession) -> None:
    home, away, _people, duties = await _setup(session)
    assert home.id is not None
    assert away.id is not None
    outsider = make_user(OUTSIDER)
    await tg.press(outsider, DutyMonth(station_id=home.id, year=2024, month=3))
    assert tg.api.alerts()[-1] == NOT_FOUND
    forged = DutySwap(
        station_id=home.id,
        year=2024,
        month=3,
        first=duties[0],
        second=duties[1],
        day=date(2024, 3, 13).toordinal(),
    )
    await tg.press(outsider, forged)
    assert tg.api.alerts()[-1] == NOT_FOUND
    # A duty of another station under a station in scope is not found either.
    clerk = make_user(CLERK)
    sneaky = DutySwap(station_id=away.id, year=2024, month=3, first=duties[0], second=duties[1])
    await tg.press(clerk, sneaky)
    assert tg.api.alerts()[-1] == NOT_FOUND
    assert all(text != "已调换，已通知两位代表。" for text in tg.api.texts(OUTSIDER))
    assert (await session.scalars(select(Delivery))).all() == []


async def test_a_representative_sees_their_own_duty(tg: Harness, session: AsyncSession) -> None:
    await _setup(session)
    answer = await tg.send(make_user(WANG), "/duty")
    assert answer.split("\n") == [
        "<b>您接下来的值班</b>",
        "2024年3月13日（周三） 09:00–12:00 · 城关&lt;站&gt; · 中山路1号",
    ]


async def test_the_reminder_button_starts_log_as_a_reception(
    tg: Harness, session: AsyncSession
) -> None:
    _home, _away, _people, duties = await _setup(session)
    await add_activity_types(session)
    await session.commit()
    await tg.press(make_user(LI), DutyLog(duty_id=duties[0]))
    assert tg.api.alerts()[-1] == NOT_FOUND
    await tg.press(make_user(WANG), DutyLog(duty_id=duties[0]))
    card = tg.api.last_text(WANG)
    assert "接待群众" in card
    assert "2024年3月13日" in card
    assert "城关&lt;站&gt;" in card


async def test_staff_fill_the_free_days_by_rotation_once(
    tg: Harness, session: AsyncSession
) -> None:
    home, _away, people, _duties = await _setup(session)
    assert home.id is not None
    for mandate in (await session.scalars(select(Mandate))).all():
        mandate.station_id = home.id
        session.add(mandate)
    await session.commit()
    clerk = make_user(CLERK)
    await tg.press(clerk, DutyMonth(station_id=home.id, year=2024, month=3))
    await tg.press_label(clerk, "按轮值安排空余接待日")
    preview = tg.api.last_text(CLERK).split("\n")
    # 13 and 20 March have their duty; 27 March goes to the one after 李芳 (by id: 王建国).
    assert preview == ["<b>按轮值安排以下接待日？</b>", "2024年3月27日（周三）：王&lt;建国&gt;"]
    assert len(await _duty_days(session)) == 2
    await tg.press_label(clerk, "确认")
    assert tg.api.last_text(CLERK).startswith("已安排 1 次值班。")
    await tg.press(clerk, DutyRotate(station_id=home.id, year=2024, month=3, go=True))
    assert tg.api.last_text(CLERK) == "本月已没有空余的接待日。"
    count = len((await session.scalars(select(DutyAssignment))).all())
    assert count == 3
    assert people["wang"].id is not None
