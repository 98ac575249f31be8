"""Who one can be in the demo, and finding them by what an operator types."""

from __future__ import annotations

from dataclasses import dataclass

from bot.demo.width import pad, width

# Telegram ids for the people the seed leaves unlinked, next to the seeded accounts' 910001….
UNLINKED_IDS = (910_021, 910_022)
STRANGER_NAME = "访客"
STRANGER_ID = 910_099


@dataclass(frozen=True)
class DemoUser:
    name: str
    telegram_id: int
    role: str  # as the operator reads it, Chinese then English
    code: str | None = None  # the invitation code of someone not yet linked


def find_user(cast: list[DemoUser], wanted: str) -> DemoUser:
    """By name, by number in the `:users` list, by Telegram id, or by a unique part of a name
    or role (`:as admin`)."""
    wanted = wanted.strip().removeprefix("@")
    for user in cast:
        if wanted in (user.name, str(user.telegram_id)):
            return user
    if wanted.isdigit() and 1 <= int(wanted) <= len(cast):
        return cast[int(wanted) - 1]
    matches = [u for u in cast if wanted and wanted.lower() in f"{u.name} {u.role}".lower()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = "、".join(user.name for user in matches)
        raise LookupError(f"{wanted!r} could mean {names}")
    raise LookupError(f"no demo user {wanted!r}; :users lists them")


def cast_table(cast: list[DemoUser], current: DemoUser | None) -> list[str]:
    name_width = max(width(user.name) for user in cast)
    lines = []
    for number, user in enumerate(cast, 1):
        mark = "›" if user == current else " "
        code = f"  邀请码 code {user.code}" if user.code else ""
        name = pad(user.name, name_width)
        lines.append(f"{mark}{number:>3}  {name}  {user.telegram_id}  {user.role}{code}")
    return lines
