"""/evaluation 2024: staff rank a delegation's representatives over a year and get the
shortlist, the full ranking as XLSX and a draft bulletin article naming the shortlisted.

Rules live in services.evaluation: the year (not in the future), the weights and the delegation
against the presser's scope are checked on every press, so a forged button is refused there.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
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

from handlers.evaluation_render import ranking_lines, shortlist_lines
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.errors import PermissionDenied
from services.evaluation import (
    build_evaluation,
    evaluable_delegations,
    evaluation_files,
    evaluation_words,
    may_evaluate,
    parse_year,
    weights_from,
)
from services.people import ROW_ID_MAX
from services.text import esc, split_text


class EvaluationDelegation(CallbackData, prefix="evd"):
    year: int = Field(ge=1, le=9999)
    delegation_id: int = Field(ge=1, le=ROW_ID_MAX)


async def cmd_evaluation(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    if not may_evaluate(actor):
        raise PermissionDenied()
    year = parse_year(command.args or "", today=local_today(utcnow(), settings.tz))
    delegations = await evaluable_delegations(session=session, actor=actor)
    if not delegations:
        await message.answer(_("There is no delegation within your reach."))
    elif len(delegations) == 1:
        await _send(bot, message.chat.id, session, actor, settings, year, delegations[0][0])
    else:
        rows = [
            [
                InlineKeyboardButton(
                    text=name,
                    callback_data=EvaluationDelegation(year=year, delegation_id=key).pack(),
                )
            ]
            for key, name in delegations
        ]
        text = _("Evaluation of {year}: choose a delegation.").format(year=year)
        await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def on_delegation(
    query: CallbackQuery,
    callback_data: EvaluationDelegation,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    data = callback_data
    await _send(bot, query.from_user.id, session, actor, settings, data.year, data.delegation_id)
    await query.answer()


async def _send(
    bot: Bot,
    chat: int,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    year: int,
    delegation_id: int,
) -> None:
    evaluation = await build_evaluation(
        session=session,
        actor=actor,
        delegation_id=delegation_id,
        year=year,
        weights=weights_from(settings.evaluation_weights),
        shortlist_percent=settings.evaluation_shortlist_percent,
        now=utcnow(),
        tz=settings.tz,
    )
    words = evaluation_words(_, actor.locale)
    files = await evaluation_files(evaluation, words)
    for part in split_text("\n".join(ranking_lines(evaluation, words))):
        await bot.send_message(chat, part)
    if not evaluation.standings:
        return
    await bot.send_message(chat, "\n".join(shortlist_lines(evaluation, words)))
    document = BufferedInputFile(files.xlsx, filename=f"{files.stem}.xlsx")
    await bot.send_document(chat, document, caption=_("The full ranking with each criterion"))
    if files.article is not None:
        article = files.article
        text = "\n\n".join(
            [f"<b>{esc(article.heading)}</b>", *map(esc, article.paragraphs), esc(article.source)]
        )
        draft = _("Draft bulletin article:")
        for part in split_text(f"{draft}\n\n{text}"):
            await bot.send_message(chat, part)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_evaluation, Command("evaluation"))
    router.callback_query.register(on_delegation, EvaluationDelegation.filter())
    return router
