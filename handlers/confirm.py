"""The confirmation card of a staff action that voids an invitation or unlinks an account, and
the action itself once confirmed (or at once, when nothing would be lost)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, new_card, spend_card
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.invitations import (
    ActionPlan,
    IssuedInvitation,
    StaffAction,
    issue_invitation,
    plan_staff_action,
    qr_png,
    rebind,
    revoke_invitations,
)
from services.outbox import send_after_commit
from services.people import ROW_ID_MAX
from services.text import esc


class ConfirmCallback(CallbackData, prefix="invok"):
    action: StaffAction
    person_id: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)
    confirmed: bool


async def ask_to_confirm(
    plan: ActionPlan, chat_id: int, bot: Bot, settings: Settings, *, state: FSMContext
) -> None:
    """A card naming the person, their delegations and what would stop working."""
    question = {
        StaffAction.invite: _("Issue a new invitation for {name}?"),
        StaffAction.revoke: _("Revoke the invitation of {name}?"),
        StaffAction.rebind: _("Unlink {name} from their Telegram account and invite them again?"),
    }[plan.action]
    lines = [f"<b>{question.format(name=esc(plan.name))}</b>"]
    if plan.delegations:
        delegations = _(", ").join(esc(name) for name in plan.delegations)
        lines.append(_("Delegation: {delegations}").format(delegations=delegations))
    lines.append(_("This will be lost:"))
    if plan.linked:
        lines.append(
            "• "
            + _(
                "Their Telegram account will be unlinked: they can no longer use the bot until "
                "they accept the new invitation. They will be told."
            )
        )
    for issued_at in plan.voided_invitations:
        date = issued_at.astimezone(settings.tz).date().isoformat()
        lines.append("• " + _("The invitation sent on {date} will stop working.").format(date=date))
    markup = await new_card(state, lambda card: _buttons(plan, card), slot=Slot.staff)
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=markup)


def _buttons(plan: ActionPlan, card: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, confirmed in ((_("Confirm"), True), (_("Cancel"), False)):
        data = ConfirmCallback(
            action=plan.action, person_id=plan.person_id, card=card, confirmed=confirmed
        )
        builder.button(text=label, callback_data=data)
    return builder.as_markup()


async def on_confirm(
    query: CallbackQuery,
    callback_data: ConfirmCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
    chat_id = query.from_user.id
    if not callback_data.confirmed:
        await bot.send_message(chat_id, _("Cancelled; nothing was changed."))
        return
    # Checked again: the person may have been linked, unlinked or moved since the card was shown.
    plan = await plan_staff_action(
        session=session,
        action=callback_data.action,
        person_id=callback_data.person_id,
        actor=actor,
        now=utcnow(),
    )
    await perform(plan, chat_id, session, actor, bot, i18n, settings)


async def perform(
    plan: ActionPlan,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
) -> None:
    now, name, person_id, ttl_days = (
        utcnow(),
        esc(plan.name),
        plan.person_id,
        settings.invite_ttl_days,
    )
    if plan.action is StaffAction.revoke:
        count = await revoke_invitations(
            session=session, person_id=person_id, actor_telegram_id=actor.telegram_id, now=now
        )
        text = _("Revoked {count} unused invitation(s) of {name}.").format(count=count, name=name)
        await bot.send_message(chat_id, text)
        return
    if plan.action is StaffAction.invite:
        issued = await issue_invitation(
            session=session,
            person_id=person_id,
            actor_telegram_id=actor.telegram_id,
            now=now,
            ttl_days=ttl_days,
        )
        intro = _("A new invitation for {name}:").format(name=name)
    else:
        issued = await rebind(
            session=session,
            person_id=person_id,
            actor_telegram_id=actor.telegram_id,
            now=now,
            ttl_days=ttl_days,
        )
        intro = _("{name} was unlinked from their Telegram account. A new invitation:").format(
            name=name
        )
        if plan.account is not None:
            # Held like any answer: saved with the unlinking, in its transaction, and sent after.
            with i18n.use_locale(plan.language or settings.default_locale.value):
                notice = _(
                    "The liaison office has unlinked this Telegram account from the roster entry "
                    "of {name}. If this is unexpected, contact your liaison office."
                ).format(name=name)
            await bot.send_message(plan.account, notice)
    # The message carries the token in clear, which is stored nowhere: it is not saved with the
    # answers but sent once the invitation has been committed with them.
    await send_after_commit(await _invitation(bot, chat_id, intro, issued, settings))


async def _invitation(
    bot: Bot, chat_id: int, intro: str, issued: IssuedInvitation, settings: Settings
) -> Callable[[], Awaitable[None]]:
    """The invitation's message and QR code, worded now (in the staff member's language), to be
    sent when called."""
    me = await bot.me()
    link = issued.link(me.username or settings.bot_username or "")
    expires = issued.expires_at.astimezone(settings.tz).date().isoformat()
    lines = [
        intro,
        _("Link: {link}").format(link=esc(link)),
        _("Code: <code>{code}</code>").format(code=esc(issued.printed_code)),
        _("Valid until {date}. It works once; issuing a new one cancels this one.").format(
            date=expires
        ),
    ]
    photo = BufferedInputFile(qr_png(link), filename=f"invitation-{issued.person_id}.png")

    async def send() -> None:
        await bot.send_message(chat_id, "\n".join(lines))
        await bot.send_photo(chat_id, photo, caption=esc(issued.name))

    return send
