"""`bench activities`: /my on a large history, and saving from the confirm card, through the
real Dispatcher, one update at a time.

A fresh SQLite file gets the migrations, a roster of representatives and their activities
(bot.benchmarks.activities_seed); then each measured update is handed to the polling loop's
handler alone and timed to its end: the update's transaction, its held replies and their sending
to a null Bot API included. Each answer is checked (bot.benchmarks.activities_updates).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup, Update

from bot.app import App, build_app
from bot.benchmarks.activities_record import record_rows
from bot.benchmarks.activities_seed import Seeded, seed
from bot.benchmarks.activities_updates import CheckingSink, message_update, press_update
from bot.benchmarks.report import percentile, table
from bot.budget_rules import unpaced
from bot.polling import Poller
from handlers.history_keyboards import HistoryCallback
from services.activities.history import PAGE_SIZE
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today, quarter_of
from storage.migrate import upgrade

TARGET_P99_MS = 20.0
WARM_UP = 20


async def run_activities_bench(
    *,
    representatives: int,
    activities: int,
    samples: int,
    record_samples: int = 5,
    seed_number: int = 0,
) -> None:
    rng = random.Random(seed_number)  # noqa: S311 - a repeatable sample, not a secret
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = unpaced(Settings(_env_file=None, database_url=url))
        sink = CheckingSink()
        app = build_app(settings, bot_session=sink)
        try:
            now = utcnow()
            started = time.perf_counter()
            seeded = await seed(
                app.sessionmaker,
                representatives=representatives,
                activities=activities,
                today=local_today(now, settings.tz),
                now=now,
                rng=rng,
            )
            seconds = time.perf_counter() - started
            rows, wrong = await _measure(app, sink, seeded, samples, rng)
            checked = len(rows) * (WARM_UP + samples)
            documents, whose = await record_rows(
                app, rng.choice(seeded.representatives), record_samples
            )
        finally:
            await app.close()
    print(
        f"bench activities: seeded {len(seeded.representatives)} representatives and "
        f"{seeded.activities} activities in {seconds:.1f} s (sqlite); {samples} samples each, "
        f"{record_samples} of each yearly record file"
    )
    headers = ("measure", "samples", "p50_ms", "p99_ms", "target_p99_ms", "within")
    print(table(headers, rows + documents))
    print(f"answers checked {checked}  wrong {wrong}")
    print(whose)


@dataclass(frozen=True)
class Measure:
    label: str
    # Builds the update to time, doing any untimed preparation first.
    prepare: Callable[[], Awaitable[Update]]
    # Whether the chat got the answer it should.
    answered: Callable[[int], bool]


async def _measure(
    app: App, sink: CheckingSink, seeded: Seeded, samples: int, rng: random.Random
) -> tuple[list[list[object]], int]:
    """The rows of the table, and how many timed updates got a wrong answer."""
    poller = Poller(app.bot, app.dispatcher)
    rows, wrong = [], 0
    for measure in _measures(poller, sink, seeded, rng, app.settings.tz):
        latencies = []
        for number in range(WARM_UP + samples):
            update = await measure.prepare()
            chat_id = _chat_of(update)
            sink.begin(chat_id)
            started = time.perf_counter()
            await poller.handle_batch([update])
            elapsed = (time.perf_counter() - started) * 1000
            wrong += not measure.answered(chat_id)
            if number >= WARM_UP:
                latencies.append(elapsed)
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        within = "yes" if p99 <= TARGET_P99_MS else "no"
        rows.append([measure.label, samples, p50, p99, TARGET_P99_MS, within])
    if poller.escaped:
        raise RuntimeError(f"{poller.escaped} updates failed outside the error handler")
    return rows, wrong


def _measures(
    poller: Poller, sink: CheckingSink, seeded: Seeded, rng: random.Random, tz: ZoneInfo
) -> list[Measure]:
    people = seeded.representatives
    today = local_today(utcnow(), tz)
    year, quarter = quarter_of(today)
    # The quarter before this one: it has entries whatever day the bench runs on.
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    last_page = max(1, seeded.activities // len(people) // PAGE_SIZE) - 1

    async def first_page() -> Update:
        return message_update(rng.choice(people), "/my")

    async def filtered_page() -> Update:
        data = HistoryCallback(
            year=previous[0], quarter=previous[1], type_id=rng.choice(list(seeded.types)), page=0
        )
        return press_update(rng.choice(people), data.pack())

    async def oldest_page() -> Update:
        data = HistoryCallback(year=0, quarter=0, type_id=0, page=last_page)
        return press_update(rng.choice(people), data.pack())

    async def confirm_card() -> Update:
        """A quick entry brings up the card (untimed); the update timed is the press of Save."""
        rep = rng.choice(people)
        sink.begin(rep.telegram_id)
        await poller.handle_batch([message_update(rep, f"/log 视察 {today} 洛阳博物馆 文旅调研")])
        card = sink.sent(rep.telegram_id, "<b>")
        buttons = card.reply_markup if card is not None else None
        if not isinstance(buttons, InlineKeyboardMarkup):
            raise RuntimeError("the quick entry brought up no confirm card")
        save = [b.callback_data for row in buttons.inline_keyboard for b in row]
        return press_update(rep, next(d for d in save if d and d.endswith(":save")))

    return [
        Measure("/my first page", first_page, lambda chat: sink.sent(chat, "<b>") is not None),
        Measure("/my filtered page (quarter + type)", filtered_page, sink.edited),
        Measure("/my last page", oldest_page, sink.edited),
        Measure("save from confirm card", confirm_card, lambda c: sink.sent(c, "✅") is not None),
    ]


def _chat_of(update: Update) -> int:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None:
        return update.callback_query.from_user.id
    raise ValueError("the bench sends messages and button presses only")
