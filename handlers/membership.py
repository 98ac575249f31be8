"""Someone blocking or unblocking the bot: they are unreachable until they come back."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated
from sqlalchemy.ext.asyncio import AsyncSession

from services.people import set_unreachable


async def on_blocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await set_unreachable(session=session, telegram_id=event.from_user.id, unreachable=True)


async def on_unblocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await set_unreachable(session=session, telegram_id=event.from_user.id, unreachable=False)


def build_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.filter(F.chat.type == "private")
    router.my_chat_member.register(
        on_blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        on_unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router
