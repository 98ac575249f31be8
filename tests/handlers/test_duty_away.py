"""The rotation in the chat leaves out someone unavailable (set in their /reminders)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from handlers.duty import DutyMonth
from services.config import Settings
from services.scheduling import preferences as prefs
from storage.models import Mandate
from tests.factories import make_user
from tests.handlers.test_duty import CLERK, _setup, fixed_clock
from tests.harness import Harness

__all__ = ["fixed_clock"]


async def test_the_chat_rotation_skips_an_unavailable_person(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    home, _away, people, _duties = await _setup(session)
    for mandate in (await session.scalars(select(Mandate))).all():
        mandate.station_id = home.id
        session.add(mandate)
    # Without this, 27 March would go to 王建国 (the test of /duty's rotation shows it).
    await prefs.set_until(
        session=session, person_id=people["wang"].id or 0, field="unavailable_until",
        until=date(2024, 3, 31), settings=settings,
    )  # fmt: skip
    await session.commit()
    clerk = make_user(CLERK)
    await tg.press(clerk, DutyMonth(station_id=home.id or 0, year=2024, month=3))
    await tg.press_label(clerk, "按轮值安排空余接待日")
    preview = tg.api.last_text(CLERK).split("\n")
    assert preview == ["<b>按轮值安排以下接待日？</b>", "2024年3月27日（周三）：李芳"]
