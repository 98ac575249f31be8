"""Synchronous filters run on the event loop rather than in aiogram's thread pool.

aiogram awaits a filter that is a coroutine function or a Filter instance, and hands any other
callable — every `F.…` magic filter, every plain function — to `asyncio.to_thread`: a thread
hand-off and an event-loop wake-up per check, several per update, for checks that read a field of
the event. The project's synchronous filters do nothing else (no I/O, no waiting), so after the
routers are built each one is wrapped in a coroutine that calls it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject


def run_filters_on_loop(root: Router) -> int:
    """Make every synchronous filter under `root` a coroutine; returns how many were changed."""
    changed = 0
    for handler in _handlers(root):
        for item in handler.filters or ():
            if not item.awaitable:
                _make_awaitable(item)
                changed += 1
    return changed


def _handlers(root: Router) -> Iterator[HandlerObject]:
    for router in root.chain_tail:
        for observer in router.observers.values():
            yield from observer.handlers
            # The filters set with `router.message.filter(...)` live on the observer's own
            # handler object, which aiogram keeps in an attribute without a public accessor.
            own = getattr(observer, "_handler", None)
            if isinstance(own, HandlerObject):
                yield own


def _make_awaitable(item: FilterObject) -> None:
    check: Callable[..., Any] = item.callback

    async def on_loop(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    # The parameters aiogram passes were read from the original callable and stay as they are.
    item.callback = on_loop
    item.awaitable = True
