"""Which lane of the bot token's sending budget a call takes: answers to people or deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum


class Lane(StrEnum):
    answer = "answer"
    delivery = "delivery"


_current: ContextVar[Lane] = ContextVar("budget_lane", default=Lane.answer)


@contextmanager
def lane(which: Lane) -> Iterator[None]:
    """Calls made inside take `which` lane; answers are the default."""
    token = _current.set(which)
    try:
        yield
    finally:
        _current.reset(token)
