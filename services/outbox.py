"""The answers a handler makes are held, not sent, while its update is handled (bot.outbox).

This is the state that the reply outbox shares with the code that makes the answers: which calls an
update has made so far, and a way for a handler to send one call at once.
"""

from __future__ import annotations

from collections.abc import Iterator
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


_held: ContextVar[HeldReplies | None] = ContextVar("held_replies", default=None)


@contextmanager
def holding_replies() -> Iterator[HeldReplies]:
    held = HeldReplies()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


@contextmanager
def sending_now() -> Iterator[None]:
    """Send at once, not held: for a message that must not be stored, such as an invitation
    carrying its token in clear. The caller commits its work first."""
    token = _held.set(None)
    try:
        yield
    finally:
        _held.reset(token)


def current_hold() -> HeldReplies | None:
    return _held.get()
