"""Every handler has a permission entry, and every role gets exactly what the table says."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any, get_args

import pytest
from aiogram import Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

import handlers
from bot.app import App
from handlers.permission import PermissionMiddleware, permission_key, rule_for
from services.permissions import ACTIONS, CALLBACKS, COMMANDS, Role, is_allowed
from tests.conftest import ADMIN_ID
from tests.factories import make_message, make_user
from tests.handlers.roles import seed_roles
from tests.harness import Harness

ROLE_REFUSAL = "This is not available for your role."
REFUSALS = (ROLE_REFUSAL, "您的角色无法使用此功能。")
EXPIRED = ("This button has expired. Please start again.", "该按钮已失效，请重新开始。")
STRANGER_LINES = ("ask your liaison office for an invitation", "索取邀请链接或邀请码")


def refused(text: str, *, stranger: bool) -> bool:
    return any(r in text for r in REFUSALS) or (stranger and any(s in text for s in STRANGER_LINES))


def all_handlers(router: Router) -> Iterator[HandlerObject]:
    for observer in (router.message, router.callback_query):
        yield from observer.handlers
    for child in router.sub_routers:
        yield from all_handlers(child)


def callback_classes() -> list[type[CallbackData]]:
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("handlers"):
            found.append(cls)
    return found


def worst_case(cls: type[CallbackData]) -> CallbackData:
    """The longest packing a factory can produce: every field at its widest value."""
    values: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        kinds = [
            k for k in (get_args(field.annotation) or (field.annotation,)) if k is not type(None)
        ]
        kind = kinds[0]
        if kind is bool:
            values[name] = True
        elif isinstance(kind, type) and issubclass(kind, Enum):
            values[name] = max(kind, key=lambda member: len(str(member.value)))
        elif kind is int:
            low = next((m.ge for m in field.metadata if hasattr(m, "ge")), -(2**63))
            high = next((m.le for m in field.metadata if hasattr(m, "le")), 2**63 - 1)
            values[name] = max(low, high, key=lambda v: len(str(v)))
        else:
            pytest.fail(f"{cls.__name__}.{name} is {kind}: buttons carry integer ids only")
    return cls(**values)


def test_every_handler_has_a_permission_entry(app: App) -> None:
    keys = set()
    for handler in all_handlers(app.dispatcher):
        key = permission_key(handler)
        assert rule_for(key) is not None, f"{handler.callback.__qualname__} has no entry ({key})"
        keys.add(key)
    declared = (
        {("command", name) for name in COMMANDS}
        | {("callback", prefix) for prefix in CALLBACKS}
        | {("action", name) for name in ACTIONS}
    )
    assert declared == keys, "the table and the handlers disagree"


def test_every_button_fits_telegrams_64_bytes() -> None:
    classes = callback_classes()
    assert classes, "no CallbackData classes found"
    for cls in classes:
        packed = worst_case(cls).pack()
        assert len(packed.encode()) <= 64, f"{cls.__name__} packs to {len(packed.encode())} bytes"
        assert cls.__prefix__ in CALLBACKS


@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_command_matrix(command: str, tg: Harness, session: AsyncSession) -> None:
    users = await seed_roles(session)
    for role, user in users.items():
        tg.api.clear()
        await tg.feed(make_message(f"/{command}", user=user))
        texts = tg.api.texts(user.id)
        was_refused = any(refused(t, stranger=role is Role.stranger) for t in texts)
        expected = is_allowed(COMMANDS[command], frozenset({role}))
        if expected and role is Role.stranger and command in {"start", "help"}:
            continue  # for strangers, /start and /help *are* the invitation line
        assert was_refused is not expected, f"/{command} for {role}: texts={texts}"


@pytest.mark.parametrize("cls", callback_classes(), ids=lambda c: c.__prefix__)
async def test_callback_matrix(cls: type[CallbackData], tg: Harness, session: AsyncSession) -> None:
    users = await seed_roles(session)
    for role, user in users.items():
        tg.api.clear()
        await tg.press(user, worst_case(cls))
        alerts = tg.api.alerts()
        was_refused = any(refused(a, stranger=True) for a in alerts)
        if is_allowed(CALLBACKS[cls.__prefix__], frozenset({role})):
            assert not was_refused, (role, alerts)
        else:
            # Refused, or (a button that only works mid-dialog) answered as expired: never run.
            assert was_refused or (len(alerts) == 1 and alerts[0] in EXPIRED), (role, alerts)


def test_get_routers_can_build_a_second_dispatcher() -> None:
    first, second = handlers.get_routers(), handlers.get_routers()
    assert [r.name for r in first] == [r.name for r in second]


async def test_a_handler_missing_from_the_table_is_refused_even_to_admins(tg: Harness) -> None:
    reached: list[int] = []
    router = Router(name="unlisted")
    router.message.middleware(PermissionMiddleware())

    @router.message(Command("unlisted"))
    async def cmd_unlisted(message: Message) -> None:
        reached.append(message.message_id)

    dispatcher = tg.app.dispatcher
    dispatcher.include_router(router)
    dispatcher.sub_routers.insert(0, dispatcher.sub_routers.pop())  # before the catch-all
    answer = await tg.send(make_user(ADMIN_ID, language_code="en"), "/unlisted")
    assert ROLE_REFUSAL in answer
    assert reached == []
