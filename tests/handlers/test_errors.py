"""One error handler; forged and stale buttons; redelivered updates."""

from __future__ import annotations

import logging
import re

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import NotFound
from services.i18n_marks import N_
from storage.models import ProcessedUpdate
from tests.conftest import ADMIN_ID
from tests.factories import make_message, make_user
from tests.harness import Harness

EXPIRED_ZH = "该按钮已失效，请重新开始。"


def install(tg: Harness, router: Router) -> None:
    dispatcher = tg.app.dispatcher
    dispatcher.include_router(router)
    dispatcher.sub_routers.insert(0, dispatcher.sub_routers.pop())


async def test_unexpected_error_answers_with_a_reference_that_is_logged(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router(name="boom")

    @router.message(Command("boom"))
    async def cmd_boom(message: Message) -> None:
        raise RuntimeError("kaput")

    install(tg, router)
    with caplog.at_level(logging.ERROR):
        answer = await tg.send(make_user(ADMIN_ID, language_code="en"), "/boom")
    match = re.fullmatch(
        r"Something went wrong \(ref ([0-9A-F]{4})\)\. Please try again later\.", answer
    )
    assert match is not None, answer
    logged = [r for r in caplog.records if getattr(r, "ref", None) == match.group(1)]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "kaput" in str(logged[0].exc_info[1])


async def test_domain_error_is_answered_in_the_users_language(tg: Harness) -> None:
    router = Router(name="missing")

    @router.message(Command("missing"))
    async def cmd_missing(message: Message) -> None:
        raise NotFound()

    install(tg, router)
    assert await tg.send(make_user(ADMIN_ID, language_code="zh"), "/missing") == (
        "该记录不存在，或不属于您。"
    )


async def test_an_error_rolls_back_what_the_handler_wrote(
    tg: Harness, session: AsyncSession
) -> None:
    router = Router(name="half")

    @router.message(Command("half"))
    async def cmd_half(message: Message, session: AsyncSession) -> None:
        from storage.people import set_language

        await set_language(session=session, telegram_id=4242, language="en")
        raise RuntimeError("after the write")

    install(tg, router)
    await tg.send(make_user(4242), "/half")
    from storage.models import ChatPreference

    assert await session.get(ChatPreference, 4242) is None


@pytest.mark.parametrize("data", ["lang:abc", "lang:", "nonsense", "lang:1:2:3", "x" * 64])
async def test_forged_button_is_answered_as_expired(tg: Harness, data: str) -> None:
    await tg.press(make_user(ADMIN_ID), data)
    assert tg.api.alerts() == [EXPIRED_ZH]


async def test_stale_button_with_a_valid_shape_is_answered_as_expired(tg: Harness) -> None:
    await tg.press(make_user(ADMIN_ID), "lang:7")
    assert tg.api.alerts() == [EXPIRED_ZH]


async def test_redelivered_update_is_skipped(tg: Harness, session: AsyncSession) -> None:
    user = make_user(ADMIN_ID, language_code="en")
    update = make_message("/help", user=user, update_id=777)
    await tg.feed(update)
    await tg.feed(update)
    assert len(tg.api.texts(user.id)) == 1
    count = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert count == 1


async def test_an_error_repeats_at_most_a_line_of_what_was_sent(tg: Harness) -> None:
    router = Router(name="echo")

    @router.message(Command("echo"))
    async def cmd_echo(message: Message) -> None:
        raise NotFound(N_("No one called {name} in your delegations."), name=message.text)

    install(tg, router)
    sent = "/echo " + "<王>" * 1300
    answer = await tg.send(make_user(ADMIN_ID, language_code="en"), sent)
    assert answer.startswith("No one called /echo &lt;王&gt;")
    assert answer.endswith("… in your delegations.")
    assert answer.count("&lt;王&gt;") <= 200 // 3
    assert len(answer) < 4096
