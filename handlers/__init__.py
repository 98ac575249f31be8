"""One Router per feature. get_routers() builds them, in the order they must be tried.

Each call builds new routers, so tests and a second bot can each have a Dispatcher of their own.
"""

from __future__ import annotations

from aiogram import F, Router

from handlers import (
    audience_keyboard,
    broadcast,
    bulletin_assembly,
    bulletin_publish,
    bulletins,
    cancel,
    concerns,
    duty,
    duty_log,
    errors,
    evaluation,
    fallback,
    history,
    invites,
    lang,
    log,
    meeting,
    meeting_card,
    meeting_change,
    meeting_reply,
    membership,
    merge,
    onboarding,
    pending,
    points,
    profile,
    record,
    reminders,
    report,
    roster_upload,
    score_post,
    staff_activities,
    start,
)
from handlers.bulletin_templates import register_templates
from handlers.permission import PermissionMiddleware

FEATURES = (
    onboarding,  # before start: `/start <token>` is an invitation
    start,
    cancel,  # before every flow: /cancel works in any step
    lang,
    profile,
    invites,
    pending,
    merge,
    reminders,  # before roster_upload: a date typed in /reminders is not a quick entry
    meeting,  # before roster_upload and log: answers typed in /meeting are its steps
    meeting_card,
    meeting_change,
    meeting_reply,  # four digits sent outside a dialog are a meeting check-in code
    evaluation,
    report,  # before log: a period typed after /report is not a quick entry
    score_post,  # before log: an intro line typed after "Edit the intro" is not a quick entry
    bulletin_assembly,  # before log: a piece's new text or the editor's note is not a quick entry
    log,  # before roster_upload: a document sent in the /log dialog is an attachment
    concerns,  # before roster_upload: a file sent mid-dialog is a wrong answer, not a roster
    bulletin_publish,  # before roster_upload: a file sent after /publish is the issue
    broadcast,  # before roster_upload: a document sent as the broadcast's message is its content
    audience_keyboard,
    roster_upload,
    points,
    record,
    history,
    staff_activities,
    bulletins,
    duty,
    duty_log,
)


def get_routers() -> list[Router]:
    # The delivery sender renders these for each recipient (bot.deliveries also calls it).
    register_templates()
    guarded = [feature.build_router() for feature in (*FEATURES, fallback)]
    for router in guarded:
        # Every message and button handler is checked against services.permissions before it runs.
        router.message.middleware(PermissionMiddleware())
        router.callback_query.middleware(PermissionMiddleware())
    # The bot talks to people one to one; group chats get nothing for now.
    private = Router(name="private")
    private.message.filter(F.chat.type == "private")
    private.include_routers(*guarded)
    return [errors.build_router(), membership.build_router(), private]
