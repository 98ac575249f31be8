"""A broadcast's progress message: sent, edited at most every 5 s and only when it changed, from
the database (a new reporter carries on); its buttons checked per presser; the final report."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts import ProgressReporter
from handlers.broadcast_render import BroadcastControl
from services.broadcasts.access import Action
from storage.broadcasts import take_turn, unreported_broadcasts
from tests.bot.delivery_kit import Clock, FaultySession
from tests.factories import make_user
from tests.handlers.broadcast_kit import (
    INSIDE_CHATS,
    OTHER_STAFF,
    REP,
    STAFF,
    broadcasts,
    deliveries,
    drain,
    make_reporter,
    make_sender,
    markup_of,
    recipients,
    seed,
    staff_user,
)
from tests.handlers.test_broadcast import choose_everyone_and_preview, start
from tests.harness import Harness


async def broadcast_now(tg: Harness) -> None:
    await start(tg)
    await choose_everyone_and_preview(tg)
    await tg.press_label(staff_user(), "Send now")


def progress_requests(tg: Harness) -> list[SendMessage | EditMessageText]:
    return [
        r
        for r in tg.api.sent(STAFF)
        if isinstance(r, (SendMessage, EditMessageText)) and "Broadcast #1</b> ·" in str(r.text)
    ]


async def test_edited_at_most_every_five_seconds_then_the_final_report_names_failures(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    await broadcast_now(tg)
    clock = Clock(datetime.now(UTC))
    reporter = make_reporter(tg.app, clock)
    assert await reporter.run_once() == 1
    (first,) = progress_requests(tg)
    assert isinstance(first, SendMessage)
    assert "Sent: 0 · Failed: 0 · Unreachable: 0 · Left: 3" in str(first.text)
    labels = [b.text for row in markup_of(first).inline_keyboard for b in row]
    assert labels == ["Pause", "Cancel broadcast"]
    (broadcast,) = await broadcasts(session)
    assert broadcast.progress_message_id is not None

    # Nothing changed: no edit, however long it has been.
    clock.advance(seconds=30)
    assert await reporter.run_once() == 0

    api = FaultySession()
    api.faults[INSIDE_CHATS[1]] = ["400"]
    api.faults[INSIDE_CHATS[2]] = ["403"]
    sender = make_sender(tg.app, api, clock, delivery_batch=1)
    assert await sender.run_once() == 1
    assert await reporter.run_once() == 1
    sending = progress_requests(tg)[-1]
    assert isinstance(sending, EditMessageText)
    assert "· sending" in str(sending.text)
    assert "Sent: 1 · Failed: 0 · Unreachable: 0 · Left: 2" in str(sending.text)
    assert "Estimated finish:" in str(sending.text)
    # Changed again, but the last edit is not 5 s old.
    clock.advance(seconds=2)
    await drain(sender)
    assert await reporter.run_once() == 0
    assert len(progress_requests(tg)) == 2

    # A new reporter (as after a restart) edits the same message once 5 s have passed.
    clock.advance(seconds=4)
    assert await make_reporter(tg.app, clock).run_once() == 1
    *_, final_edit = [r for r in progress_requests(tg) if isinstance(r, EditMessageText)]
    assert final_edit.message_id == broadcast.progress_message_id
    assert "Broadcast #1</b> · done" in str(final_edit.text)
    assert "Sent: 1 · Failed: 1 · Unreachable: 1 · Left: 0" in str(final_edit.text)
    assert final_edit.reply_markup is None
    report = tg.api.last_text(STAFF)
    assert "Broadcast #1 is finished." in report
    assert "• 李&lt;b&gt;红&lt;/b&gt; — Bad Request: chat not found" in report
    assert "• 张伟 — has blocked the bot or deleted their account" in report
    assert "Without a Telegram account: 1" in report
    (broadcast,) = await broadcasts(session)
    assert broadcast.reported_at is not None
    clock.advance(seconds=60)
    before = len(tg.api.requests)
    assert await reporter.run_once() == 0
    assert len(tg.api.requests) == before


async def test_cancel_mid_way_after_a_confirmation_sends_no_more(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    await broadcast_now(tg)
    clock = Clock(datetime.now(UTC))
    api = FaultySession()
    sender = make_sender(tg.app, api, clock, delivery_batch=1)
    assert await sender.run_once() == 1
    reporter = make_reporter(tg.app, clock)
    await reporter.run_once()
    staff = staff_user()
    await tg.press_label(staff, "Cancel broadcast")
    question = tg.api.last_text(STAFF)
    assert "Cancel broadcast #1? The 2 messages not yet sent will not be sent" in question
    (delivery,) = await deliveries(session)
    assert sorted((await recipients(session, delivery)).values()) == ["queued", "queued", "sent"]
    await tg.press_label(staff, "Yes, cancel it")
    assert "Broadcast #1 is cancelled." in tg.api.last_text(STAFF)

    (delivery,) = await deliveries(session)
    assert delivery.state == "cancelled"
    states = sorted((await recipients(session, delivery)).values())
    assert states == ["cancelled", "cancelled", "sent"]
    await drain(sender)
    assert len([r for r in api.requests if isinstance(r, SendMessage)]) == 1

    clock.advance(seconds=6)
    await reporter.run_once()
    final = progress_requests(tg)[-1]
    assert isinstance(final, EditMessageText)
    assert "· cancelled" in str(final.text)
    assert final.reply_markup is None
    report = tg.api.last_text(STAFF)
    assert "Broadcast #1 was cancelled." in report
    assert "Not sent (cancelled): 2" in report


async def test_pause_and_resume_only_by_those_who_may(tg: Harness, session: AsyncSession) -> None:
    await seed(session)
    await broadcast_now(tg)
    (broadcast,) = await broadcasts(session)
    assert broadcast.id is not None
    pause = BroadcastControl(broadcast=broadcast.id, action=Action.pause)

    # Staff of another delegation, and a representative: refused, nothing changes.
    await tg.press(make_user(OTHER_STAFF, language_code="en"), pause)
    assert tg.api.alerts()[-1] == "That record does not exist or is not yours."
    await tg.press(make_user(REP, language_code="en"), pause)
    assert tg.api.alerts()[-1] == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    (delivery,) = await deliveries(session)
    assert delivery.state == "scheduled"

    clock = Clock(datetime.now(UTC))
    await tg.press(staff_user(), pause)
    assert tg.api.alerts()[-1].startswith("Paused.")
    api = FaultySession()
    await drain(make_sender(tg.app, api, clock))
    assert api.requests == []
    await make_reporter(tg.app, clock).run_once()
    assert "· paused" in str(progress_requests(tg)[-1].text)
    await tg.press_label(staff_user(), "Resume")
    assert tg.api.alerts()[-1].startswith("Resumed.")
    await drain(make_sender(tg.app, api, clock))
    assert {r.chat_id for r in api.requests if isinstance(r, SendMessage)} == set(INSIDE_CHATS)
    # Done: pausing now is refused with the reason.
    await tg.press(staff_user(), pause)
    assert "cannot be done now" in tg.api.alerts()[-1]


async def test_two_processes_never_both_update_one_progress_message(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    await broadcast_now(tg)
    clock = Clock(datetime.now(UTC))
    async with tg.app.sessionmaker() as reading:
        # What a second process read before the first one took its turn.
        (seen,) = await unreported_broadcasts(session=reading, limit=10)
    assert seen.id is not None
    async with tg.app.sessionmaker.begin() as first:
        assert await take_turn(session=first, broadcast_id=seen.id, seen_at=None, now=clock())
    async with tg.app.sessionmaker.begin() as second:
        assert not await take_turn(session=second, broadcast_id=seen.id, seen_at=None, now=clock())
    (taken,) = await broadcasts(session)
    async with tg.app.sessionmaker.begin() as later:
        clock.advance(seconds=5)
        assert await take_turn(
            session=later, broadcast_id=seen.id, seen_at=taken.progress_at, now=clock()
        )


async def test_a_progress_message_that_cannot_be_edited_is_replaced(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    await broadcast_now(tg)
    clock = Clock(datetime.now(UTC))
    api = FaultySession()
    reporter = ProgressReporter(
        Bot(tg.app.bot.token, session=api, default=tg.app.bot.default),
        tg.app.sessionmaker,
        tg.app.i18n,
        tg.app.settings,
        clock=clock,
    )
    await reporter.run_once()
    (broadcast,) = await broadcasts(session)
    first_id = broadcast.progress_message_id
    await drain(make_sender(tg.app, FaultySession(), clock))
    clock.advance(seconds=6)
    # Deleted by its reader, say: the edit is refused and a new message takes its place.
    api.faults[STAFF] = ["400"]
    assert await reporter.run_once() == 1
    (broadcast,) = await broadcasts(session)
    assert first_id is not None
    assert broadcast.progress_message_id not in (None, first_id)
    sent = [r for r in api.requests if isinstance(r, SendMessage)]
    assert "· done" in str(sent[-2].text)
    assert "Broadcast #1 is finished." in str(sent[-1].text)
