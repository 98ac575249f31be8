"""The score post's buttons and cards for staff: the list of a quarter's drafts and a group's
preview (its image, then its text as members will read it)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.deliveries.templates import Button
from services.people import ROW_ID_MAX
from services.score_post import DraftList, draft_figures, reach_draft, score_image
from services.score_post.text import (
    APPROVE,
    CHART_PREFIX,
    INTRO,
    PREFIX,
    ScoreAction,
    button_data,
    drafts_buttons,
    drafts_text,
    post_text,
)

YEAR_MIN, YEAR_MAX = 2000, 9999


class ScoreAct(CallbackData, prefix=PREFIX):
    action: ScoreAction
    group_id: int = Field(ge=0, le=ROW_ID_MAX)  # 0: every group (approve all)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)


class ScoreChart(CallbackData, prefix=CHART_PREFIX):
    group_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)


def markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in rows
        ]
    )


async def send_list(bot: Bot, chat_id: int, listed: DraftList, locale: str) -> None:
    pending = [name for _gid, name in listed.pending]
    text = drafts_text(listed.year, listed.quarter, pending, listed.done, listed.nothing, locale)
    rows = drafts_buttons(listed.year, listed.quarter, listed.pending)
    await bot.send_message(chat_id, text, reply_markup=markup(rows))


async def send_preview(
    bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, group_id: int, year: int,
    quarter: int,
) -> None:  # fmt: skip
    group, draft = await reach_draft(
        session=session, actor=actor, group_id=group_id, year=year, quarter=quarter
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
            Button(_("Edit the intro"), button_data(INTRO, group_id, year, quarter)),
            Button(_("Approve"), button_data(APPROVE, group_id, year, quarter)),
        ),
    )
    await bot.send_message(chat_id, text, reply_markup=markup(rows))
