"""Who is writing: roles, staff scope and language of a Telegram user, decided in one place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Locale, Settings
from services.errors import NotFound, PermissionDenied
from services.labels import is_zh
from services.permissions import Role
from storage.models import StaffRole
from storage.people import Identity, load_identity

SUPPORTED_LOCALES = tuple(locale.value for locale in Locale)


@dataclass(frozen=True)
class Actor:
    telegram_id: int
    roles: frozenset[Role]
    locale: str
    person_id: int | None = None
    name: str | None = None
    # None: every delegation. Otherwise the delegations a staff member may see.
    scope: frozenset[int] | None = frozenset()

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & {Role.staff, Role.admin})

    def sees_delegation(self, delegation_id: int) -> bool:
        return self.is_staff and (self.scope is None or delegation_id in self.scope)

    def ensure_scope(self, delegation_id: int) -> None:
        if not self.sees_delegation(delegation_id):
            raise PermissionDenied()

    def ensure_owner(self, owner_person_id: int | None) -> None:
        # "Not found" rather than "forbidden": do not confirm that someone else's record exists.
        if self.person_id is None or owner_person_id != self.person_id:
            raise NotFound()


def roles_of(identity: Identity, settings: Settings) -> frozenset[Role]:
    roles: set[Role] = set()
    if identity.mandates:
        roles.add(Role.representative)
    if any(m.is_group_leader for m in identity.mandates):
        roles.add(Role.group_leader)
    if identity.staff_role == StaffRole.staff:
        roles.add(Role.staff)
    if identity.staff_role == StaffRole.admin or identity.telegram_id in settings.admin_ids:
        roles.add(Role.admin)
    return frozenset(roles) or frozenset({Role.stranger})


def choose_locale(identity: Identity, language_code: str | None, settings: Settings) -> str:
    if identity.stored_language in SUPPORTED_LOCALES:
        return str(identity.stored_language)
    if is_zh(language_code or ""):
        return Locale.zh.value
    if identity.person is not None:
        return settings.default_locale.value
    return Locale.en.value


async def resolve_actor(
    *, session: AsyncSession, telegram_id: int, language_code: str | None, settings: Settings
) -> Actor:
    identity = await load_identity(session=session, telegram_id=telegram_id)
    return actor_for(identity, language_code=language_code, settings=settings)


def actor_for(identity: Identity, *, language_code: str | None, settings: Settings) -> Actor:
    """The actor of an identity already read (with the update's other reads, bot.middlewares)."""
    roles = roles_of(identity, settings)
    scope = None if Role.admin in roles else identity.staff_scope
    return Actor(
        telegram_id=identity.telegram_id,
        roles=roles,
        locale=choose_locale(identity, language_code, settings),
        person_id=identity.person.id if identity.person else None,
        name=identity.person.name if identity.person else None,
        scope=scope,
    )
