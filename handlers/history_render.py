"""Texts of activity lists and entry cards, shared by /my and the staff view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from services.activities.history import (
    ATTACHMENT_LIMIT,
    PAGE_SIZE,
    Activity,
    ActivityAttachment,
    ActivityType,
    AttachmentKind,
    EntryView,
    HistoryPage,
)
from services.dates import format_date
from services.text import esc, split_text

# Ten lines of at most ~170 characters each keep a page far inside Telegram's 4,096.
PLACE_CUT = 40
SUMMARY_CUT = 60


def type_name(kind: ActivityType | None, locale: str) -> str:
    if kind is None:
        return "—"
    return kind.name_zh if locale.startswith("zh") else kind.name_en


def points_text(points: int) -> str:
    return _("{points} pts").format(points=points)


def _cut(value: str, limit: int) -> str:
    # Cut before escaping, so that an entity is never cut in half.
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def headline(activity: Activity, types: Mapping[int, ActivityType], locale: str) -> str:
    """Date · type · place (escaped): how one entry is named in lists and on cards."""
    kind = esc(type_name(types.get(activity.type_id), locale))
    text = format_date(activity.happened_on, locale) + " · " + kind
    if activity.place:
        text += " · " + esc(_cut(activity.place, PLACE_CUT))
    return text


def entry_lines(listing: HistoryPage, types: Mapping[int, ActivityType], locale: str) -> list[str]:
    lines = []
    for number, activity in enumerate(listing.entries, start=listing.page * PAGE_SIZE + 1):
        line = f"<b>{number}.</b> {headline(activity, types, locale)} · "
        line += points_text(activity.points)
        if activity.deleted_at is not None:
            line += _(" (deleted)")
        lines.append(line + "\n    " + esc(_cut(activity.summary, SUMMARY_CUT)))
    return lines


def page_line(listing: HistoryPage) -> str:
    return _("Entries: {total}, page {page} of {pages}").format(
        total=listing.total, page=listing.page + 1, pages=listing.pages
    )


def entry_card(
    view: EntryView, locale: str, *, person: str | None = None, deleted_on: str | None = None
) -> list[str]:
    """The whole entry, in parts that each fit one message."""
    activity = view.activity
    lines = [f"<b>{esc(type_name(view.type, locale))}</b>"]
    if person is not None:
        lines.append(_("Representative: {name}").format(name=esc(person)))
    if deleted_on is not None:
        lines.append(_("Deleted on {date}").format(date=deleted_on))
    lines.append(_("Date: {date}").format(date=format_date(activity.happened_on, locale)))
    if activity.place:
        lines.append(_("Place: {place}").format(place=esc(activity.place)))
    if activity.latitude is not None and activity.longitude is not None:
        lines.append(
            _("Location: {latitude}, {longitude}").format(
                latitude=f"{activity.latitude:.5f}", longitude=f"{activity.longitude:.5f}"
            )
        )
    lines.append(_("Points: {points}").format(points=activity.points))
    if activity.for_bulletin:
        lines.append(_("For the bulletin: yes"))
        if activity.bulletin_note:
            lines.append(_("Write-up: {note}").format(note=esc(activity.bulletin_note)))
    if view.attachments:
        lines.append(_("Attachments: {count}").format(count=len(view.attachments)))
    lines += ["", _("Summary:"), esc(activity.summary)]
    return split_text("\n".join(lines))


async def send_entry(
    bot: Bot,
    chat_id: int,
    parts: list[str],
    markup: InlineKeyboardMarkup,
    attachments: Sequence[ActivityAttachment],
) -> None:
    """The card (its buttons under the last part), then its photos and documents by file id:
    Telegram still holds them, nothing was ever downloaded."""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)
    for attachment in attachments[:ATTACHMENT_LIMIT]:
        if attachment.kind == AttachmentKind.photo:
            await bot.send_photo(chat_id, attachment.file_id)
        else:
            await bot.send_document(chat_id, attachment.file_id)


async def edit_in_place(
    bot: Bot, query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    await query.answer()
    if query.message is not None:
        await bot.edit_message_text(
            text=text,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=markup,
        )
