from __future__ import annotations

from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat

from bot.app import App
from handlers.menu import set_chat_menu, set_default_menus
from services.actors import Actor
from services.permissions import Role
from tests.fakes import FakeSession


async def test_default_menus_in_each_language(app: App) -> None:
    await set_default_menus(app.bot, app.i18n)
    api = app.bot.session
    assert isinstance(api, FakeSession)
    calls = [r for r in api.requests if isinstance(r, SetMyCommands)]
    by_language = {c.language_code: [(b.command, b.description) for b in c.commands] for c in calls}
    assert by_language["zh"][0] == ("start", "开始使用，或接受邀请")
    assert by_language["en"][0] == ("start", "Start, or accept an invitation")
    assert by_language[None] == by_language["zh"]  # the deployment's default language
    assert [name for name, _ in by_language["en"]] == ["start", "help", "lang"]


async def test_chat_menu_follows_role_and_language(app: App) -> None:
    actor = Actor(telegram_id=77, roles=frozenset({Role.representative}), locale="en")
    await set_chat_menu(app.bot, app.i18n, actor)
    api = app.bot.session
    assert isinstance(api, FakeSession)
    call = api.requests[-1]
    assert isinstance(call, SetMyCommands)
    assert isinstance(call.scope, BotCommandScopeChat)
    assert call.scope.chat_id == 77
    assert ("help", "What I can do for you") in [(c.command, c.description) for c in call.commands]


async def test_staff_menu_lists_pending_in_their_language(app: App) -> None:
    api = app.bot.session
    assert isinstance(api, FakeSession)
    for roles, expected in (({Role.staff}, True), ({Role.representative}, False)):
        actor = Actor(telegram_id=78, roles=frozenset(roles), locale="zh")
        await set_chat_menu(app.bot, app.i18n, actor)
        call = api.requests[-1]
        assert isinstance(call, SetMyCommands)
        pairs = [(c.command, c.description) for c in call.commands]
        assert (("pending", "尚未绑定的人员及其邀请状态") in pairs) is expected
