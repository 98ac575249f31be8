"""The end of /publish: the audience (the shared chooser, within the staff member's scope, its
count shown, nobody refused), a card to confirm, then the issue is queued and published."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.audience_keyboard import BULLETIN_FLOW, AudiencePick, chosen, show_chooser
from handlers.audience_keyboard import Press as Pick
from handlers.bulletin_publish_keyboards import (
    Press,
    PreviewPress,
    PublishFlow,
    confirm_keyboard,
    current_issue,
)
from handlers.bulletins_keyboards import issue_label
from services.actors import Actor
from services.audience import count_audience, require_recipients, resolve
from services.bulletins.publish import draft, publish
from services.clock import utcnow


async def on_audience(
    query: CallbackQuery,
    callback_data: PreviewPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    await current_issue(state, callback_data.issue)
    await draft(session=session, actor=actor, issue_id=callback_data.issue)
    await state.set_state(PublishFlow.audience)
    await query.answer()
    await show_chooser(
        bot, query.from_user.id, state=state, session=session, actor=actor, flow=BULLETIN_FLOW
    )


async def on_chosen(
    query: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    issue_id = await current_issue(state, None)
    view = await draft(session=session, actor=actor, issue_id=issue_id)
    audience = await resolve(session=session, scope=actor.scope, choice=await chosen(state))
    count = require_recipients(await count_audience(session=session, audience=audience))
    await state.set_state(PublishFlow.confirm)
    await query.answer()
    label = issue_label(view.issue.year, view.issue.number)
    text = _("Publish issue {issue} to {count} people now?").format(
        issue=label, count=count.reachable
    )
    await bot.send_message(query.from_user.id, text, reply_markup=confirm_keyboard(issue_id))


async def on_publish(
    query: CallbackQuery,
    callback_data: PreviewPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    issue_id = await current_issue(state, callback_data.issue)
    # The scope is checked again: the choice was made in an earlier update.
    audience = await resolve(session=session, scope=actor.scope, choice=await chosen(state))
    count = require_recipients(await count_audience(session=session, audience=audience))
    published = await publish(
        session=session, actor=actor, issue_id=issue_id, audience=audience, now=utcnow()
    )
    await state.clear()
    await query.answer()
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
    label = issue_label(published.issue.year, published.issue.number)
    if published.new:
        text = _(
            "Issue {issue} is published and on its way to {count} people. /bulletins shows "
            "who has read it."
        ).format(issue=label, count=count.reachable)
    else:
        text = _("Issue {issue} was published before; nothing was sent again.").format(issue=label)
    await bot.send_message(query.from_user.id, text)


def register(router: Router) -> None:
    router.callback_query.register(on_audience, PreviewPress.filter(F.press == Press.audience))
    done = (F.flow == BULLETIN_FLOW) & (F.press == Pick.done)
    router.callback_query.register(on_chosen, PublishFlow.audience, AudiencePick.filter(done))
    router.callback_query.register(
        on_publish, PublishFlow.confirm, PreviewPress.filter(F.press == Press.publish)
    )
