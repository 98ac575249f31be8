"""The audit log of staff actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import AuditLog


async def record_audit(
    *,
    session: AsyncSession,
    actor_telegram_id: int | None,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    entry = AuditLog(
        actor_telegram_id=actor_telegram_id, action=action, target=target, details=details or {}
    )
    session.add(entry)
    await session.flush()
    return entry


async def list_audit(
    *, session: AsyncSession, action: str | None = None, limit: int = 100
) -> list[AuditLog]:
    query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
    if action is not None:
        query = query.where(col(AuditLog.action) == action)
    return list((await session.scalars(query)).all())
