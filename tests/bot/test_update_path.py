"""What one update costs in statements, where the dialog state is read, filters on the loop."""

from __future__ import annotations

import threading
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message, Update
from sqlalchemy import event, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.app import App
from bot.filters import run_filters_on_loop
from storage.models import ProcessedUpdate
from tests.factories import make_message, make_user
from tests.fakes import FakeSession
from tests.harness import Harness


class Survey(StatesGroup):
    place = State()


def _statements(app: App) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_an_update_reads_once_and_its_dialog_state_with_it(tg: Harness) -> None:
    """Handled mark, identity and dialog state: one SELECT, in the update's own session."""
    router = Router(name="survey")
    states: list[str | None] = []

    @router.message(Command("survey"))
    async def cmd_survey(message: Message, state: FSMContext, raw_state: str | None) -> None:
        states.append(raw_state)
        await state.set_state(Survey.place)
        await message.answer("地点？")

    @router.message(Survey.place)
    async def on_place(message: Message, state: FSMContext, raw_state: str | None) -> None:
        states.append(raw_state)
        await state.clear()
        await message.answer("好")

    tg.app.dispatcher.include_router(router)
    tg.app.dispatcher.sub_routers.insert(0, tg.app.dispatcher.sub_routers.pop())
    user = make_user(41)
    await tg.send(user, "/help")  # the pool and the statement cache are warm from here
    statements = _statements(tg.app)
    assert await tg.send(user, "/survey") == "地点？"
    survey = list(statements)
    statements.clear()
    assert await tg.send(user, "洛阳博物馆") == "好"
    assert states == [None, "Survey:place"]
    # Everything read before the handler writes is that one SELECT (the FSM then locks the row
    # it changes, a read of the write).
    assert _before_first_write(survey) == ["SELECT"]
    assert _before_first_write(statements) == ["SELECT"]


def _before_first_write(statements: list[str]) -> list[str]:
    writes = [i for i, verb in enumerate(statements) if verb in {"INSERT", "UPDATE", "DELETE"}]
    return statements[: writes[0]] if writes else statements


async def test_a_plain_answer_costs_one_select(tg: Harness) -> None:
    user = make_user(42, language_code="en")
    await tg.send(user, "/help")
    statements = _statements(tg.app)
    await tg.send(user, "/help")
    assert statements.count("SELECT") == 1
    # The saved answer; the handled mark and the COMMIT go along in the same trip to SQLite's
    # thread (storage.outbox.save_reply_then_commit), below SQLAlchemy.
    assert statements.count("INSERT") == 1
    assert statements.count("DELETE") == 1  # the answer crossed off once sent
    async with tg.app.sessionmaker() as session:
        marks = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert marks == 2


async def test_synchronous_filters_run_on_the_event_loop(tg: Harness) -> None:
    threads: list[str] = []

    def long_text(message: Message) -> bool:
        threads.append(threading.current_thread().name)
        return len(message.text or "") > 3

    async def on_long(message: Message) -> None:
        await message.answer("长")

    dispatcher = Dispatcher()
    router = Router(name="sync")
    router.message.register(on_long, long_text)
    dispatcher.include_router(router)
    assert run_filters_on_loop(dispatcher) == 1
    api = FakeSession()
    bot = tg.app.bot.__class__(tg.app.bot.token, session=api)
    await dispatcher.feed_update(bot, make_message("四个字以上", user=make_user(43)))
    assert threads == [threading.main_thread().name]
    assert api.texts(43) == ["长"]


def test_the_apps_filters_are_all_coroutines(app: App) -> None:
    assert run_filters_on_loop(app.dispatcher) == 0  # build_app has converted them all


async def test_an_error_answer_is_saved_with_the_handled_mark(
    tg: Harness, session: AsyncSession
) -> None:
    """A failed update is answered once, even when Telegram delivers it again after a crash."""
    user = make_user(44, language_code="en")
    update = make_message("/lang xx", user=user)
    await tg.feed(update)
    await tg.feed(update)
    texts = tg.api.texts(44)
    assert texts == ["Unknown language. Send /lang 中文 or /lang English."]
    marked = await session.scalar(
        select(func.count())
        .select_from(ProcessedUpdate)
        .where(ProcessedUpdate.update_id == update.update_id)
    )
    assert marked == 1


async def test_an_update_that_answers_nothing_looks_for_no_leftover_answers(tg: Harness) -> None:
    """Only a redelivered update, skipped, may have answers a crash left unsent."""
    user = make_user(43, language_code="en")
    await tg.send(user, "/help")
    statements = _statements(tg.app)
    quiet = make_message("改过的消息", user=user)
    edited = Update(update_id=quiet.update_id, edited_message=quiet.message)
    await tg.feed(edited)
    assert statements == ["SELECT", "INSERT"]  # who and whether handled; the handled mark
    statements.clear()
    await tg.feed(edited)
    assert statements == ["SELECT", "SELECT"]  # handled before: its leftovers are looked for
