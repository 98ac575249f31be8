"""Staff broadcasts: one row per broadcast beside its delivery, and the state of the progress
message that reports on it (so that the reporting survives a restart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, func, select

from storage.delivery_models import DeliveryRecipient, RecipientState
from storage.models import Person
from storage.types import UTCDateTime, utcnow

TOKEN_LENGTH = 32


class Broadcast(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Made when the preview is shown: confirming twice finds the row of the first confirm.
    token: str = Field(max_length=TOKEN_LENGTH, unique=True)
    delivery_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("delivery.id", ondelete="CASCADE"), unique=True, nullable=False
        )
    )
    author_telegram_id: int = Field(sa_type=BigInteger)
    # Where the progress message and the final report go: the author's private chat.
    chat_id: int = Field(sa_type=BigInteger)
    # The author's language when they confirmed (staff off the roster have no stored one).
    locale: str = Field(max_length=8)
    # The delegations the audience was drawn from (None: every delegation): other staff whose
    # scope holds them all may pause, resume or cancel it too.
    delegation_ids: list[int] | None = Field(default=None, sa_type=JSON)
    progress_message_id: int | None = None
    # What the progress message shows now, so that an unchanged one is not edited again.
    progress_digest: str | None = Field(default=None, max_length=64)
    progress_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


async def insert_broadcast(*, session: AsyncSession, broadcast: Broadcast) -> Broadcast:
    session.add(broadcast)
    await session.flush()
    return broadcast


async def broadcast_by_token(*, session: AsyncSession, token: str) -> Broadcast | None:
    found = await session.scalar(select(Broadcast).where(col(Broadcast.token) == token))
    return found


async def get_broadcast(*, session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id, populate_existing=True)


async def unreported_broadcasts(*, session: AsyncSession, limit: int) -> list[Broadcast]:
    """Broadcasts whose final report is not yet sent, oldest first."""
    query = (
        select(Broadcast)
        .where(col(Broadcast.reported_at).is_(None))
        .order_by(col(Broadcast.id))
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def take_turn(
    *, session: AsyncSession, broadcast_id: int, seen_at: datetime | None, now: datetime
) -> bool:
    """Claim the next update of the progress message: True unless another process updated it
    since `seen_at` (the value this one read), so two bot processes never both edit or report."""
    last = col(Broadcast.progress_at)
    result = await session.execute(
        update(Broadcast)
        .where(
            col(Broadcast.id) == broadcast_id,
            col(Broadcast.reported_at).is_(None),
            last.is_(None) if seen_at is None else last == seen_at,
        )
        .values(progress_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def save_progress(
    *,
    session: AsyncSession,
    broadcast_id: int,
    message_id: int | None,
    digest: str,
    at: datetime,
    reported: bool = False,
) -> None:
    values: dict[str, Any] = {"progress_digest": digest}
    if message_id is not None:
        values["progress_message_id"] = message_id
    if reported:
        values["reported_at"] = at
    await session.execute(
        update(Broadcast).where(col(Broadcast.id) == broadcast_id).values(**values)
    )


@dataclass(frozen=True)
class Undelivered:
    name: str
    state: RecipientState
    error: str | None


async def undelivered(
    *, session: AsyncSession, delivery_id: int, limit: int
) -> tuple[list[Undelivered], int]:
    """Recipients who did not get the message (failed or unreachable), in roster order, at most
    `limit` of them, and how many there are in all."""
    _R = DeliveryRecipient
    where = (
        col(_R.delivery_id) == delivery_id,
        col(_R.state).in_([RecipientState.failed, RecipientState.unreachable]),
    )
    total = await session.scalar(select(func.count()).select_from(_R).where(*where))
    rows = await session.execute(
        select(Person.name, _R.state, _R.error)
        .join(Person, col(Person.id) == col(_R.person_id))
        .where(*where)
        .order_by(col(_R.id))
        .limit(limit)
    )
    found = [Undelivered(name, RecipientState(state), error) for name, state, error in rows.all()]
    return found, int(total or 0)
