"""Staff: the XLSX of concerns in scope, and erasing a constituent's contact on request."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, new_card, spend_card
from handlers.concerns_keyboards import ConcernErase, ConcernEraseConfirm, ConcernExport
from handlers.concerns_render import category_text, state_text
from services.actors import Actor
from services.clock import utcnow
from services.concerns.erase import contact_to_erase, erase_contact
from services.concerns.export import ExportWords, export_concerns
from services.config import Settings
from services.dates import local_today
from services.i18n_marks import N_
from services.text import esc

HEADERS = (
    N_("ID"),
    N_("Representative"),
    N_("Delegation"),
    N_("Group"),
    N_("Category"),
    N_("Summary"),
    N_("Place"),
    N_("State"),
    N_("Department"),
    N_("Recorded"),
    N_("Last change"),
    N_("Age (days)"),
    N_("Consent"),
    N_("Constituent's name"),
    N_("Constituent's phone"),
)


async def on_export(
    query: CallbackQuery, session: AsyncSession, actor: Actor, settings: Settings, bot: Bot
) -> None:
    await query.answer()
    now = utcnow()
    words = ExportWords(
        headers=[_(header) for header in HEADERS],
        category=category_text,
        state=state_text,
        yes=_("yes"),
        no=_("no"),
    )
    data = await export_concerns(session=session, actor=actor, now=now, tz=settings.tz, words=words)
    name = f"concerns-{local_today(now, settings.tz).isoformat()}.xlsx"
    await bot.send_document(query.from_user.id, BufferedInputFile(data, filename=name))


async def on_erase(
    query: CallbackQuery,
    callback_data: ConcernErase,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    concern_id = callback_data.concern
    concern = await contact_to_erase(session=session, concern_id=concern_id, actor=actor)

    def buttons(card: int) -> InlineKeyboardMarkup:
        choices = ((_("Erase"), True), (_("Keep"), False))
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=label,
                        callback_data=ConcernEraseConfirm(
                            concern=concern_id, card=card, confirmed=confirmed
                        ).pack(),
                    )
                    for label, confirmed in choices
                ]
            ]
        )

    text = _(
        "Erase the contact of {name} (name and phone) from concern #{id}? This cannot be "
        "undone; the rest of the concern stays."
    ).format(name=esc(concern.constituent_name or "—"), id=concern_id)
    await query.answer()
    await bot.send_message(
        query.from_user.id, text, reply_markup=await new_card(state, buttons, slot=Slot.staff)
    )


async def on_erase_confirmed(
    query: CallbackQuery,
    callback_data: ConcernEraseConfirm,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
    if not callback_data.confirmed:
        await bot.send_message(query.from_user.id, _("Kept; nothing was changed."))
        return
    await erase_contact(
        session=session, concern_id=callback_data.concern, actor=actor, now=utcnow()
    )
    done = _("The constituent's contact was erased from concern #{id}.").format(
        id=callback_data.concern
    )
    await bot.send_message(query.from_user.id, done)


def register(router: Router) -> None:
    router.callback_query.register(on_export, ConcernExport.filter())
    router.callback_query.register(on_erase, ConcernErase.filter())
    router.callback_query.register(on_erase_confirmed, ConcernEraseConfirm.filter())
