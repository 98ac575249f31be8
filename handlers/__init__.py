"""One Router per feature. get_routers() returns them in the order they must be tried."""

from __future__ import annotations

from aiogram import F, Router

from handlers import (
    errors,
    fallback,
    invites,
    lang,
    membership,
    onboarding,
    profile,
    roster_upload,
    start,
)
from handlers.permission import PermissionMiddleware

FEATURES: tuple[Router, ...] = (
    onboarding.router,  # before start: `/start <token>` is an invitation
    start.router,
    lang.router,
    profile.router,
    invites.router,
    roster_upload.router,
)

for _router in (*FEATURES, fallback.router):
    _router.message.middleware(PermissionMiddleware())
    _router.callback_query.middleware(PermissionMiddleware())


def get_routers() -> list[Router]:
    # The bot talks to people one to one; group chats get nothing for now.
    private = Router(name="private")
    private.message.filter(F.chat.type == "private")
    for router in (*FEATURES, fallback.router, errors.router, membership.router):
        # Routers are module singletons; a second Dispatcher (tests, a second bot) re-attaches them.
        router._parent_router = None
    private.include_routers(*FEATURES, fallback.router)
    return [errors.router, membership.router, private]
