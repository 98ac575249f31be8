"""One Telegram user per role, on the roster as that role requires."""

from __future__ import annotations

from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncSession

from services.permissions import Role
from storage.models import Delegation
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff, make_user

ROLE_USER_IDS = {
    Role.stranger: 7001,
    Role.representative: 7002,
    Role.group_leader: 7003,
    Role.staff: 7004,
    Role.admin: ADMIN_ID,
}


async def seed_roles(session: AsyncSession) -> dict[Role, User]:
    delegation: Delegation = await add_delegation(session)
    await add_representative(
        session, telegram_id=ROLE_USER_IDS[Role.representative], delegation=delegation
    )
    await add_representative(
        session,
        telegram_id=ROLE_USER_IDS[Role.group_leader],
        delegation=delegation,
        name="组长",
        leader=True,
    )
    await add_staff(session, telegram_id=ROLE_USER_IDS[Role.staff], delegations=[delegation])
    await session.commit()
    return {role: make_user(uid, language_code="en") for role, uid in ROLE_USER_IDS.items()}
