"""Answers to an update are sent after its transaction commits, from rows saved inside it.

While a handler runs, sends (messages, photos, documents…) are held back: the handler gets a
placeholder result at once. The held calls are saved as PendingReply rows in the same transaction
as the handler's work and the update's handled-mark, and sent once that commits, each row crossed
off as Telegram accepts it (bot.sent; docs/write-path.md). So a crash never leaves an update
marked handled with its answer unsent, nor an answer sent for work that was rolled back (the
handler runs again on redelivery). Edits,
button answers and menus are held too: no Telegram call waits inside a write transaction (which on
SQLite would hold up every other writer), and a handler that fails after answering a button leaves
the button free for the error's alert.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    Response,
    SendDocument,
    SendLocation,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, Chat, FSInputFile, InputFile, Message, MessageId
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.sent import all_crossed_off, sent_marks
from bot.stopping import finish_anyway
from services.outbox import current_hold
from storage.models import PendingReply
from storage.outbox import claim_replies, pending_replies, release_replies, save_replies
from storage.people import set_unreachable
from storage.sent_journal import key_of

log = logging.getLogger(__name__)

HELD: dict[str, type[TelegramMethod[Any]]] = {
    cls.__name__: cls
    for cls in (
        SendMessage,
        SendPhoto,
        SendDocument,
        SendLocation,
        CopyMessage,
        ForwardMessage,
        EditMessageText,
        EditMessageReplyMarkup,
        AnswerCallbackQuery,
        SetMyCommands,
    )
}


class HoldRepliesMiddleware(BaseRequestMiddleware):
    """Bot session middleware: inside holding_replies(), sends are kept instead of made."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        held = current_hold()
        if held is None or type(method).__name__ not in HELD:
            return await make_request(bot, method)
        held.calls.append(method)
        # The chain hands back the result itself (aiogram's annotation says Response).
        return cast(Response[TelegramType], _placeholder(method))


def _placeholder(method: TelegramMethod[Any]) -> Message | MessageId | bool:
    if isinstance(method, (AnswerCallbackQuery, SetMyCommands)):
        return True
    if isinstance(method, CopyMessage):
        return MessageId(message_id=0)
    chat_id = int(getattr(method, "chat_id", 0))
    return Message(
        message_id=0,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type="private"),
        text=getattr(method, "text", None),
    )


def take_held(*, bot_id: int, update_id: int) -> list[PendingReply]:
    """The replies held so far as rows to save, not yet saved; once the caller has saved them
    in its transaction, they are sent after its commit (ReplyOutboxMiddleware)."""
    held = current_hold()
    if held is None or not held.calls:
        return []
    staged = [
        (
            PendingReply(
                bot_id=bot_id,
                update_id=update_id,
                chat_id=int(getattr(method, "chat_id", 0)),
                method=type(method).__name__,
                payload=_dump(method),
            ),
            method,
        )
        for method in held.calls
    ]
    held.staged.extend(staged)
    held.calls.clear()
    return [row for row, _method in staged]


