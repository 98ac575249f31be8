"""Constituents' concerns (社情民意): recording, the card and its states, lists, staff tools."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    concerns_card,
    concerns_changes,
    concerns_confirm,
    concerns_contact,
    concerns_flow,
    concerns_list,
    concerns_staff,
    concerns_start,
)


def build_router() -> Router:
    router = Router(name=__name__)
    # Order matters: each step's own answers before the sentence for a wrong kind of input.
    for part in (
        concerns_start,
        concerns_flow,
        concerns_confirm,
        concerns_contact,
        concerns_card,
        concerns_changes,
        concerns_list,
        concerns_staff,
    ):
        part.register(router)
    return router
