"""A station's location, shared by staff from Telegram (📎 → Location) after pressing the
button under the station's month; the evening-before notice carries it as a map pin.

Only a real shared location is taken: coordinates typed or copied from a Chinese map app are
offset (GCJ-02) by hundreds of metres, so a typed text is answered with how to share one. The
station is read again through the scope check when the location arrives.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.duty.access import station_in_scope
from services.duty.stations import set_location
from services.errors import StaleButton
from services.people import ROW_ID_MAX
from services.text import esc

STEP = {"action": "duty_location_step"}
STATION = "duty_location_station"


class DutyLocation(CallbackData, prefix="dloc"):
    station_id: int = Field(ge=1, le=ROW_ID_MAX)


class LocationInput(StatesGroup):
    waiting = State()


async def on_ask(
    query: CallbackQuery,
    callback_data: DutyLocation,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    station = await station_in_scope(
        session=session, scope=actor.scope, station_id=callback_data.station_id
    )
    await query.answer()
    await state.set_state(LocationInput.waiting)
    await state.update_data({STATION: station.id})
    ask = _(
        "Share the location of {station} from Telegram: 📎 → Location, then move the pin to "
        "the station's door. Send /cancel to stop."
    ).format(station=esc(station.name))
    await bot.send_message(query.from_user.id, ask)


async def on_location(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    station_id = (await state.get_data()).get(STATION)
    await state.set_state(None)
    await state.update_data({STATION: None})
    if not isinstance(station_id, int) or message.location is None:
        raise StaleButton()
    station = await station_in_scope(session=session, scope=actor.scope, station_id=station_id)
    where = message.location
    await set_location(
        session=session, station=station, latitude=where.latitude, longitude=where.longitude
    )
    await message.answer(
        _("Location of {station} saved: the evening-before notice will carry it.").format(
            station=esc(station.name)
        )
    )


async def on_other(message: Message) -> None:
    await message.answer(
        _(
            "Please share a location from Telegram (📎 → Location), not typed coordinates: "
            "those copied from a Chinese map app are off by hundreds of metres."
        )
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_ask, DutyLocation.filter())
    router.message.register(on_location, LocationInput.waiting, F.location, flags=STEP)
    router.message.register(on_other, LocationInput.waiting, ~F.text.startswith("/"), flags=STEP)
    return router
