"""Answers to the /log questions: buttons, typed text, a location, photos and documents."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from magic_filter import MagicFilter

from handlers.log_calendar import CalendarDay, CalendarMonth, calendar_keyboard
from handlers.log_card import advance
from handlers.log_keyboards import (
    MandateChoice,
    RecentDay,
    StepAction,
    StepButton,
    TypeChoice,
    attachments_keyboard,
)
from handlers.log_steps import EXPECTED, Flow, LogFlow, sentence
from services.activities.choices import check_day, mandate_of, type_of
from services.activities.drafts import (
    ATTACHMENT_LIMIT,
    AttachmentKind,
    DraftAttachment,
    Step,
    add_attachment,
    set_bulletin_note,
    set_location,
    set_place,
    set_summary,
)
from services.dates import DateError, parse_date
from services.i18n_marks import N_


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
    await type_of(session=flow.session, type_id=callback_data.type_id)
    draft = await flow.draft()
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


async def on_place_text(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    set_place(draft, message.text or "")
    draft.mark(Step.place)
    await advance(flow, draft)


async def on_place_location(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    if message.location is not None:
        set_location(draft, message.location.latitude, message.location.longitude)
    draft.mark(Step.place)
    await advance(flow, draft)


async def on_place_skip(query: CallbackQuery, flow: Flow) -> None:
    await query.answer()
    draft = await flow.draft()
    draft.place, draft.latitude, draft.longitude = None, None, None
    draft.mark(Step.place)
    await advance(flow, draft)


async def on_summary(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    set_summary(draft, message.text or "")
    draft.mark(Step.summary)
    await advance(flow, draft)


async def on_attachment(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    count = add_attachment(draft, _attachment_of(message))
    await flow.keep(draft)
    text = _("Added: {count} of {limit}. Send more, or press Done.").format(
        count=count, limit=ATTACHMENT_LIMIT
    )
    await flow.say(text, attachments_keyboard(count))


def _attachment_of(message: Message) -> DraftAttachment:
    if message.document is not None:
        document = message.document
        return DraftAttachment(
            kind=AttachmentKind.document,
            file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name,
        )
    # Telegram sends a photo in several sizes, the largest last.
    largest = (message.photo or [])[-1]
    return DraftAttachment(
        kind=AttachmentKind.photo, file_id=largest.file_id, file_unique_id=largest.file_unique_id
    )


async def on_attachments_done(query: CallbackQuery, flow: Flow) -> None:
    await query.answer()
    draft = await flow.draft()
    draft.mark(Step.attachments)
    await advance(flow, draft)


async def on_bulletin_note(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    set_bulletin_note(draft, message.text or "")
    await advance(flow, draft)


async def on_wrong_kind(message: Message, flow: Flow) -> None:
    current = await flow.state.get_state()
    await flow.say(_(EXPECTED.get(current or "", N_("Please use the buttons above."))))


def not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def _action(action: StepAction) -> MagicFilter:
    return F.action == action


def register(router: Router) -> None:
    step = {"action": "log_step"}
    typed = not_command
    cb, msg = router.callback_query.register, router.message.register
    cb(on_mandate, MandateChoice.filter(), LogFlow.mandate)
    cb(on_type, TypeChoice.filter(), LogFlow.type)
    cb(on_recent_day, RecentDay.filter(), LogFlow.day)
    cb(on_calendar, StepButton.filter(_action(StepAction.calendar)), LogFlow.day)
    cb(on_calendar_month, CalendarMonth.filter(), LogFlow.day)
    cb(on_calendar_day, CalendarDay.filter(), LogFlow.day)
    cb(on_place_skip, StepButton.filter(_action(StepAction.skip)), LogFlow.place)
    done = _action(StepAction.done) | _action(StepAction.skip)
    cb(on_attachments_done, StepButton.filter(done), LogFlow.attachments)
    msg(on_day_text, LogFlow.day, F.text, typed, flags=step)
    msg(on_place_text, LogFlow.place, F.text, typed, flags=step)
    msg(on_place_location, LogFlow.place, F.location, flags=step)
    msg(on_summary, LogFlow.summary, F.text, typed, flags=step)
    msg(on_attachment, LogFlow.attachments, F.photo | F.document, flags=step)
    msg(on_bulletin_note, LogFlow.bulletin, F.text, typed, flags=step)
    # Anything else in the dialog (a sticker, a voice note, a photo for a text) is explained;
    # commands pass on to their own handlers.
    msg(on_wrong_kind, StateFilter(*LogFlow.__states__), typed, flags=step)
