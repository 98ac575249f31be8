"""The Bot API calls that carry one recipient's copy of a delivery, rendered for them."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendDocument, SendLocation, SendMessage, SendPhoto, TelegramMethod
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from aiogram.utils.i18n import I18n
from aiogram.utils.text_decorations import html_decoration

import services.concerns.followup_template  # registers the concern follow-up
import services.duty.templates  # noqa: F401  (registers the duty reminders)
from bot.deliveries.wire import Call, Wire
from services.deliveries.templates import Button, Recipient, render
from services.text import split_text
from storage.delivery_models import ContentKind, Delivery
from storage.delivery_queue import ClaimedRow


def calls_for(
    wire: Wire,
    made: dict[int, list[Call]],
    delivery: Delivery,
    row: ClaimedRow,
    *,
    locale: str,
    i18n: I18n,
    paid: bool,
) -> list[Call]:
    """The calls for `row`, prepared for `wire`. A template is rendered for each recipient;
    stored content is the same for all but the chat, so it is built once per delivery (`made`
    keeps it, for one batch)."""
    if delivery.kind == ContentKind.template:
        methods = build_calls(delivery, row, locale=locale, i18n=i18n, paid=paid)
        return [wire.prepare(method) for method in methods]
    assert delivery.id is not None  # noqa: S101 - a claimed row's delivery is saved
    calls = made.get(delivery.id)
    if calls is None:
        methods = build_calls(delivery, row, locale=locale, i18n=i18n, paid=paid)
        calls = made[delivery.id] = [wire.prepare(method) for method in methods]
    return calls


def build_calls(
    delivery: Delivery, row: ClaimedRow, *, locale: str, i18n: I18n, paid: bool
) -> list[TelegramMethod[Any]]:
    """Every call for this recipient, in order; a long text is split into several messages.
    Parse mode is the bot's default, HTML: stored text is turned into HTML from its entities."""
    extra: dict[str, Any] = {"allow_paid_broadcast": True} if paid else {}
    chat_id = row.chat_id
    if delivery.kind == ContentKind.template:
        with i18n.context(), i18n.use_locale(locale):
            rendered = render(
                delivery.template_id or "",
                delivery.params,
                Recipient(person_id=row.person_id, locale=locale),
            )
        parts = split_text(rendered.text)
        markup = _keyboard(rendered.buttons)
        calls: list[TelegramMethod[Any]] = [
            SendMessage(
                chat_id=chat_id,
                text=part,
                reply_markup=markup if index == len(parts) - 1 else None,
                **extra,
            )
            for index, part in enumerate(parts)
        ]
        if rendered.pin is not None:
            pin = rendered.pin
            calls.append(
                SendLocation(
                    chat_id=chat_id, latitude=pin.latitude, longitude=pin.longitude, **extra
                )
            )
        return calls
    html = _html(delivery.text, delivery.entities)
    if delivery.kind == ContentKind.text:
        return [SendMessage(chat_id=chat_id, text=part, **extra) for part in split_text(html)]
    caption = html or None
    if delivery.kind == ContentKind.photo:
        return [SendPhoto(chat_id=chat_id, photo=delivery.file_id or "", caption=caption, **extra)]
    return [
        SendDocument(chat_id=chat_id, document=delivery.file_id or "", caption=caption, **extra)
    ]


def _html(text: str | None, entities: list[dict[str, Any]]) -> str:
    if not text:
        return ""
    return html_decoration.unparse(text, [MessageEntity(**entity) for entity in entities])


def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.text, callback_data=b.callback_data, url=b.url)
                for b in row
            ]
            for row in rows
        ]
    )
