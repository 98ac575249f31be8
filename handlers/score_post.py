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
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.deliveries.templates import Button
from services.errors import PermissionDenied
from services.people import ROW_ID_MAX
from services.score_post import (
    DraftList,
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
from services.score_post.text import (
    APPROVE,
    APPROVE_ALL,
    CHART_PREFIX,
    INTRO,
    PREFIX,
    VIEW,
    ScoreAction,
    button_data,
    drafts_buttons,
    drafts_text,
    post_text,
)
from services.text import esc

STEP = {"action": "score_step"}
YEAR_MIN, YEAR_MAX = 2000, 9999
TYPED = F.text & ~F.text.startswith("/")


class ScoreAct(CallbackData, prefix=PREFIX):
    action: ScoreAction
    group_id: int = Field(ge=0, le=ROW_ID_MAX)  # 0: every group (approve all)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)


class ScoreChart(CallbackData, prefix=CHART_PREFIX):
    group_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)


class ScoreInput(StatesGroup):
    intro = State()


def markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in rows
        ]
    )


def _today(settings: Settings) -> date:
    return local_today(utcnow(), settings.tz)


async def _list(message_to: int, bot: Bot, listed: DraftList, locale: str) -> None:
    text = drafts_text(
        listed.year, listed.quarter, [n for _g, n in listed.pending], listed.done,
        listed.nothing, locale,
    )  # fmt: skip
    rows = drafts_buttons(listed.year, listed.quarter, listed.pending)
    await bot.send_message(message_to, text, reply_markup=markup(rows))


async def cmd_scorepost(
    message: Message, session: AsyncSession, actor: Actor, bot: Bot, settings: Settings
) -> None:
    if not may_post(actor):
        raise PermissionDenied()
    year, quarter = previous_quarter(_today(settings))
    listed = await prepare_drafts(session=session, scope=actor.scope, year=year, quarter=quarter)
    await session.commit()
    await _list(message.chat.id, bot, listed, actor.locale)


async def _preview(
    bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, data: ScoreAct
) -> None:
    group, draft = await reach_draft(
        session=session, actor=actor, group_id=data.group_id, year=data.year, quarter=data.quarter
    )
    figures = await draft_figures(session=session, group=group, draft=draft)
    png = await score_image(figures)
    await bot.send_photo(chat_id, BufferedInputFile(png, filename=f"score-{group.id}.png"))
    text = post_text(figures, draft.intro, actor.locale)
    if draft.approved_at is not None:
        await bot.send_message(chat_id, text + "\n\n" + _("(Approved and sent.)"))
        return
    rows = (
        (
            Button(_("Edit the intro"), button_data(INTRO, data.group_id, data.year, data.quarter)),
            Button(_("Approve"), button_data(APPROVE, data.group_id, data.year, data.quarter)),
        ),
    )
    await bot.send_message(chat_id, text, reply_markup=markup(rows))


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
    if data.action == VIEW:
        await _preview(bot, chat_id, session, actor, data)
    elif data.action == INTRO:
        await reach_draft(
            session=session, actor=actor, group_id=data.group_id, year=data.year,
            quarter=data.quarter,
        )  # fmt: skip
        await state.set_state(ScoreInput.intro)
        await state.update_data(score=[data.group_id, data.year, data.quarter])
        await bot.send_message(chat_id, _("Write the intro line (one line). /cancel to stop."))
    elif data.action == APPROVE:
        name = await _approve_one(session, actor, data.group_id, data.year, data.quarter)
        await bot.send_message(
            chat_id,
            _("The score post of {group} is on its way to the members.").format(group=esc(name)),
        )
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
    await bot.send_message(
        chat_id,
        _("Approved {count} score posts; they are on their way.").format(count=len(listed.pending)),
    )


async def on_intro(message: Message, session: AsyncSession, actor: Actor, bot: Bot,
                   state: FSMContext) -> None:  # fmt: skip
    group_id, year, quarter = (await state.get_data())["score"]
    _group, draft = await reach_draft(
        session=session, actor=actor, group_id=group_id, year=year, quarter=quarter
    )
    await set_intro(session=session, draft=draft, text=message.text or "")
    await session.commit()
    await state.clear()
    await message.answer(_("The intro is saved."))
    data = ScoreAct(action=VIEW, group_id=group_id, year=year, quarter=quarter)
    await _preview(bot, message.chat.id, session, actor, data)


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
