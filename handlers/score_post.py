"""/scorepost and the score post's buttons: staff open the drafts of the last quarter (made
here when the planner has not run yet), preview a group's post, edit its intro line, approve
one or all. Every press reaches the draft again through services.score_post, so a forged or
stale button out of scope gets the answer of no draft at all.

Approving queues the post for the group's members through the delivery engine, as a template
rendered in each member's language. Its image goes as a button under the text ("📊 The chart"),
drawn when pressed: the engine sends photos only by a Telegram file id, and the bot's own upload
gets its id only after the update commits (bot.outbox holds every reply until then).
"""

from __future__ import annotations

from datetime import date

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.score_post_render import ScoreAct, ScoreChart, send_list, send_preview
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.errors import PermissionDenied
from services.score_post import (
    approve,
    draft_figures,
    may_post,
    prepare_drafts,
    previous_quarter,
    reach_chart,
    reach_draft,
    score_image,
    set_intro,
)
from services.score_post.text import APPROVE, APPROVE_ALL, INTRO, VIEW
from services.text import esc

STEP = {"action": "score_step"}
TYPED = F.text & ~F.text.startswith("/")


class ScoreInput(StatesGroup):
    intro = State()


def _today(settings: Settings) -> date:
    return local_today(utcnow(), settings.tz)


async def cmd_scorepost(
    message: Message, session: AsyncSession, actor: Actor, bot: Bot, settings: Settings
) -> None:
    if not may_post(actor):
        raise PermissionDenied()
    year, quarter = previous_quarter(_today(settings))
    listed = await prepare_drafts(session=session, scope=actor.scope, year=year, quarter=quarter)
    await send_list(bot, message.chat.id, listed, actor.locale)


async def _approve_one(
    session: AsyncSession, actor: Actor, group_id: int, year: int, quarter: int
) -> str:
    group, draft = await reach_draft(
        session=session, actor=actor, group_id=group_id, year=year, quarter=quarter
    )
    figures = await draft_figures(session=session, group=group, draft=draft)
    await approve(
        session=session, actor=actor, group=group, draft=draft, figures=figures, now=utcnow()
    )
    return group.name


async def on_press(
    query: CallbackQuery,
    callback_data: ScoreAct,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    # Answered last: a refusal raised on the way is the press's answer (an alert).
    data, chat_id = callback_data, query.from_user.id
    where = (data.group_id, data.year, data.quarter)
    if data.action == VIEW:
        await send_preview(bot, chat_id, session, actor, *where)
    elif data.action == INTRO:
        await reach_draft(
            session=session, actor=actor, group_id=data.group_id, year=data.year,
            quarter=data.quarter,
        )  # fmt: skip
        await state.set_state(ScoreInput.intro)
        await state.update_data(score=list(where))
        await bot.send_message(chat_id, _("Write the intro line (one line). /cancel to stop."))
    elif data.action == APPROVE:
        name = await _approve_one(session, actor, *where)
        if query.message is not None:
            # The preview's buttons go: a second press would change nothing anyway.
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=query.message.message_id, reply_markup=None
            )
        text = _("The score post of {group} is on its way to the members.")
        await bot.send_message(chat_id, text.format(group=esc(name)))
    elif data.action == APPROVE_ALL:
        await _approve_all(bot, chat_id, session, actor, data)
    await query.answer()


async def _approve_all(
    bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, data: ScoreAct
) -> None:
    listed = await prepare_drafts(
        session=session, scope=actor.scope, year=data.year, quarter=data.quarter
    )
    for group_id, _name in listed.pending:
        await _approve_one(session, actor, group_id, data.year, data.quarter)
    text = _("Approved {count} score posts; they are on their way.")
    await bot.send_message(chat_id, text.format(count=len(listed.pending)))


async def on_intro(
    message: Message, session: AsyncSession, actor: Actor, bot: Bot, state: FSMContext
) -> None:
    group_id, year, quarter = (await state.get_data())["score"]
    _group, draft = await reach_draft(
        session=session, actor=actor, group_id=group_id, year=year, quarter=quarter
    )
    await set_intro(session=session, draft=draft, text=message.text or "")
    await state.clear()
    await message.answer(_("The intro is saved."))
    await send_preview(bot, message.chat.id, session, actor, group_id, year, quarter)


async def on_chart(
    query: CallbackQuery, callback_data: ScoreChart, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    data = callback_data
    group, draft = await reach_chart(
        session=session, actor=actor, group_id=data.group_id, year=data.year, quarter=data.quarter
    )
    png = await score_image(await draft_figures(session=session, group=group, draft=draft))
    photo = BufferedInputFile(png, filename=f"score-{group.id}-{data.year}Q{data.quarter}.png")
    await bot.send_photo(query.from_user.id, photo)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_scorepost, Command("scorepost"))
    router.message.register(on_intro, ScoreInput.intro, TYPED, flags=STEP)
    router.callback_query.register(on_press, ScoreAct.filter())
    router.callback_query.register(on_chart, ScoreChart.filter())
    return router
