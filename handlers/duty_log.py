"""The one-tap prompt of a duty reminder: /log started as a reception at the station on the
day of the duty. Only the person on duty may press it; anyone else's press is not found."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import dialogs
from handlers.dialogs_choice import Wanted
from handlers.log_steps import Flow
from services.actors import Actor
from services.config import Settings
from services.duty.access import own_duty, reception_type_name
from services.duty.templates import LOG_RECEPTION_PREFIX
from services.people import ROW_ID_MAX


class DutyLog(CallbackData, prefix=LOG_RECEPTION_PREFIX):
    duty_id: int = Field(ge=1, le=ROW_ID_MAX)


async def on_log_reception(
    query: CallbackQuery,
    callback_data: DutyLog,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    state: FSMContext,
    bot: Bot,
) -> None:
    duty, station = await own_duty(
        session=session, person_id=actor.person_id, duty_id=callback_data.duty_id
    )
    await query.answer()
    kind = await reception_type_name(session=session)
    # A quick entry's words: the type, the date, then the place (one word) and the summary.
    place = "".join(station.name.split())
    words = [kind or "", duty.day.isoformat(), place, _("Representative day reception")]
    flow = Flow(bot, query.from_user.id, state, session, actor, settings)
    await dialogs.start(flow, Wanted(words=" ".join(w for w in words if w)))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_log_reception, DutyLog.filter())
    return router
