"""How late the event loop gets while something runs: a task that wakes every few milliseconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

TICK = 0.005


@dataclass
class Heartbeat:
    worst_seconds: float = 0.0

    @property
    def worst_ms(self) -> float:
        return self.worst_seconds * 1000


@asynccontextmanager
async def heartbeat() -> AsyncIterator[Heartbeat]:
    """Measures the worst lateness of a 5 ms tick while the body runs."""
    beat = Heartbeat()

    async def tick() -> None:
        while True:
            due = time.perf_counter() + TICK
            await asyncio.sleep(TICK)
            beat.worst_seconds = max(beat.worst_seconds, time.perf_counter() - due)

    task = asyncio.create_task(tick())
    await asyncio.sleep(0)
    try:
        yield beat
    finally:
        task.cancel()
