"""/me: one's own profile and mandates."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.lang import LANGUAGE_NAMES
from services.actors import Actor
from services.labels import LEVEL_LABELS, ROLE_LABELS
from services.people import MandateDetail, delegation_names, get_person, mandate_details
from services.permissions import Role
from services.text import esc


async def cmd_me(message: Message, session: AsyncSession, actor: Actor) -> None:
    roles = _(", ").join(_(ROLE_LABELS[role]) for role in Role if role in actor.roles)
    lines = [
        _("Roles: {roles}").format(roles=roles),
        _("Language: {language}").format(language=LANGUAGE_NAMES[actor.locale]),
    ]
    if actor.is_staff:
        lines.append(await _scope_line(session, actor))
    person = None
    if actor.person_id is not None:
        person = await get_person(session=session, person_id=actor.person_id)
    if person is not None and actor.person_id is not None:
        lines.insert(0, f"<b>{esc(person.name)}</b>")
        if person.phone:
            lines.append(_("Phone: {phone}").format(phone=esc(person.phone)))
        details = await mandate_details(session=session, person_id=actor.person_id)
        lines += ["• " + _mandate_line(detail) for detail in details]
    await message.answer("\n".join(lines))


async def _scope_line(session: AsyncSession, actor: Actor) -> str:
    if actor.scope is None:
        return _("Delegations you look after: all")
    names = await delegation_names(session=session, delegation_ids=actor.scope)
    listed = _(", ").join(esc(name) for name in names) if names else _("none yet")
    return _("Delegations you look after: {delegations}").format(delegations=listed)


def _mandate_line(detail: MandateDetail) -> str:
    mandate = detail.mandate
    line = _("Term {term}, {level}: {delegation}").format(
        term=mandate.term_number,
        level=_(LEVEL_LABELS[mandate.level]),
        delegation=esc(detail.delegation),
    )
    if detail.group:
        leader = _(" (group leader)") if mandate.is_group_leader else ""
        line += "\n  " + _("Group: {group}").format(group=esc(detail.group)) + leader
    if detail.station:
        line += "\n  " + _("Station: {station}").format(station=esc(detail.station))
    return line


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_me, Command("me"))
    return router
