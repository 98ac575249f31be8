"""Admins: /duplicates lists entries that may be one person; /merge KEEP OTHER joins two, after
a card that names both and what happens to the second."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, new_card, spend_card
from services.actors import Actor
from services.clock import utcnow
from services.errors import BadInput
from services.i18n_marks import N_
from services.merge import Candidate, find_duplicates, merge_people, merge_preview
from services.people import ROW_ID_MAX
from services.text import esc, split_text


class MergeCallback(CallbackData, prefix="merge"):
    keep: int = Field(ge=1, le=ROW_ID_MAX)
    other: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)
    confirmed: bool


async def cmd_duplicates(message: Message, session: AsyncSession) -> None:
    groups = await find_duplicates(session=session)
    if not groups:
        await message.answer(_("No possible duplicates: no two entries share a name and a phone."))
        return
    lines = [_("Possible duplicates (same name and phone):")]
    for group in groups:
        lines.append(f"<b>{esc(group[0].name)}</b> · {esc(group[0].phone)}")
        lines += [f"  {_entry(candidate)}" for candidate in group]
    lines.append(_("Merge two of them with: /merge KEEP_ID OTHER_ID"))
    for part in split_text("\n".join(lines)):
        await message.answer(part)


def _entry(candidate: Candidate) -> str:
    linked = _("linked") if candidate.linked else _("not linked")
    where = _(", ").join(esc(name) for name in candidate.delegations) or _("no mandate")
    return f"{candidate.person_id} — {where} — {linked}"


async def cmd_merge(
    message: Message, command: CommandObject, session: AsyncSession, state: FSMContext
) -> None:
    ids = (command.args or "").split()
    if len(ids) != 2 or not all(
        part.isascii() and part.isdigit() and 0 < int(part) <= ROW_ID_MAX for part in ids
    ):
        raise BadInput(N_("Send /merge and two entry ids from /duplicates, e.g. /merge 12 34"))
    keep_id, other_id = int(ids[0]), int(ids[1])
    keep, other = await merge_preview(session=session, keep_id=keep_id, other_id=other_id)
    lines = [
        "<b>"
        + _("Merge entry {other} into entry {keep}?").format(other=other_id, keep=keep_id)
        + "</b>",
        _("Keep: {entry}").format(entry=f"{esc(keep.name)} · {_entry(keep)}"),
        _("Merge and delete: {entry}").format(entry=f"{esc(other.name)} · {_entry(other)}"),
        _(
            "Its mandates, staff role, invitations and Telegram account move to the kept entry; "
            "its unused invitations stop working."
        ),
    ]

    def buttons(card: int) -> InlineKeyboardMarkup:
        builder = InlineKeyboardBuilder()
        for label, confirmed in ((_("Confirm"), True), (_("Cancel"), False)):
            data = MergeCallback(keep=keep_id, other=other_id, card=card, confirmed=confirmed)
            builder.button(text=label, callback_data=data)
        return builder.as_markup()

    await message.answer(
        "\n".join(lines), reply_markup=await new_card(state, buttons, slot=Slot.staff)
    )


async def on_merge_confirmed(
    query: CallbackQuery,
    callback_data: MergeCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
    if not callback_data.confirmed:
        await bot.send_message(query.from_user.id, _("Cancelled; nothing was changed."))
        return
    moved = await merge_people(
        session=session,
        keep_id=callback_data.keep,
        other_id=callback_data.other,
        actor_telegram_id=actor.telegram_id,
        now=utcnow(),
    )
    text = _("Merged {other} into {keep}: {mandates} mandate(s) moved.").format(
        other=callback_data.other, keep=callback_data.keep, mandates=moved["mandates"]
    )
    await bot.send_message(query.from_user.id, text)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_duplicates, Command("duplicates"))
    router.message.register(cmd_merge, Command("merge"))
    router.callback_query.register(on_merge_confirmed, MergeCallback.filter())
    return router
