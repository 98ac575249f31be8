"""Background loops that catch errors to carry on must still stop when they are told to."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


def stop_if_cancelled() -> None:
    """Raise CancelledError if the running task is being cancelled.

    Call it in a loop's `except Exception:` before carrying on. A cancellation that lands in
    the middle of a database call can come out as the driver's own error (SQLAlchemy reports a
    transaction cut short as PendingRollbackError); caught as an error, the loop would sleep and
    go round again, and whoever waits for it to stop would wait for ever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def finish_anyway(work: Awaitable[T]) -> T:
    """Await `work` to its end even if the caller is cancelled meanwhile, then let the
    cancellation through: for writes that must not be cut in half (marking what was sent)."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})
        raise
