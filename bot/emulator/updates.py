"""A bot's queue of pending updates, served by long polling or drained by the webhook pusher."""

from __future__ import annotations

import asyncio

from bot.emulator.errors import POLL_CONFLICT, ApiError, JsonDict

# Updates Telegram withholds unless a bot lists them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    def __init__(self) -> None:
        self._pending: list[JsonDict] = []
        self._changed = asyncio.Event()
        # Persisted between calls, as Telegram does when a call omits allowed_updates.
        self.allowed_updates: list[str] = []
        self._poll_generation = 0

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def wants(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATES

    def push(self, update: JsonDict, kind: str) -> bool:
        # Filtering happens on arrival, so a new allowed_updates only affects later updates.
        if not self.wants(kind):
            return False
        self._pending.append(update)
        self._notify()
        return True

    def confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def drop_all(self) -> None:
        self._pending.clear()

    def first(self) -> JsonDict | None:
        return self._pending[0] if self._pending else None

    def remove(self, update_id: int) -> None:
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    async def wait_for_any(self) -> JsonDict:
        while not self._pending:
            await self._changed.wait()
        return self._pending[0]

    async def poll(self, *, offset: int | None, limit: int, wait_seconds: float) -> list[JsonDict]:
        """getUpdates: confirm below ``offset``, then wait up to ``wait_seconds`` for anything new.

        A newer poll for the same bot ends an older one with 409, like Telegram does when two
        instances of a bot poll at once.
        """
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        if offset is not None:
            self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            remaining = deadline - loop.time()
            if self._pending or remaining <= 0:
                return self._pending[:limit]
            changed = self._changed
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                continue
