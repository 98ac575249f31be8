"""/reminders: a representative's own reminder settings, through the real Dispatcher."""

from __future__ import annotations

from datetime import date, time, timedelta

from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.reminders_render import RemAction, RemCallback
from services import clock
from services.config import Settings
from services.dates import local_today
from services.permissions import Role
from services.scheduling.preferences import PersonReminders, ReminderKind, reminder_settings_for
from services.scheduling.quiet import QuietHours
from tests.factories import add_delegation, add_representative, make_user
from tests.handlers.roles import seed_roles
from tests.harness import Harness

REP, OTHER = 7401, 7402


async def _reps(session: AsyncSession, language: str | None = None) -> tuple[int, int]:
    delegation = await add_delegation(session)
    mine = await add_representative(
        session, telegram_id=REP, delegation=delegation, language=language
    )
    other = await add_representative(
        session, telegram_id=OTHER, delegation=delegation, name="李红梅"
    )
    ids = (mine.id, other.id)
    await session.commit()
    assert ids[0] is not None
    assert ids[1] is not None
    return ids[0], ids[1]


async def _settings_of(
    session: AsyncSession, person_id: int, settings: Settings
) -> PersonReminders:
    session.expire_all()
    found = await reminder_settings_for(session=session, person_ids=[person_id], settings=settings)
    return found[person_id]


def _labels(markup: object) -> list[str]:
    assert isinstance(markup, InlineKeyboardMarkup)
    return [button.text for row in markup.inline_keyboard for button in row]


async def test_the_card_in_chinese_and_a_toggle_edits_it(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    mine, other = await _reps(session)
    user = make_user(REP)
    text = await tg.send(user, "/reminders")
    assert "✅ 值班前一晚 — 19:00" in text
    assert "⬜ 每周摘要 — 08:00" in text
    assert "免打扰时段：22:00–07:30" in text
    sent = tg.api.sent(REP)[-1]
    assert isinstance(sent, SendMessage)
    assert "✅ 值班当天早上" in _labels(sent.reply_markup)
    await tg.press_label(user, "✅ 值班前一晚")
    edited = tg.api.sent(REP)[-1]
    assert isinstance(edited, EditMessageText)
    assert "⬜ 值班前一晚 — 19:00" in str(edited.text)
    assert "⬜ 值班前一晚" in _labels(edited.reply_markup)
    choices = await _settings_of(session, mine, settings)
    assert not choices.kinds[ReminderKind.duty_evening].on
    assert choices.kinds[ReminderKind.duty_morning].on
    # Someone else's settings are untouched.
    assert (await _settings_of(session, other, settings)).kinds[ReminderKind.duty_evening].on


async def test_change_a_time_quiet_hours_in_english(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    mine, _ = await _reps(session, "en")
    user = make_user(REP, language_code="en")
    await tg.send(user, "/reminders")
    await tg.press_label(user, "🕒 Change a time")
    assert tg.api.last_text(REP) == "Which reminder's time?"
    await tg.press_label(user, "After duty: log the reception")
    assert "like 19:30" in tg.api.last_text(REP)
    assert await tg.send(user, "25:00") == "I could not read that time. Send it like 19:30."
    texts = tg.api.texts(REP)
    await tg.send(user, "17：45")
    assert "Saved." in tg.api.texts(REP)[len(texts) :]
    assert "After duty: log the reception — 17:45" in tg.api.last_text(REP)
    await tg.press_label(user, "🌙 Quiet hours")
    assert (await tg.send(user, "nonsense")).startswith("I could not read those hours")
    assert "Quiet hours: 23:00–06:15" in await tg.send(user, "23:00-06:15")
    choices = await _settings_of(session, mine, settings)
    assert choices.kinds[ReminderKind.duty_after].at == time(17, 45)
    assert choices.quiet == QuietHours(time(23, 0), time(6, 15))


async def test_mute_and_unavailable_until_a_date_past_dates_refused(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    mine, _ = await _reps(session, "en")
    user = make_user(REP, language_code="en")
    today = local_today(clock.now(), settings.tz)
    await tg.send(user, "/reminders")
    await tg.press_label(user, "🔕 Mute until…")
    past = (today - timedelta(days=3)).isoformat()
    assert await tg.send(user, past) == (
        f"{past} has passed. Send a date from today on, like "
        f"{(today + timedelta(days=7)).isoformat()}."
    )
    ahead = today + timedelta(days=10)
    card = await tg.send(user, ahead.isoformat())
    assert "🔕 Muted until" in card
    await tg.press_label(user, "✈️ Unavailable until…")
    await tg.send(user, (today + timedelta(days=3)).isoformat())
    choices = await _settings_of(session, mine, settings)
    assert choices.muted_until == ahead
    assert choices.unavailable_until == today + timedelta(days=3)
    assert not choices.wants(ReminderKind.duty_morning, today + timedelta(days=5))
    assert choices.wants(ReminderKind.duty_morning, today + timedelta(days=11))
    await tg.press_label(user, "🔔 Unmute")
    await tg.press_label(user, "🏠 Available again")
    choices = await _settings_of(session, mine, settings)
    assert (choices.muted_until, choices.unavailable_until) == (None, None)
    assert "🔕 Mute until…" in _labels(tg.api.sent(REP)[-1].reply_markup)  # type: ignore[attr-defined]


async def test_forged_buttons_are_refused_and_change_nothing(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    mine, _ = await _reps(session)
    user = make_user(REP)
    for forged in (
        "rem:tog:nonsense",
        "rem:drop:duty_evening",
        RemCallback(action=RemAction.time_of, kind=ReminderKind.meeting),  # no time of its own
        RemCallback(action=RemAction.toggle),  # which one?
    ):
        await tg.press(user, forged)
        assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。", forged
    assert await _settings_of(session, mine, settings) == await _settings_of(
        session, mine, settings
    )
    assert all(
        c.on
        for k, c in (await _settings_of(session, mine, settings)).kinds.items()
        if k != ReminderKind.digest
    )


async def test_only_representatives(tg: Harness, session: AsyncSession) -> None:
    users = await seed_roles(session)
    assert "not available for your role" in await tg.send(users[Role.staff], "/reminders")
    assert "invitation" in await tg.send(users[Role.stranger], "/reminders")
    await tg.press(
        users[Role.staff], RemCallback(action=RemAction.toggle, kind=ReminderKind.digest)
    )
    assert "not available for your role" in tg.api.alerts()[-1]
    assert "我的提醒" in await tg.send(users[Role.representative], "/reminders")


def test_dates_without_a_year_are_the_next_such_day() -> None:
    from services.scheduling.inputs import parse_until

    assert parse_until("3月1日", today=date(2024, 3, 20)) == date(2025, 3, 1)
    assert parse_until("2024-03-20", today=date(2024, 3, 20)) == date(2024, 3, 20)
