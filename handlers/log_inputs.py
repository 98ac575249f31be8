"""Answers to the /log questions typed or sent: a place, a location, a summary, photos and
documents, the bulletin note; and anything the current step does not expect."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers import log_choices
from handlers.log_card import advance
from handlers.log_keyboards import StepAction, StepButton, attachments_keyboard
from handlers.log_steps import EXPECTED, Flow, LogFlow, not_command, step_press
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
from services.errors import StaleButton
from services.i18n_marks import N_


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


async def on_attachments_clear(query: CallbackQuery, flow: Flow) -> None:
    await query.answer()
    draft = await flow.draft()
    draft.attachments = []
    await flow.keep(draft)
    await flow.say(_("Removed. Send photos or documents, or press Skip."), attachments_keyboard(0))


async def on_bulletin_note(message: Message, flow: Flow) -> None:
    draft = await flow.draft()
    set_bulletin_note(draft, message.text or "")
    await advance(flow, draft)


async def on_wrong_kind(message: Message, flow: Flow) -> None:
    current = await flow.state.get_state()
    await flow.say(_(EXPECTED.get(current or "", N_("Please use the buttons above."))))


async def on_expired_step_button(query: CallbackQuery) -> None:
    """A step's button pressed when its question is no longer the open one."""
    raise StaleButton()


def register(router: Router) -> None:
    log_choices.register(router)
    step = {"action": "log_step"}
    typed = not_command
    cb, msg = router.callback_query.register, router.message.register
    cb(on_place_skip, *step_press(Step.place, StepAction.skip))
    cb(on_attachments_done, *step_press(Step.attachments, StepAction.done, StepAction.skip))
    cb(on_attachments_clear, *step_press(Step.attachments, StepAction.clear))
    cb(on_expired_step_button, StepButton.filter())
    msg(on_place_text, LogFlow.place, F.text, typed, flags=step)
    msg(on_place_location, LogFlow.place, F.location, flags=step)
    msg(on_summary, LogFlow.summary, F.text, typed, flags=step)
    msg(on_attachment, LogFlow.attachments, F.photo | F.document, flags=step)
    msg(on_bulletin_note, LogFlow.bulletin, F.text, typed, flags=step)
    # Anything else in the dialog (a sticker, a voice note, a photo for a text) is explained;
    # commands pass on to their own handlers.
    msg(on_wrong_kind, StateFilter(*LogFlow.__states__), typed, flags=step)
