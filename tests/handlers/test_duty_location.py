"""Staff share a station's location from Telegram under its month in /duty; typed coordinates
are refused with how to share one; a station outside the scope is not found."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.duty import DutyMonth
from handlers.duty_location import DutyLocation
from storage.models import Station
from tests.factories import make_location, make_user
from tests.handlers.test_duty import CLERK, NOT_FOUND, OUTSIDER, WANG, _setup, fixed_clock
from tests.harness import Harness

__all__ = ["fixed_clock"]


async def _where(session: AsyncSession, station: Station) -> tuple[float | None, float | None]:
    await session.refresh(station)
    return station.latitude, station.longitude


async def test_staff_share_the_station_s_location(tg: Harness, session: AsyncSession) -> None:
    home, _away, _people, _duties = await _setup(session)
    assert home.id is not None
    clerk = make_user(CLERK)
    await tg.press(clerk, DutyMonth(station_id=home.id, year=2024, month=3))
    await tg.press_label(clerk, "📍 发送联络站位置")
    assert "城关&lt;站&gt;" in tg.api.last_text(CLERK)
    # Coordinates typed (or pasted from a map app) are not taken.
    answer = await tg.send(clerk, "34.6197,112.4539")
    assert "📎" in answer
    assert await _where(session, home) == (None, None)
    await tg.feed(make_location(user=clerk, latitude=34.6197, longitude=112.4539))
    assert tg.api.last_text(CLERK) == "已保存城关&lt;站&gt;的位置，值班前一晚的提醒将附上该位置。"
    assert await _where(session, home) == (34.6197, 112.4539)
    # The step is over: a second location is no longer taken as the station's.
    await tg.feed(make_location(user=clerk, latitude=1.0, longitude=2.0))
    assert await _where(session, home) == (34.6197, 112.4539)


async def test_outside_the_scope_or_not_staff_nothing_changes(
    tg: Harness, session: AsyncSession
) -> None:
    home, _away, _people, _duties = await _setup(session)
    assert home.id is not None
    await tg.press(make_user(OUTSIDER), DutyLocation(station_id=home.id))
    assert tg.api.alerts()[-1] == NOT_FOUND
    await tg.feed(make_location(user=make_user(OUTSIDER), latitude=1.0, longitude=2.0))
    await tg.press(make_user(WANG), DutyLocation(station_id=home.id))
    assert tg.api.alerts()[-1] == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    assert await _where(session, home) == (None, None)
