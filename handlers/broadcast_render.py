"""What staff see of a broadcast: the preview, the progress message with its buttons, and the
final report listing who did not get it and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from aiogram.utils.i18n import gettext as _
from aiogram.utils.text_decorations import html_decoration
from pydantic import Field

from services.broadcasts.access import Action
from services.broadcasts.content import BroadcastContent
from services.broadcasts.progress import BroadcastProgress, DeliveryState, RecipientState
from services.dates import format_date
from services.deliveries.model import PhotoContent, TextContent
from services.people import ROW_ID_MAX
from services.text import TELEGRAM_TEXT_LIMIT, esc, split_text

# Of a failure's reason, as Telegram gave it, the report shows this much.
REASON_LIMIT = 120


class BroadcastControl(CallbackData, prefix="bcc"):
    broadcast: int = Field(ge=1, le=ROW_ID_MAX)
    action: Action


async def send_preview(bot: Bot, chat_id: int, content: BroadcastContent) -> None:
    """The message exactly as recipients will get it (the sender renders it the same way)."""
    if isinstance(content, TextContent):
        for part in split_text(_html(content.text, content.entities)):
            await bot.send_message(chat_id, part)
        return
    caption = _html(content.caption, content.caption_entities) or None
    if isinstance(content, PhotoContent):
        await bot.send_photo(chat_id, content.file_id, caption=caption)
    else:
        await bot.send_document(chat_id, content.file_id, caption=caption)


def _html(text: str | None, entities: Sequence[Mapping[str, Any]]) -> str:
    if not text:
        return ""
    found = [MessageEntity.model_validate(dict(entity)) for entity in entities]
    return html_decoration.unparse(text, found)


def when_text(moment: datetime, tz: ZoneInfo, locale: str) -> str:
    local = moment.astimezone(tz)
    return f"{format_date(local.date(), locale)} {local:%H:%M}"


def progress_text(view: BroadcastProgress, tz: ZoneInfo, locale: str, now: datetime) -> str:
    p = view.progress
    delivery = p.delivery
    state = {
        DeliveryState.scheduled: _("scheduled"),
        DeliveryState.sending: _("sending"),
        DeliveryState.paused: _("paused"),
        DeliveryState.cancelled: _("cancelled"),
        DeliveryState.done: _("done"),
    }[DeliveryState(delivery.state)]
    lines = [
        _("<b>Broadcast #{id}</b> · {state}").format(id=view.broadcast.id, state=state),
        _("Sent: {sent} · Failed: {failed} · Unreachable: {unreachable} · Left: {left}").format(
            sent=p.sent, failed=p.failed, unreachable=p.unreachable, left=p.left
        ),
    ]
    if p.cancelled:
        lines.append(_("Cancelled before sending: {count}").format(count=p.cancelled))
    if delivery.state == DeliveryState.scheduled and delivery.not_before > now:
        when = when_text(delivery.not_before, tz, locale)
        lines.append(_("Starts at {when}").format(when=when))
    elif p.finish_at is not None and delivery.state == DeliveryState.sending:
        finish = when_text(p.finish_at, tz, locale)
        lines.append(_("Estimated finish: {when}").format(when=finish))
    return "\n".join(lines)


def progress_markup(view: BroadcastProgress) -> InlineKeyboardMarkup | None:
    state = DeliveryState(view.progress.delivery.state)
    if view.finished or state in (DeliveryState.done, DeliveryState.cancelled):
        return None
    assert view.broadcast.id is not None  # noqa: S101 - saved rows
    broadcast = view.broadcast.id
    toggle = (
        (_("Resume"), Action.resume)
        if state == DeliveryState.paused
        else (_("Pause"), Action.pause)
    )
    buttons = [toggle, (_("Cancel broadcast"), Action.cancel)]
    row = [
        InlineKeyboardButton(
            text=label,
            callback_data=BroadcastControl(broadcast=broadcast, action=action).pack(),
        )
        for label, action in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def report_text(view: BroadcastProgress) -> str:
    """The final report, cut to one message: the names beyond what fits are counted."""
    p = view.progress
    cancelled = p.delivery.state == DeliveryState.cancelled
    title = _("Broadcast #{id} was cancelled.") if cancelled else _("Broadcast #{id} is finished.")
    lines = [
        "<b>" + title.format(id=view.broadcast.id) + "</b>",
        _("Sent: {sent} · Failed: {failed} · Unreachable: {unreachable}").format(
            sent=p.sent, failed=p.failed, unreachable=p.unreachable
        ),
    ]
    if p.cancelled:
        lines.append(_("Not sent (cancelled): {count}").format(count=p.cancelled))
    if p.delivery.skipped:
        lines.append(_("Without a Telegram account: {count}").format(count=p.delivery.skipped))
    if view.undelivered:
        lines.append(_("Not delivered:"))
    shown = 0
    for person in view.undelivered:
        line = "• " + esc(person.name) + " — " + esc(_reason(person.state, person.error))
        if sum(len(x) + 1 for x in lines) + len(line) > TELEGRAM_TEXT_LIMIT - 100:
            break
        lines.append(line)
        shown += 1
    if view.undelivered_total > shown:
        lines.append(_("…and {count} more.").format(count=view.undelivered_total - shown))
    return "\n".join(lines)


def _reason(state: RecipientState, error: str | None) -> str:
    if state == RecipientState.unreachable:
        return _("has blocked the bot or deleted their account")
    reason = (error or "").strip() or _("unknown error")
    return reason if len(reason) <= REASON_LIMIT else reason[: REASON_LIMIT - 1] + "…"
