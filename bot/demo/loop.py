"""An event loop on a helper thread, driven from the main thread one coroutine at a time."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
# Enough for the emulator to close its sockets; a stuck task must not hold the exit for long.
_CLOSE_TIMEOUT = 5.0


class LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        # A daemon: should closing fail, the interpreter still exits instead of hanging.
        self._thread = threading.Thread(target=self.loop.run_forever, name="demo-loop", daemon=True)
        self._thread.start()

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop and wait for it; Ctrl-C interrupts the wait and cancels it."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def soon(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Start ``coro`` on the loop without waiting for it; close() cancels it."""
        asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self, last: Coroutine[Any, Any, Any]) -> None:
        """Cancel what still runs, await ``last`` (a clean-up), stop the loop and the thread."""

        async def finish() -> None:
            current = asyncio.current_task()
            others = [task for task in asyncio.all_tasks() if task is not current]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await last

        if self.loop.is_closed():
            last.close()
            return
        future = asyncio.run_coroutine_threadsafe(finish(), self.loop)
        with contextlib.suppress(Exception):
            future.result(_CLOSE_TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(_CLOSE_TIMEOUT)
        if not self._thread.is_alive():
            self.loop.close()
