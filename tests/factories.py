"""Small builders for Telegram updates and roster records."""

from __future__ import annotations

import importlib
import itertools
from datetime import UTC, date, datetime
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberUpdated,
    Document,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import Activity, ActivityType, Concern, ConcernEvent, ConcernState
from storage.models import Delegation, Level, Mandate, Person, StaffMember, StaffRole, StaffScope

_update_ids = itertools.count(1000)
_message_ids = itertools.count(500)


def make_user(user_id: int, *, language_code: str | None = "zh", first_name: str = "测试") -> User:
    return User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)


def make_message(text: str, *, user: User, update_id: int | None = None) -> Update:
    entities = None
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        entities = [MessageEntity(type="bot_command", offset=0, length=length)]
    message = Message(
        message_id=next(_message_ids),
        date=datetime.now(UTC),
        chat=Chat(id=user.id, type="private"),
        from_user=user,
        text=text,
        entities=entities,
    )
    return Update(update_id=update_id or next(_update_ids), message=message)


def make_document(data: bytes, file_name: str, *, user: User, files: dict[str, bytes]) -> Update:
    """A document sent by `user`; its bytes are registered where the fake Bot API serves files."""
    file_id = f"file-{next(_message_ids)}"
    files[file_id] = data
    message = Message(
        message_id=next(_message_ids),
        date=datetime.now(UTC),
        chat=Chat(id=user.id, type="private"),
        from_user=user,
        document=Document(
            file_id=file_id, file_unique_id=file_id, file_name=file_name, file_size=len(data)
        ),
    )
    return Update(update_id=next(_update_ids), message=message)


def _message(user: User, **content: object) -> Update:
    message = Message.model_validate(
        {
            "message_id": next(_message_ids),
            "date": datetime.now(UTC),
            "chat": Chat(id=user.id, type="private"),
            "from": user,
            **content,
        }
    )
    return Update(update_id=next(_update_ids), message=message)


def make_photo(
    *,
    user: User,
    file_id: str | None = None,
    caption: str | None = None,
    media_group_id: str | None = None,
) -> Update:
    """A photo (as Telegram sends it: several sizes, the largest last); one of an album when
    `media_group_id` is given."""
    file_id = file_id or f"photo-{next(_message_ids)}"
    sizes = [
        PhotoSize(file_id=f"{file_id}-s", file_unique_id=f"{file_id}-us", width=90, height=60),
        PhotoSize(file_id=file_id, file_unique_id=f"u-{file_id}", width=1280, height=853),
    ]
    return _message(user, photo=sizes, caption=caption, media_group_id=media_group_id)


def make_file(
    *,
    user: User,
    file_name: str = "纪要.pdf",
    file_id: str | None = None,
    media_group_id: str | None = None,
) -> Update:
    """A document whose bytes are never fetched (an activity keeps only its file id)."""
    file_id = file_id or f"doc-{next(_message_ids)}"
    document = Document(file_id=file_id, file_unique_id=f"u-{file_id}", file_name=file_name)
    return _message(user, document=document, media_group_id=media_group_id)


def make_location(*, user: User, latitude: float, longitude: float) -> Update:
    return _message(user, location=Location(latitude=latitude, longitude=longitude))


def make_sticker(*, user: User) -> Update:
    sticker = Sticker(
        file_id="sticker-1",
        file_unique_id="u-sticker-1",
        type="regular",
        width=512,
        height=512,
        is_animated=False,
        is_video=False,
    )
    return _message(user, sticker=sticker)


def make_voice(*, user: User) -> Update:
    return _message(user, voice=Voice(file_id="voice-1", file_unique_id="u-voice-1", duration=3))


def make_callback(
    data: CallbackData | str, *, user: User, message_id: int = 1, update_id: int | None = None
) -> Update:
    packed = data.pack() if isinstance(data, CallbackData) else data
    message = Message(
        message_id=message_id,
        date=datetime.now(UTC),
        chat=Chat(id=user.id, type="private"),
        text="…",
    )
    query = CallbackQuery(
        id=str(next(_update_ids)), from_user=user, chat_instance="ci", data=packed, message=message
    )
    return Update(update_id=update_id or next(_update_ids), callback_query=query)


