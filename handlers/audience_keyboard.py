"""The audience chooser, for any staff dialog that sends to representatives (broadcasts, and
bulletin issues): everyone in the staff member's scope, or delegations, groups and stations
within it, toggled on a paged keyboard that shows how many people the choice reaches.

A dialog uses it in three steps:

1. `await show_chooser(bot, chat_id, state=state, session=session, actor=actor,
   flow=BULLETIN_FLOW)` sends the chooser (`flow`: the dialog's number, below);
2. this module's router handles the toggles and pages of every flow; an id outside the
   scope (forged data) is refused and nothing changes;
3. the dialog registers its own handler for the Continue button:
   `router.callback_query.register(on_done, AudiencePick.filter((F.flow == BULLETIN_FLOW) &
   (F.press == Press.done)))`, reads `await chosen(state)` and turns it into a delivery audience
   with `services.audience.resolve` (which checks the scope again), `count_audience` and
   `require_recipients`.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cancel import cancel_button
from services.actors import Actor
from services.audience import (
    Choice,
    Kind,
    Option,
    OutOfScope,
    audience_options,
    count_audience,
    resolve,
)
from services.errors import StaleButton
from services.people import ROW_ID_MAX

PAGE_SIZE = 8
FLOW_MAX = 99
# The dialogs that use the chooser, each with its own number (a button carries integers only).
BROADCAST_FLOW = 1
BULLETIN_FLOW = 2
_FLOW = "audience_flow"
_CHOICE = "audience_choice"
_PAGE = "audience_page"


class Press(StrEnum):
    everyone = Kind.everyone.value
    delegation = Kind.delegation.value
    group = Kind.group.value
    station = Kind.station.value
    page = "p"
    done = "ok"


class AudiencePick(CallbackData, prefix="aud"):
    # The dialog the chooser belongs to: a number of its own (FLOWS).
    flow: int = Field(ge=1, le=FLOW_MAX)
    press: Press
    item: int = Field(default=0, ge=0, le=ROW_ID_MAX)


async def chosen(state: FSMContext) -> Choice:
    return Choice.from_data((await state.get_data()).get(_CHOICE))


async def show_chooser(
    bot: Bot,
    chat_id: int,
    *,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    flow: int,
) -> None:
    await state.update_data({_FLOW: flow, _CHOICE: Choice().to_data(), _PAGE: 0})
    text, markup = await _render(session, actor, flow, Choice(), 0)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_pick(
    query: CallbackQuery,
    callback_data: AudiencePick,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
) -> None:
    data = await state.get_data()
    if data.get(_FLOW) != callback_data.flow:
        raise StaleButton()
    choice = Choice.from_data(data.get(_CHOICE))
    page = int(data.get(_PAGE) or 0)
    if callback_data.press is Press.page:
        page = callback_data.item
    else:
        kind = Kind(callback_data.press.value)
        if kind is not Kind.everyone:
            options = await audience_options(session=session, scope=actor.scope)
            if not any(o.kind is kind and o.id == callback_data.item for o in options):
                raise OutOfScope()
        choice = choice.toggled(kind, callback_data.item)
    await state.update_data({_CHOICE: choice.to_data(), _PAGE: page})
    text, markup = await _render(session, actor, callback_data.flow, choice, page)
    await query.answer()
    if query.message is not None:
        await bot.edit_message_text(
            text=text,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=markup,
        )


async def _render(
    session: AsyncSession, actor: Actor, flow: int, choice: Choice, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    options = await audience_options(session=session, scope=actor.scope)
    lines = [
        _("Who should receive it? Everyone in your scope, or delegations, groups and stations.")
    ]
    if choice.empty:
        lines.append(_("Nothing chosen yet."))
    else:
        audience = await resolve(session=session, scope=actor.scope, choice=choice)
        count = await count_audience(session=session, audience=audience)
        lines.append(_("Chosen: {count} people will receive it.").format(count=count.reachable))
        if count.without_account:
            lines.append(
                _("{count} more have no Telegram account and will not.").format(
                    count=count.without_account
                )
            )
    return "\n".join(lines), _keyboard(options, flow, choice, page)


def _keyboard(options: list[Option], flow: int, choice: Choice, page: int) -> InlineKeyboardMarkup:
    last_page = max(0, (len(options) - 1) // PAGE_SIZE)
    page = min(max(page, 0), last_page)

    def button(label: str, press: Press, item: int = 0) -> InlineKeyboardButton:
        data = AudiencePick(flow=flow, press=press, item=item).pack()
        return InlineKeyboardButton(text=label, callback_data=data)

    everyone = _mark(choice.everyone) + _("Everyone in my scope")
    rows = [[button(everyone, Press.everyone)]]
    for option in options[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        label = _mark(choice.has(option.kind, option.id)) + _label(option)
        rows.append([button(label, Press(option.kind.value), option.id)])
    turn = []
    if page > 0:
        turn.append(button("◀", Press.page, page - 1))
    if page < last_page:
        turn.append(button("▶", Press.page, page + 1))
    if turn:
        rows.append(turn)
    rows.append([button(_("Continue"), Press.done), cancel_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _mark(on: bool) -> str:
    return "✅ " if on else ""


def _label(option: Option) -> str:
    # Button labels are plain text: no escaping (Telegram shows them as they are).
    if option.kind is Kind.delegation:
        return _("Delegation: {name}").format(name=option.name)
    if option.kind is Kind.group:
        name = option.name if option.within is None else f"{option.name} ({option.within})"
        return _("Group: {name}").format(name=name)
    return _("Station: {name}").format(name=option.name)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_pick, AudiencePick.filter(F.press != Press.done))
    return router
