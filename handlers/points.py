"""Admins: /points lists the activity types and their points; /points TYPE N changes one."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.points import list_types, set_points
from services.actors import Actor
from services.dates import normalize
from services.errors import BadInput
from services.i18n_marks import N_
from services.text import esc, split_text


async def cmd_points(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor
) -> None:
    words = normalize(command.args or "").split()
    if not words:
        await _list(message, session, actor)
        return
    if len(words) < 2 or not (words[-1].isascii() and words[-1].isdigit()):
        raise BadInput(
            N_("Send /points to list the types, or /points TYPE POINTS, e.g. /points 视察 4")
        )
    kind = await set_points(
        session=session,
        type_code_or_name=" ".join(words[:-1]),
        points=int(words[-1]),
        actor_telegram_id=actor.telegram_id,
    )
    await message.answer(
        _(
            "{type}: {points} points from now on. Activities already logged keep their points; "
            "to apply the new points to a year, run on the server: "
            "python -m bot activities rescore --year YEAR"
        ).format(type=esc(_name(kind.name_zh, kind.name_en, actor)), points=kind.points)
    )


async def _list(message: Message, session: AsyncSession, actor: Actor) -> None:
    lines = ["<b>" + _("Points per activity type") + "</b>"]
    for kind in await list_types(session=session):
        name = esc(_name(kind.name_zh, kind.name_en, actor))
        line = _("• {type} ({code}): {points}")
        lines.append(line.format(type=name, code=esc(kind.code), points=kind.points))
    lines.append(_("Change one with /points TYPE POINTS, e.g. /points 视察 4"))
    for part in split_text("\n".join(lines)):
        await message.answer(part)


def _name(name_zh: str, name_en: str, actor: Actor) -> str:
    return name_zh if actor.locale == "zh" else name_en


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_points, Command("points"))
    return router