def make_my_chat_member(user: User, *, old: str, new: str) -> Update:
    """The user blocked ("kicked") or unblocked ("member") the bot in their private chat."""
    bot = User(id=123456, is_bot=True, first_name="bot")
    event = ChatMemberUpdated.model_validate(
        {
            "chat": Chat(id=user.id, type="private"),
            "from": user,
            "date": datetime.now(UTC),
            "old_chat_member": {"status": old, "user": bot}
            if old == "member"
            else {"status": old, "user": bot, "until_date": 0},
            "new_chat_member": {"status": new, "user": bot}
            if new == "member"
            else {"status": new, "user": bot, "until_date": 0},
        }
    )
    return Update(update_id=next(_update_ids), my_chat_member=event)


async def add_delegation(session: AsyncSession, name: str = "驻洛省十四届人大代表") -> Delegation:
    delegation = Delegation(name=name, level=Level.province)
    session.add(delegation)
    await session.flush()
    return delegation


async def add_representative(
    session: AsyncSession,
    *,
    telegram_id: int | None,
    delegation: Delegation,
    name: str = "王建国",
    leader: bool = False,
    language: str | None = None,
) -> Person:
    person = Person(name=name, telegram_id=telegram_id, language=language)
    session.add(person)
    await session.flush()
    assert person.id is not None
    assert delegation.id is not None
    session.add(
        Mandate(
            person_id=person.id,
            level=delegation.level,
            term_number=14,
            delegation_id=delegation.id,
            is_group_leader=leader,
        )
    )
    await session.flush()
    return person


async def add_staff(
    session: AsyncSession,
    *,
    telegram_id: int,
    delegations: list[Delegation],
    role: StaffRole = StaffRole.staff,
) -> StaffMember:
    staff = StaffMember(telegram_id=telegram_id, role=role)
    session.add(staff)
    await session.flush()
    assert staff.id is not None
    for delegation in delegations:
        assert delegation.id is not None
        session.add(StaffScope(staff_id=staff.id, delegation_id=delegation.id))
    await session.flush()
    return staff


def _seeded_activity_types() -> tuple[tuple[str, str, str, int, list[str]], ...]:
    """The types migration 0008 seeds (tests build their tables without migrations)."""
    path = "storage.migrations.versions.0008_activities_and_concerns"
    seeded: tuple[tuple[str, str, str, int, list[str]], ...] = importlib.import_module(
        path
    ).ACTIVITY_TYPES
    return seeded


async def add_activity_types(session: AsyncSession) -> dict[str, ActivityType]:
    """The twelve seeded activity types, by code."""
    types = {}
    for position, (code, zh, en, points, aliases) in enumerate(_seeded_activity_types()):
        kind = ActivityType(
            code=code, name_zh=zh, name_en=en, points=points, aliases=aliases, position=position
        )
        session.add(kind)
        types[code] = kind
    await session.flush()
    return types


async def add_mandate(
    session: AsyncSession,
    person: Person,
    delegation: Delegation,
    *,
    term_start: date | None = None,
    term_end: date | None = None,
) -> Mandate:
    """Another active mandate of `person` (add_representative gives the first)."""
    assert person.id is not None
    assert delegation.id is not None
    mandate = Mandate(
        person_id=person.id,
        level=delegation.level,
        term_number=14,
        delegation_id=delegation.id,
        term_start=term_start,
        term_end=term_end,
    )
    session.add(mandate)
    await session.flush()
    return mandate


async def add_activity(
    session: AsyncSession,
    person: Person,
    *,
    type_code: str = "inspection",
    happened_on: date | None = None,
    summary: str = "文旅文创融合调研",
    **fields: Any,
) -> Activity:
    """An activity of the person's first mandate, with the points its type earns now
    (after add_activity_types)."""
    kind = (
        await session.scalars(select(ActivityType).where(col(ActivityType.code) == type_code))
    ).one()
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == person.id))
    ).first()
    assert mandate is not None
    assert person.id is not None
    assert mandate.id is not None
    assert kind.id is not None
    activity = Activity(
        person_id=person.id,
        mandate_id=fields.pop("mandate_id", mandate.id),
        delegation_id=fields.pop("delegation_id", mandate.delegation_id),
        type_id=kind.id,
        points=fields.pop("points", kind.points),
        happened_on=happened_on or date(2024, 3, 15),
        summary=summary,
        **fields,
    )
    session.add(activity)
    await session.flush()
    return activity


# Duty record (履职档案): activity types, activities and concerns written straight to the database.
RECORD_TYPES = {
    "inspection": ("视察", "Inspection", 3, 1),
    "reception": ("接待群众", "Reception", 2, 4),
    "group_meeting": ("小组活动", "Group meeting", 3, 0),
}


