"""What the delivery scenarios share: sender processes, a counting relay, recipients, waits."""

from __future__ import annotations

import asyncio
import inspect
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

import aiohttp
from aiohttp import web
from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.emulator import Emulator
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TextContent
from storage.delivery_models import Delivery, DeliveryRecipient, RecipientState
from storage.models import Person
from tests.e2e.conftest import BOT_ID

Check = Callable[[], bool | Awaitable[bool]]


async def until(check: Check, seconds: float, what: str | Callable[[], str]) -> None:
    """Wait for `check` to hold, looking every few milliseconds; fail after `seconds`, saying
    `what` was awaited (a callable: built then, e.g. with a process's log)."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                outcome = check()
                if await outcome if inspect.isawaitable(outcome) else outcome:
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        said = what() if callable(what) else what
        raise AssertionError(f"not within {seconds} s: {said}") from None


def per_chat(emulator: Emulator) -> Counter[int]:
    """Messages the bot sent, per chat, as the emulator stored them."""
    return emulator.state.bot(BOT_ID).message_counts


def sent_total(emulator: Emulator) -> int:
    return sum(per_chat(emulator).values())


@dataclass
class SenderProcess:
    """`python -m bot deliveries run`: a sender alone in a process, started again after a kill."""

    env: dict[str, str]
    workdir: Path
    name: str = "sender"
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    async def start(self, *, until_idle: bool = False) -> None:
        self.starts += 1
        log = (self.workdir / f"{self.name}-{self.starts}.log").open("wb")
        args = [sys.executable, "-m", "bot", "deliveries", "run"]
        self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once
            [*args, "--until-idle"] if until_idle else args,
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if not until_idle:
            await until(self._started, 60, lambda: f"{self.name} started:\n{self.log()}")

    def _started(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited early:\n{self.log()}")
        return "delivery sender started" in self.log(self.starts)

    async def finished(self, seconds: float) -> int:
        """Wait for the process to exit by itself; its return code."""
        assert self.process is not None
        process = self.process
        await until(lambda: process.poll() is not None, seconds, f"{self.name} exits")
        return int(process.returncode)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.finished(10)

    async def stop(self) -> int:
        if self.process is None or self.process.poll() is not None:
            return 0 if self.process is None else int(self.process.returncode)
        self.process.send_signal(signal.SIGTERM)
        try:
            return await self.finished(20)
        except AssertionError:
            self.process.kill()
            raise

    def log(self, start: int | None = None) -> str:
        pattern = f"{self.name}-{start}.log" if start else f"{self.name}-*.log"
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob(pattern)))


@dataclass
class CountingRelay:
    """Passes Bot API calls on to the emulator and counts the messages it accepted, so that a
    test can tell which of two processes sent what."""

    upstream: str
    accepted: Counter[str] = field(default_factory=Counter)
    port: int = 0
    _runner: web.AppRunner | None = None
    _client: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> CountingRelay:
        self._client = aiohttp.ClientSession()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._relay)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._runner is not None
        assert self._client is not None
        await self._runner.cleanup()
        await self._client.close()

    async def _relay(self, request: web.Request) -> web.Response:
        assert self._client is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        body = await request.read()
        url = self.upstream + request.path_qs
        async with self._client.request(request.method, url, data=body, headers=headers) as answer:
            answered = await answer.read()
            if answer.status == 200:
                self.accepted[request.path.rsplit("/", 1)[-1]] += 1
            return web.Response(
                status=answer.status, body=answered, content_type=answer.content_type
            )


async def add_recipients(
    emulator: Emulator,
    sessionmaker: async_sessionmaker[AsyncSession],
    user_ids: list[int],
    language: str = "zh",
) -> list[int]:
    """An emulator user (so that their chat exists) and a Person for each id; the person ids."""
    for user_id in user_ids:
        emulator.users.create_user(f"代表{user_id}", user_id=user_id, language_code=language)
    people = [Person(name=f"代表{user_id}", telegram_id=user_id) for user_id in user_ids]
    async with sessionmaker.begin() as session:
        session.add_all(people)
        await session.flush()
        return [person.id for person in people if person.id is not None]


async def queue_text(
    sessionmaker: async_sessionmaker[AsyncSession],
    key: str,
    person_ids: list[int],
    content: str,
    not_before: datetime,
) -> int:
    async with sessionmaker.begin() as session:
        delivery = await enqueue(
            session=session,
            dedupe_key=key,
            audience=People(person_ids),
            content=TextContent(text=content),
            not_before=not_before,
        )
    assert delivery.id is not None
    return delivery.id


async def rows(
    sessionmaker: async_sessionmaker[AsyncSession], delivery_id: int
) -> list[DeliveryRecipient]:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(DeliveryRecipient)
            .where(col(DeliveryRecipient.delivery_id) == delivery_id)
            .order_by(col(DeliveryRecipient.id))
        )
        return list(found.all())


async def in_flight(sessionmaker: async_sessionmaker[AsyncSession], delivery_id: int) -> int:
    """Rows claimed whose outcome was not yet written: Telegram may have taken them."""
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(DeliveryRecipient)
            .where(
                col(DeliveryRecipient.delivery_id) == delivery_id,
                col(DeliveryRecipient.state) == RecipientState.sending,
            )
        )
    return int(count or 0)


async def delivery_state(sessionmaker: async_sessionmaker[AsyncSession], delivery_id: int) -> str:
    async with sessionmaker() as session:
        delivery = await session.get(Delivery, delivery_id)
        assert delivery is not None
        return str(delivery.state)


async def unreachable(sessionmaker: async_sessionmaker[AsyncSession], person_id: int) -> bool:
    async with sessionmaker() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        return person.unreachable


async def empty_postgres(url: str) -> None:
    """A PostgreSQL database with nothing in it, for the migrations to build from."""
    from storage.db import create_engine

    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
