"""The confirm card of /log: every field with its own edit button, Save and Cancel."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.cancel import cancel_button
from handlers.cards import Slot, new_card
from handlers.log_keyboards import CardAction, CardButton, mandate_label
from handlers.log_steps import STATE_OF, Flow, LogFlow, ask
from services.activities.choices import CardFacts, card_facts, type_name
from services.activities.drafts import Draft
from services.dates import format_date
from services.text import esc, split_text

# The most of a summary the card repeats; the whole text is saved.
CARD_SUMMARY_LIMIT = 1000


async def advance(flow: Flow, draft: Draft) -> None:
    """Asks the first open question, or shows the confirm card when all are answered."""
    await flow.keep(draft)
    step = draft.next_step()
    if step is None:
        await show_card(flow, draft)
        return
    await flow.state.set_state(STATE_OF[step])
    await ask(flow, step, draft)


async def show_card(flow: Flow, draft: Draft) -> None:
    facts = await card_facts(session=flow.session, person_id=flow.person_id, draft=draft)
    await flow.state.set_state(LogFlow.card)
    markup = await new_card(flow.state, lambda card: _buttons(card, draft), slot=Slot.log)
    # A long place, summary and note, escaped, can outgrow one message: the buttons go last.
    parts = split_text(card_text(draft, facts, flow.actor.locale))
    for part in parts[:-1]:
        await flow.say(part)
    await flow.say(parts[-1], markup)


def card_text(draft: Draft, facts: CardFacts, locale: str) -> str:
    title = _("Editing an activity") if draft.activity_id else _("Please check, then save")
    lines = [f"<b>{title}</b>"]
    if draft.several_mandates and facts.mandate is not None:
        lines.append(_("Counts for: {mandate}").format(mandate=esc(mandate_label(facts.mandate))))
    kind = type_name(facts.type, locale) if facts.type is not None else "—"
    lines.append(_("Type: {type}").format(type=esc(kind)))
    day = format_date(draft.day, locale) if draft.day is not None else "—"
    lines.append(_("Date: {date}").format(date=esc(day)))
    lines.append(_("Place: {place}").format(place=esc(draft.place) if draft.place else "—"))
    lines.append(_("Summary: {summary}").format(summary=_summary(draft.summary or "")))
    lines.append(_("Photos and documents: {count}").format(count=len(draft.attachments)))
    if facts.type is not None:
        points = draft.points_with(facts.type.points)
        lines.append(_("Points: {points}").format(points=points))
    if draft.for_bulletin:
        note = esc(draft.bulletin_note or "")
        lines.append(_("For the bulletin: yes — {note}").format(note=note))
    else:
        lines.append(_("For the bulletin: no"))
    return "\n".join(lines)


def _summary(summary: str) -> str:
    if len(summary) <= CARD_SUMMARY_LIMIT:
        return esc(summary)
    shown = esc(summary[:CARD_SUMMARY_LIMIT]) + "…"
    note = _("(shortened here: {length} characters in all; all of it will be saved)").format(
        length=len(summary)
    )
    return f"{shown}\n<i>{note}</i>"


def _buttons(card: int, draft: Draft) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    edits = [
        (CardAction.type, _("Type")),
        (CardAction.day, _("Date")),
        (CardAction.place, _("Place")),
        (CardAction.summary, _("Summary")),
        (CardAction.attachments, _("Photos and documents")),
    ]
    if draft.several_mandates:
        edits.append((CardAction.mandate, _("Counts for")))
    for action, label in edits:
        builder.button(text="✏️ " + label, callback_data=CardButton(card=card, action=action))
    builder.adjust(2)
    mark = "☑" if draft.for_bulletin else "☐"
    bulletin = CardButton(card=card, action=CardAction.bulletin)
    builder.row(_button(f"{mark} " + _("For the bulletin"), bulletin))
    save = _("Save changes") if draft.activity_id else _("Save")
    builder.row(_button(save, CardButton(card=card, action=CardAction.save)), cancel_button())
    return builder.as_markup()


def _button(text: str, data: CardButton) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())