async def add_record_type(session: AsyncSession, code: str) -> ActivityType:
    """One of RECORD_TYPES, added the first time it is asked for."""
    found = (await session.scalars(select(ActivityType).where(ActivityType.code == code))).first()
    if found is not None:
        return found
    zh, en, points, position = RECORD_TYPES[code]
    kind = ActivityType(code=code, name_zh=zh, name_en=en, points=points, position=position)
    session.add(kind)
    await session.flush()
    return kind


async def add_record_activity(
    session: AsyncSession,
    person: Person,
    day: date,
    *,
    code: str = "inspection",
    summary: str = "文旅文创融合调研",
    **fields: Any,
) -> Activity:
    """An activity of the person's first mandate, with its type's points unless given."""
    kind = await add_record_type(session, code)
    mandate = (await session.scalars(select(Mandate).where(Mandate.person_id == person.id))).first()
    assert mandate is not None
    assert mandate.id is not None
    assert person.id is not None
    assert kind.id is not None
    activity = Activity(
        person_id=person.id,
        mandate_id=mandate.id,
        delegation_id=mandate.delegation_id,
        type_id=kind.id,
        points=fields.pop("points", kind.points),
        happened_on=day,
        summary=summary,
        **fields,
    )
    session.add(activity)
    await session.flush()
    return activity


async def add_record_concern(
    session: AsyncSession, person: Person, created_at: datetime, **fields: Any
) -> Concern:
    """A concern of the person's first mandate, recorded at ``created_at`` (aware UTC)."""
    mandate = (await session.scalars(select(Mandate).where(Mandate.person_id == person.id))).first()
    assert mandate is not None
    assert mandate.id is not None
    assert person.id is not None
    concern = Concern(
        person_id=person.id,
        mandate_id=mandate.id,
        delegation_id=mandate.delegation_id,
        category=fields.pop("category", "livelihood"),
        summary=fields.pop("summary", "路灯不亮"),
        created_at=created_at,
        touched_at=fields.pop("touched_at", created_at),
        **fields,
    )
    session.add(concern)
    await session.flush()
    return concern


async def _first_mandate(session: AsyncSession, person: Person) -> Mandate:
    from sqlmodel import col, select

    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == person.id))
    ).first()
    assert mandate is not None
    return mandate


async def add_concern(
    session: AsyncSession,
    *,
    person: Person,
    summary: str = "小区门口道路破损，雨天积水严重",
    category: str = "livelihood",
    state: str = "received",
    created_at: datetime | None = None,
    consent: bool = False,
    constituent_name: str | None = None,
    constituent_phone: str | None = None,
) -> Concern:
    """A concern of the person's first mandate, with its first timeline step."""
    assert person.id is not None
    mandate = await _first_mandate(session, person)
    mandate_id = mandate.id
    assert mandate_id is not None
    at = created_at or datetime.now(UTC)
    concern = Concern(
        person_id=person.id,
        mandate_id=mandate_id,
        delegation_id=mandate.delegation_id,
        category=category,
        summary=summary,
        state=ConcernState(state),
        consent=consent,
        consent_at=at if consent else None,
        constituent_name=constituent_name,
        constituent_phone=constituent_phone,
        created_at=at,
        touched_at=at,
    )
    session.add(concern)
    await session.flush()
    assert concern.id is not None
    session.add(ConcernEvent(concern_id=concern.id, state=ConcernState.received, at=at))
    await session.flush()
    return concern


async def add_reception(session: AsyncSession, *, person: Person) -> Activity:
    """A reception (接待群众) the person logged today, for their first mandate."""
    from sqlmodel import col, select

    assert person.id is not None
    mandate = await _first_mandate(session, person)
    mandate_id = mandate.id
    assert mandate_id is not None
    kind = await session.scalar(select(ActivityType).where(col(ActivityType.code) == "reception"))
    if kind is None:
        kind = ActivityType(code="reception", name_zh="接待群众", name_en="Reception", points=2)
        session.add(kind)
        await session.flush()
    assert kind.id is not None
    activity = Activity(
        person_id=person.id,
        mandate_id=mandate_id,
        delegation_id=mandate.delegation_id,
        type_id=kind.id,
        points=kind.points,
        happened_on=datetime.now(UTC).date(),
        summary="周三代表活动日接待群众",
    )
    session.add(activity)
    await session.flush()
    return activity
