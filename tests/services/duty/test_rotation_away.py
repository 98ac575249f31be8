""" "Unavailable until" in /reminders takes a person out of the rotation until that day."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.duty.rotation import rotate
from services.scheduling import preferences as prefs
from tests.services.duty.test_roster import _station


async def test_an_unavailable_person_waits_for_the_turn_after_their_return(
    session: AsyncSession, settings: Settings
) -> None:
    station, (zhang, li, wang) = await _station(session, ["张三", "李四", "王五"])
    # 李四 is away until 27 March inclusive (an illness), as set in /reminders.
    await prefs.set_until(
        session=session, person_id=li.id or 0, field="unavailable_until", until=date(2024, 3, 27),
        settings=settings,
    )  # fmt: skip
    planned = await rotate(session=session, station=station, start=date(2024, 3, 18), weeks=4)
    assert [(d.day, d.person_id) for d in planned] == [
        (date(2024, 3, 20), zhang.id),
        (date(2024, 3, 27), wang.id),  # 李四's turn, but away
        (date(2024, 4, 3), zhang.id),
        (date(2024, 4, 10), li.id),  # back
    ]
