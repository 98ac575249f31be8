"""Set-up and reading helpers shared by the /log tests."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup, User
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import Activity, ActivityAttachment, ActivityType
from storage.models import Delegation, Person
from tests.factories import add_activity_types, add_delegation, add_representative, make_user
from tests.harness import Harness


@dataclass
class Rep:
    user: User
    person: Person
    delegation: Delegation
    types: dict[str, ActivityType]
    person_id: int
    delegation_id: int
    type_ids: dict[str, int]


async def seed_rep(session: AsyncSession, *, telegram_id: int = 8101, language: str = "en") -> Rep:
    delegation = await add_delegation(session)
    person = await add_representative(
        session, telegram_id=telegram_id, delegation=delegation, language=language
    )
    types = await add_activity_types(session)
    assert person.id is not None
    assert delegation.id is not None
    type_ids = {code: kind.id for code, kind in types.items() if kind.id is not None}
    ids = (person.id, delegation.id)
    await session.commit()
    user = make_user(telegram_id, language_code=language)
    return Rep(user, person, delegation, types, *ids, type_ids)


def last_markup(tg: Harness, user: User) -> InlineKeyboardMarkup:
    for request in reversed(tg.api.sent(user.id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return markup
    raise AssertionError("no keyboard was sent")


def labels(tg: Harness, user: User) -> list[str]:
    return [button.text for row in last_markup(tg, user).inline_keyboard for button in row]


def last_card(tg: Harness, user: User) -> str:
    """The text of the last message that carried buttons (a question or the card)."""
    for request in reversed(tg.api.sent(user.id)):
        if isinstance(request, SendMessage) and isinstance(
            request.reply_markup, InlineKeyboardMarkup
        ):
            return request.text
    raise AssertionError("no message with buttons was sent")


async def activities(session: AsyncSession, person_id: int) -> list[Activity]:
    session.expire_all()
    query = select(Activity).where(col(Activity.person_id) == person_id).order_by(col(Activity.id))
    return list((await session.scalars(query)).all())


async def attachments_of(session: AsyncSession, activity_id: int) -> list[ActivityAttachment]:
    query = (
        select(ActivityAttachment)
        .where(col(ActivityAttachment.activity_id) == activity_id)
        .order_by(col(ActivityAttachment.position))
    )
    return list((await session.scalars(query)).all())


async def guided_to_card(tg: Harness, rep: Rep, *, summary: str = "Museum visit") -> None:
    """/log through every step, in English: Inspection, today, a place, a summary, no files."""
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.send(rep.user, "Luoyang Museum")
    await tg.send(rep.user, summary)
    await tg.press_label(rep.user, "Skip")
