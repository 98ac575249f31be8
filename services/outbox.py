"""The answers a handler makes are held, not sent, while its update is handled (bot.outbox).

This is the state that the reply outbox shares with the code that makes the answers: which calls an
update has made so far, and a way to send a message that must not be stored after the commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram.methods import TelegramMethod

from storage.models import PendingReply


@dataclass
class HeldReplies:
    calls: list[TelegramMethod[Any]] = field(default_factory=list)
    # The rows made of them, each with its call: sent after the commit as they are, without
    # reading the rows back or rebuilding the calls from them.
    staged: list[tuple[PendingReply, TelegramMethod[Any]]] = field(default_factory=list)
    # The update was handled before (a redelivery): what a crash left unsent for it is sent.
    redelivered: bool = False
    # Sends that must not be stored (see send_after_commit), made once the update has committed.
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


_held: ContextVar[HeldReplies | None] = ContextVar("held_replies", default=None)


@contextmanager
def holding_replies() -> Iterator[HeldReplies]:
    held = HeldReplies()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


async def send_after_commit(send: Callable[[], Awaitable[None]]) -> None:
    """For a message that must not be stored, such as an invitation carrying its token in clear:
    made after the update's transaction commits, after its held answers, never before. Outside
    an update (nothing is held) it is made at once; the caller has committed."""
    held = current_hold()
    if held is None:
        await send()
    else:
        held.after_commit.append(send)


def current_hold() -> HeldReplies | None:
    return _held.get()
