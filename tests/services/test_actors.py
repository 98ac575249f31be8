"""Roles, scope, ownership and language of whoever is writing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.actors import resolve_actor
from services.config import Settings
from services.errors import NotFound, PermissionDenied
from services.permissions import Role
from storage.models import StaffRole
from storage.people import set_language
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff


async def test_roles_scope_and_language(session: AsyncSession, settings: Settings) -> None:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    leader = await add_representative(session, telegram_id=1, delegation=luoyang, leader=True)
    await add_staff(session, telegram_id=2, delegations=[nanyang])
    await add_staff(session, telegram_id=3, delegations=[], role=StaffRole.admin)
    await session.commit()
    assert luoyang.id is not None
    assert nanyang.id is not None

    rep = await resolve_actor(session=session, telegram_id=1, language_code="en", settings=settings)
    assert rep.roles == {Role.representative, Role.group_leader}
    assert rep.locale == "zh"  # on the roster: the deployment's language until they choose
    assert rep.person_id == leader.id
    rep.ensure_owner(leader.id)
    with pytest.raises(NotFound):
        rep.ensure_owner(leader.id + 1)  # type: ignore[operator]
    with pytest.raises(PermissionDenied):
        rep.ensure_scope(luoyang.id)

    clerk = await resolve_actor(
        session=session, telegram_id=2, language_code="en", settings=settings
    )
    assert clerk.roles == {Role.staff}
    assert clerk.locale == "en"
    clerk.ensure_scope(nanyang.id)
    with pytest.raises(PermissionDenied):
        clerk.ensure_scope(luoyang.id)  # a 南阳 clerk does not see 洛阳
    with pytest.raises(NotFound):
        clerk.ensure_owner(leader.id)

    stored_admin = await resolve_actor(
        session=session, telegram_id=3, language_code="zh-hant", settings=settings
    )
    assert stored_admin.roles == {Role.admin}
    assert stored_admin.scope is None
    assert stored_admin.locale == "zh"
    stored_admin.ensure_scope(luoyang.id)

    configured = await resolve_actor(
        session=session, telegram_id=ADMIN_ID, language_code=None, settings=settings
    )
    assert configured.roles == {Role.admin}
    assert configured.locale == "en"

    stranger = await resolve_actor(
        session=session, telegram_id=99, language_code="zh", settings=settings
    )
    assert stranger.roles == {Role.stranger}
    assert stranger.locale == "zh"


async def test_who_is_writing_is_one_select(
    session: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    """Person, mandates, staff role and chat language in one statement; scope adds one."""
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    await add_representative(session, telegram_id=1, delegation=luoyang, leader=True)
    await add_staff(session, telegram_id=2, delegations=[luoyang])
    await add_staff(session, telegram_id=3, delegations=[], role=StaffRole.admin)
    await set_language(session=session, telegram_id=4, language="en")
    await session.commit()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        read: dict[int, int] = {}
        for telegram_id in (1, 2, 3, 4, 99):
            before = len(statements)
            actor = await resolve_actor(
                session=session, telegram_id=telegram_id, language_code=None, settings=settings
            )
            read[telegram_id] = len(statements) - before
            assert actor.telegram_id == telegram_id
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert read == {1: 1, 2: 2, 3: 2, 4: 1, 99: 1}
    stranger_with_language = await resolve_actor(
        session=session, telegram_id=4, language_code="zh", settings=settings
    )
    assert stranger_with_language.locale == "en"  # the stored choice, read in that one SELECT
