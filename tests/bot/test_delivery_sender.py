"""The sender against a fake Bot API: what each answer of Telegram makes of a row, rendering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.budget import Lane
from services.deliveries import templates
from services.deliveries.model import (
    DocumentContent,
    PhotoContent,
    TemplateContent,
    TextContent,
)
from storage.delivery_models import RecipientState
from tests.bot.delivery_kit import (
    START,
    Clock,
    FaultySession,
    add_people,
    make_sender,
    queue_notice,
    rows_of,
    state_of,
)

pytestmark = pytest.mark.usefixtures("engine")


async def test_sent_to_everyone_in_the_delivery_lane_then_done(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, "zh", "zh")
    delivery = await queue_notice(session, people)
    seen: list[tuple[str, str]] = []

    async def during(_method: TelegramMethod[Any]) -> None:
        async with app.sessionmaker() as own:
            rows = await rows_of(own, delivery)
            seen.append((await state_of(own, delivery), str(rows[0].state)))

    api.during = during
    assert await state_of(session, delivery) == "scheduled"
    assert await make_sender(app, api, clock).run_once() == 2
    assert seen[0] == ("sending", "sending")
    assert api.texts(500) == api.texts(501) == ["明天上午九时开会"]
    assert api.lanes == [Lane.delivery, Lane.delivery]
    rows = await rows_of(session, delivery)
    assert [(r.state, r.parts_sent, r.sent_at, r.lease_until) for r in rows] == [
        (RecipientState.sent, 1, START, None)
    ] * 2
    assert await state_of(session, delivery) == "done"


async def test_a_long_text_goes_in_parts_and_its_entities_as_html(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None)
    body = "第一段<注意>。" + "代表" * 1900 + "。\n\n" + "结束" * 1500
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    delivery = await queue_notice(session, people, TextContent(text=body, entities=entities))
    sender = make_sender(app, api, clock)
    await sender.run_once()
    texts = api.texts(500)
    assert len(texts) == 2
    assert texts[0] == "<b>第一段</b>&lt;注意&gt;。" + "代表" * 1900 + "。"
    assert texts[1] == "结束" * 1500
    assert (await rows_of(session, delivery))[0].parts_sent == 2


async def test_a_retry_resumes_after_the_parts_already_accepted(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None)
    delivery = await queue_notice(
        session, people, TextContent(text="甲" * 4000 + "\n\n" + "乙" * 100)
    )
    sender = make_sender(app, api, clock, delivery_retry_base_seconds=5)

    async def fail_second(method: TelegramMethod[Any]) -> None:
        if isinstance(method, SendMessage) and str(method.text).startswith("乙"):
            api.faults[500].append("500")
            api.during = None

    api.during = fail_second
    await sender.run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.parts_sent, row.attempts) == (RecipientState.queued, 1, 1)
    clock.advance(seconds=5)
    await sender.run_once()
    assert [str(m.text)[0] for m in api.tried if isinstance(m, SendMessage)] == ["甲", "乙", "乙"]
    assert [t[0] for t in api.texts(500)] == ["甲", "乙"]
    assert (await rows_of(session, delivery))[0].state == RecipientState.sent


async def test_blocked_means_unreachable_with_the_reason_and_the_person_flagged(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None, None)
    delivery = await queue_notice(session, people)
    api.faults[501] = ["403"]
    await make_sender(app, api, clock).run_once()
    rows = await rows_of(session, delivery)
    assert [r.state for r in rows] == [RecipientState.sent, RecipientState.unreachable]
    assert rows[1].error == "Forbidden: bot was blocked by the user"
    await session.refresh(people[1])
    await session.refresh(people[0])
    assert (people[0].unreachable, people[1].unreachable) == (False, True)
    assert await state_of(session, delivery) == "done"


async def test_a_bad_request_fails_at_once_with_telegrams_description(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None))
    api.faults[500] = ["400"]
    await make_sender(app, api, clock).run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.error, row.attempts) == (
        RecipientState.failed,
        "Bad Request: chat not found",
        0,
    )


async def test_server_errors_and_timeouts_back_off_then_fail_after_the_limit(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None))
    api.faults[500] = ["500", "timeout", "500"]
    sender = make_sender(app, api, clock, delivery_max_attempts=3, delivery_retry_base_seconds=5)
    await sender.run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.attempts, row.next_try_at) == (
        RecipientState.queued,
        1,
        START.replace(second=5),
    )
    clock.advance(seconds=4)
    assert await sender.run_once() == 0  # not due yet
    clock.advance(seconds=1)
    await sender.run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.attempts, row.next_try_at) == (2, clock.now.replace(second=15))
    assert row.error == "TelegramNetworkError: HTTP Client says - Request timeout error"
    clock.advance(seconds=10)
    await sender.run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.attempts) == (RecipientState.failed, 3)
    assert row.error == "TelegramServerError: Telegram server says - Internal Server Error"
    assert len(api.tried) == 3
    assert api.requests == []
    assert await state_of(session, delivery) == "done"


async def test_flood_control_left_over_is_waited_out_not_counted(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None))
    api.faults[500] = ["429"]
    sender = make_sender(app, api, clock)
    await sender.run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.attempts, row.next_try_at) == (
        RecipientState.queued,
        0,
        START.replace(second=7),
    )
    clock.advance(seconds=7)
    await sender.run_once()
    assert (await rows_of(session, delivery))[0].state == RecipientState.sent


def _expired(params: Mapping[str, Any], recipient: templates.Recipient) -> templates.Rendered:
    text = _("This button has expired. Please start again.")
    button = templates.Button(text=f"{params['label']} {recipient.locale}", callback_data="x:1")
    return templates.Rendered(text=text, buttons=((button,),))


@pytest.fixture
def expired_template() -> Any:
    templates.register("test:expired", _expired)
    yield
    templates.unregister("test:expired")


@pytest.mark.usefixtures("expired_template")
async def test_one_template_rendered_in_each_recipients_language(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, "zh", "en", None)
    content = TemplateContent("test:expired", {"label": "OK"})
    await queue_notice(session, people, content)
    await make_sender(app, api, clock).run_once()
    assert api.texts(500) == ["该按钮已失效，请重新开始。"]
    assert api.texts(501) == ["This button has expired. Please start again."]
    assert api.texts(502) == ["该按钮已失效，请重新开始。"]  # the deployment's language
    markup = api.sent(501)[0].reply_markup  # type: ignore[attr-defined]
    assert markup.inline_keyboard[0][0].text == "OK en"


async def test_an_unknown_template_fails_the_row(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None), TemplateContent("gone"))
    await make_sender(app, api, clock).run_once()
    row = (await rows_of(session, delivery))[0]
    assert (row.state, row.error) == (RecipientState.failed, "render: no template 'gone'")
    assert api.requests == []


async def test_photos_and_documents_by_file_id_with_paid_broadcast(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None)
    photo = PhotoContent("photo-file", caption="现场", caption_entities=[])
    await queue_notice(session, people, photo, key="p")
    await queue_notice(session, people, DocumentContent("doc-file", caption=None), key="d")
    await make_sender(app, api, clock, delivery_paid_broadcast=True).run_once()
    sent = api.sent(500)
    assert isinstance(sent[0], SendPhoto)
    assert isinstance(sent[1], SendDocument)
    assert (sent[0].photo, sent[0].caption, sent[0].allow_paid_broadcast) == (
        "photo-file",
        "现场",
        True,
    )
    assert (sent[1].document, sent[1].caption, sent[1].allow_paid_broadcast) == (
        "doc-file",
        None,
        True,
    )


async def test_someone_who_blocked_the_bot_since_is_skipped_not_called(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None, None)
    delivery = await queue_notice(session, people)
    people[0].unreachable = True  # blocked the bot while answering something else
    session.add(people[0])
    await session.commit()
    await make_sender(app, api, clock).run_once()
    rows = await rows_of(session, delivery)
    assert [(r.state, r.error) for r in rows] == [
        (RecipientState.unreachable, "unreachable before sending"),
        (RecipientState.sent, None),
    ]
    assert api.sent(500) == []
