"""The /log questions answered with a choice: the mandate, the type and the date (today,
yesterday, a day of the calendar, or typed)."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers.log_calendar import CalendarDay, CalendarMonth, calendar_keyboard
from handlers.log_card import advance
from handlers.log_keyboards import MandateChoice, RecentDay, StepAction, TypeChoice
from handlers.log_steps import Flow, LogFlow, not_command, sentence, step_press
from services.activities.choices import check_day, mandate_of, type_of
from services.activities.drafts import Step
from services.dates import DateError, parse_date


async def on_mandate(query: CallbackQuery, callback_data: MandateChoice, flow: Flow) -> None:
    await query.answer()
    draft = await flow.draft()
    await mandate_of(
        session=flow.session, person_id=flow.person_id, mandate_id=callback_data.mandate_id
    )
    draft.mandate_id = callback_data.mandate_id
    draft.mark(Step.mandate)
    if draft.day is not None:
        # Another mandate has another term: a date already given must fit it too.
        try:
            await _check(flow, draft.mandate_id, draft.day)
        except DateError as error:
            await flow.say(sentence(error, flow.actor.locale))
            draft.day = None
            draft.reopen(Step.day)
    await advance(flow, draft)


async def on_type(query: CallbackQuery, callback_data: TypeChoice, flow: Flow) -> None:
    await query.answer()
    draft = await flow.draft()
    await type_of(
        session=flow.session, type_id=callback_data.type_id, saved_type_id=draft.saved_type_id
    )
    draft.type_id = callback_data.type_id
    draft.mark(Step.type)
    await advance(flow, draft)


async def _check(flow: Flow, mandate_id: int | None, day: date) -> None:
    try:
        await check_day(
            session=flow.session,
            person_id=flow.person_id,
            mandate_id=mandate_id,
            day=day,
            today=flow.today(),
        )
    except DateError as error:
        # The dates in the sentence as the reader writes them.
        raise error.localized(flow.actor.locale) from None


async def _set_day(flow: Flow, day: date) -> None:
    draft = await flow.draft()
    await _check(flow, draft.mandate_id, day)
    draft.day = day
    draft.mark(Step.day)
    await advance(flow, draft)


async def on_recent_day(query: CallbackQuery, callback_data: RecentDay, flow: Flow) -> None:
    await query.answer()
    await _set_day(flow, flow.today() - timedelta(days=callback_data.days_ago))


async def on_calendar_day(query: CallbackQuery, callback_data: CalendarDay, flow: Flow) -> None:
    await query.answer()
    await _set_day(flow, date.fromordinal(callback_data.ordinal))


async def on_day_text(message: Message, flow: Flow) -> None:
    try:
        day = parse_date(message.text or "", today=flow.today())
    except DateError as error:
        raise error.localized(flow.actor.locale) from None
    await _set_day(flow, day)


async def on_calendar(query: CallbackQuery, flow: Flow) -> None:
    await query.answer()
    today = flow.today()
    markup = calendar_keyboard(today.year, today.month, today=today, locale=flow.actor.locale)
    await flow.say(_("Choose the day:"), markup)


async def on_calendar_month(query: CallbackQuery, callback_data: CalendarMonth, flow: Flow) -> None:
    await query.answer()
    today = flow.today()
    year, month = callback_data.year, callback_data.month
    if (year, month) > (today.year, today.month):
        year, month = today.year, today.month
    markup = calendar_keyboard(year, month, today=today, locale=flow.actor.locale)
    if query.message is not None:
        await flow.bot.edit_message_reply_markup(
            chat_id=flow.chat_id, message_id=query.message.message_id, reply_markup=markup
        )


def register(router: Router) -> None:
    cb = router.callback_query.register
    cb(on_mandate, MandateChoice.filter(), LogFlow.mandate)
    cb(on_type, TypeChoice.filter(), LogFlow.type)
    cb(on_recent_day, RecentDay.filter(), LogFlow.day)
    cb(on_calendar, *step_press(Step.day, StepAction.calendar))
    cb(on_calendar_month, CalendarMonth.filter(), LogFlow.day)
    cb(on_calendar_day, CalendarDay.filter(), LogFlow.day)
    router.message.register(
        on_day_text, LogFlow.day, F.text, not_command, flags={"action": "log_step"}
    )
