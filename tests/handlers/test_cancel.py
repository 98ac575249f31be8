from __future__ import annotations

from aiogram.methods import EditMessageReplyMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cancel import CancelCallback
from tests.factories import add_delegation, add_representative, make_user
from tests.harness import Harness


async def test_cancel_without_a_dialog_says_there_is_nothing_to_cancel(
    tg: Harness, session: AsyncSession
) -> None:
    await add_representative(session, telegram_id=71, delegation=await add_delegation(session))
    await session.commit()
    assert await tg.send(make_user(71), "/cancel") == "当前没有可以取消的操作。"
    await tg.send(make_user(71), "/lang")
    await tg.press_label(make_user(71), "English")
    assert await tg.send(make_user(71), "/cancel") == "There is nothing to cancel."


async def test_cancel_ends_a_dialog_in_progress_and_its_card_loses_its_buttons(
    tg: Harness, session: AsyncSession
) -> None:
    await add_representative(session, telegram_id=72, delegation=await add_delegation(session))
    await session.commit()
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=72, user_id=72)
    await key.set_state("SomeFlow:summary")
    await tg.press(make_user(72), CancelCallback(), message_id=9)
    assert tg.api.texts(72)[-1] == "已取消，没有保存任何内容。"
    assert await key.get_state() is None
    edits = [r for r in tg.api.sent(72) if isinstance(r, EditMessageReplyMarkup)]
    assert [edit.message_id for edit in edits] == [9]
