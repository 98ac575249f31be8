"""One dialog at a time, none dropped unasked. /log, Edit on a saved activity, Yes to a quick
entry, /concern, a reception's concern button and a concern card's buttons that move it on each
start a dialog; when an activity or a
concern with answers is still open, the person first chooses to continue it (its open question,
or its card, is shown again) or to discard it and start what they asked for now.

The chat has one dialog state, so the choice is made before the other dialog starts rather than
keeping both half-done. What was asked for waits in the dialog data meanwhile, so neither is
lost, not even by a restart of the bot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.types import CallbackQuery

from handlers import concerns_changes, concerns_flow, log_quick
from handlers.cards import Slot, new_card, spend_card
from handlers.concerns_render import refusal_text
from handlers.concerns_steps import BACK, ConcernFlow, load_draft
from handlers.concerns_steps import drop_draft as drop_concern
from handlers.dialogs_choice import (
    ResumeChoice,
    Wanted,
    activity_question,
    buttons,
    concern_question,
)
from handlers.log_card import advance
from handlers.log_steps import Flow, LogFlow
from services.activities.choices import new_draft
from services.activities.save import draft_of_activity
from services.concerns.changes import begin_change
from services.concerns.flow import ConcernDraft, draft_from_reception
from services.concerns.transitions import IllegalTransition

# What was asked for while a dialog was open, kept until Continue or Start new is pressed.
WAITING = "log_waiting"
IN_LOG = frozenset(state.state for state in LogFlow.__states__)
IN_CONCERN = frozenset(state.state for state in ConcernFlow.__states__)


async def start(flow: Flow, wanted: Wanted) -> None:
    """Starts what was asked for; but with an activity or a concern open, asks first."""
    begin = await _prepared(flow, wanted)
    current = await flow.state.get_state()
    if current in IN_LOG and (await flow.draft()).started():
        await flow.state.set_state(LogFlow.resume)
        await _ask(flow, wanted, Slot.log, await activity_question(flow))
    elif current in IN_CONCERN and (await load_draft(flow.state)).started():
        if current != ConcernFlow.resume.state:
            await flow.state.update_data({BACK: current})
        await flow.state.set_state(ConcernFlow.resume)
        await _ask(flow, wanted, Slot.concern, await concern_question(flow))
    else:
        await begin()


async def _prepared(flow: Flow, wanted: Wanted) -> Callable[[], Awaitable[None]]:
    """What starts the dialog asked for, its input checked first: a forged button is refused
    before anything is asked or dropped."""
    if wanted.kind == "edit" and wanted.activity_id is not None:
        draft = await draft_of_activity(
            session=flow.session, person_id=flow.person_id, activity_id=wanted.activity_id
        )

        async def edit() -> None:
            await _drop_all(flow)
            await advance(flow, draft)

        return edit
    if wanted.kind == "change" and wanted.concern_id is not None and wanted.to is not None:
        concern_id, target = wanted.concern_id, wanted.to
        # Checked again on Start new: the concern may have moved on meanwhile.
        await begin_change(
            session=flow.session, concern_id=concern_id, person_id=flow.person_id, target=target
        )

        async def change() -> None:
            await _drop_all(flow)
            await concerns_changes.begin(flow.bot, flow.chat_id, flow.state, concern_id, target)

        return change
    if wanted.kind == "concern":
        concern = ConcernDraft()
        if wanted.activity_id is not None:
            concern = await draft_from_reception(
                session=flow.session, person_id=flow.person_id, activity_id=wanted.activity_id
            )

        async def record() -> None:
            await _drop_all(flow)
            bot, chat_id, state = flow.bot, flow.chat_id, flow.state
            await concerns_flow.begin(
                bot, chat_id, state, concern, flow.session, flow.actor, flow.settings
            )

        return record

    async def log() -> None:
        await _drop_all(flow)
        if wanted.words:
            await log_quick.start_quick(flow, wanted.words)
            return
        await advance(flow, (await new_draft(session=flow.session, person_id=flow.person_id)).draft)

    return log


async def _drop_all(flow: Flow) -> None:
    """Either dialog's draft goes (it had no answers, or Start new was chosen)."""
    await flow.drop_draft()
    await drop_concern(flow.state)


async def _ask(flow: Flow, wanted: Wanted, slot: Slot, question: str) -> None:
    await flow.state.update_data({WAITING: wanted.model_dump(mode="json")})
    # The open dialog's slot: its card's buttons wait behind the answer, which shows it again.
    concern = slot is Slot.concern
    markup = await new_card(flow.state, lambda card: buttons(card, concern), slot=slot)
    await flow.say(question, markup)


async def on_resume(query: CallbackQuery, callback_data: ResumeChoice, flow: Flow) -> None:
    slot = Slot.concern if callback_data.concern else Slot.log
    wanted = Wanted.from_data((await flow.state.get_data()).get(WAITING))
    # Checked before the card is spent: if what was asked for has gone meanwhile (an activity
    # deleted), the choice stays open and Continue still works.
    begin, refusal = None, None
    if callback_data.start_new:
        try:
            begin = await _prepared(flow, wanted)
        except IllegalTransition as refused:
            # The concern moved on meanwhile (another device): said, and the open one goes on.
            refusal = refusal_text(refused, wanted.concern_id or 0)
    await spend_card(flow.state, callback_data.card, query, flow.bot, slot=slot)
    await flow.state.update_data({WAITING: None})
    if begin is not None:
        await begin()
        return
    if refusal is not None:
        await flow.say(refusal)
    if callback_data.concern:
        bot, chat_id, state = flow.bot, flow.chat_id, flow.state
        await concerns_flow.resume(bot, chat_id, state, flow.session, flow.actor, flow.settings)
    else:
        await advance(flow, await flow.draft())


def register(router: Router) -> None:
    # No state filter: the one-use number is the check, and a second press says it was used.
    router.callback_query.register(on_resume, ResumeChoice.filter())