async def stage_replies(*, session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Save the replies held so far in the caller's transaction."""
    await save_replies(session=session, rows=take_held(bot_id=bot_id, update_id=update_id))


# How long a sweep holds the leftover answers it claimed (a sweep that died frees them then).
REPLY_LEASE = timedelta(minutes=2)
# Rows being sent by this process, so that the sweep for leftovers never sends one twice.
# A count, not a set: a row id freed and reused may be held by two senders for a moment.
_sending: Counter[int] = Counter()


async def deliver_replies(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    update_id: int | None = None,
    staged: Sequence[tuple[PendingReply, TelegramMethod[Any]]] | None = None,
    rows: Sequence[PendingReply] | None = None,
    older_than: timedelta | None = None,
) -> int:
    """Send saved replies (just staged, given as read back, of one update, or all a failure
    left), oldest first.

    `older_than` makes a sweep leave alone what the updates in progress are about to send.
    """
    if staged is not None:
        rows = [row for row, _method in staged]
    else:
        if rows is None:
            before = datetime.now(UTC) - older_than if older_than is not None else None
            async with sessionmaker() as session:
                rows = await pending_replies(
                    session=session, bot_id=bot.id, update_id=update_id, created_before=before
                )
        # Only for rows read back: SQLite gives a new row the id of one just deleted, so a
        # fresh update's own row may carry an id still listed here by its previous owner.
        rows = [row for row in rows if row.id not in _sending]
    # Claimed before anything is awaited, so that no other sender takes the same rows meanwhile.
    ids = [row.id for row in rows if row.id is not None]
    _sending.update(ids)
    try:
        if staged is not None:
            items = [(row, method if not _has_file(row) else None) for row, method in staged]
        else:
            # Read back: another process's sweep may have read them too; one claim wins.
            claimed = await _claim(sessionmaker, ids)
            rows = [row for row in rows if row.id in claimed]
            items = [(row, None) for row in await _not_sent_before(sessionmaker, rows)]
            try:
                return await _send_in_order(bot, sessionmaker, items)
            finally:
                # What could not be sent now is free for the next sweep at once.
                await finish_anyway(_release(sessionmaker, claimed))
        return await _send_in_order(bot, sessionmaker, items)
    finally:
        _sending.subtract(ids)
        for reply_id in ids:
            if _sending[reply_id] <= 0:
                _sending.pop(reply_id, None)


async def _claim(sessionmaker: async_sessionmaker[AsyncSession], ids: list[int]) -> set[int]:
    if not ids:
        return set()
    now = datetime.now(UTC)
    async with sessionmaker.begin() as session:
        return await claim_replies(session=session, reply_ids=ids, now=now, until=now + REPLY_LEASE)


async def _release(sessionmaker: async_sessionmaker[AsyncSession], ids: set[int]) -> None:
    if ids:
        async with sessionmaker.begin() as session:
            await release_replies(session=session, reply_ids=ids)


async def _send_in_order(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    items: list[tuple[PendingReply, TelegramMethod[Any] | None]],
) -> int:
    sent = 0
    marks = sent_marks(sessionmaker)
    crossed: list[asyncio.Future[None]] = []
    try:
        for row, method in items:
            try:
                await bot(method or _load(row))
                sent += 1
            except TelegramForbiddenError:
                async with sessionmaker.begin() as session:
                    await set_unreachable(
                        session=session, telegram_id=row.chat_id, unreachable=True
                    )
            except TelegramBadRequest as exc:
                log.error(
                    "reply %s to update %s refused: %s", row.method, row.update_id, exc.message
                )
            except TelegramAPIError as exc:
                # Still failing after the retries: keep this row and the ones after it, in order.
                log.warning("replies kept for later: %s", type(exc).__name__)
                break
            crossed.append(marks.cross_off(row))
    finally:
        # Done only once crossed off: until then the sweep must not take these rows again.
        await all_crossed_off(crossed)
    return sent


async def settle_journal(
    sessionmaker: async_sessionmaker[AsyncSession], rows: list[PendingReply], *, complete: bool
) -> list[PendingReply]:
    """At a start, before anything is sent: delete the rows the last run had sent (listed in
    the journal) and begin a new journal. Returns the rows still to send.

    The journal begins anew only when `rows` are all the saved rows (`complete`) and every
    listed one was deleted: otherwise its lines still stand for rows sent and not yet deleted.
    """
    marks = sent_marks(sessionmaker)
    failures = marks.failures
    unsent = await _not_sent_before(sessionmaker, rows)
    if marks.journal is not None and complete and marks.failures == failures:
        marks.journal.clear()
    return unsent


async def _not_sent_before(
    sessionmaker: async_sessionmaker[AsyncSession], rows: Sequence[PendingReply]
) -> list[PendingReply]:
    """The rows not in the journal; those in it were sent before a crash and are deleted."""
    marks = sent_marks(sessionmaker)
    listed: set[str] = set()
    if marks.journal is not None and rows:
        # A file, up to a megabyte (bot.sent.COMPACT_AT): read off the event loop.
        listed = await asyncio.to_thread(marks.journal.read)
    done = [row for row in rows if key_of(row) in listed]
    await all_crossed_off([marks.cross_off(row, sent=False) for row in done])
    return [row for row in rows if key_of(row) not in listed]


def _has_file(row: PendingReply) -> bool:
    """A file is sent from the row's copy: the handler may have removed its own since."""
    return any(isinstance(value, dict) and "__file__" in value for value in row.payload.values())


def _dump(method: TelegramMethod[Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for key, value in method.model_dump(exclude_none=True).items():
        if isinstance(value, Default):
            continue  # the bot's default applies again when the call is rebuilt
        if isinstance(value, InputFile):
            value = _dump_file(value)
        payload[key] = value
    return payload


def _dump_file(file: InputFile) -> dict[str, str]:
    if isinstance(file, BufferedInputFile):
        data = file.data
    elif isinstance(file, FSInputFile):
        data = Path(file.path).read_bytes()
    else:
        raise TypeError(f"cannot hold a reply with {type(file).__name__}")
    return {"__file__": base64.b64encode(data).decode(), "filename": file.filename or "file"}


def _load(row: PendingReply) -> TelegramMethod[Any]:
    payload = {
        key: BufferedInputFile(base64.b64decode(value["__file__"]), filename=value["filename"])
        if isinstance(value, dict) and "__file__" in value
        else value
        for key, value in row.payload.items()
    }
    return HELD[row.method].model_validate(payload)
