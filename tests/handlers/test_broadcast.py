"""/broadcast through the real Dispatcher: content kept as sent, the audience within scope, the
preview and count, send now or later, one broadcast per confirm, and what representatives get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.methods import SendDocument, SendMessage, SendPhoto
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.audience_keyboard import BROADCAST_FLOW, AudiencePick, Press
from services.permissions import Role, commands_for
from storage.delivery_models import ContentKind
from tests.bot.delivery_kit import Clock, FaultySession
from tests.factories import make_file, make_message, make_sticker, make_user
from tests.handlers.broadcast_kit import (
    INSIDE_CHATS,
    OUTSIDE_CHAT,
    REP,
    broadcasts,
    deliveries,
    drain,
    make_reporter,
    make_sender,
    markup_of,
    message_update,
    recipients,
    seed,
    staff_user,
)
from tests.harness import Harness

BOLD = [{"type": "bold", "offset": 0, "length": 4}, {"type": "italic", "offset": 5, "length": 2}]


async def start(tg: Harness, content: object = None) -> None:
    staff = staff_user()
    prompt = await tg.send(staff, "/broadcast")
    assert "Send the message to broadcast" in prompt
    if content is None:
        content = message_update(staff, text="明天开会 请到", entities=BOLD)
    await tg.feed(content)  # type: ignore[arg-type]


async def choose_everyone_and_preview(tg: Harness) -> None:
    staff = staff_user()
    await tg.press_label(staff, "Everyone in my scope")
    chooser = tg.api.last_text(staff.id)
    assert "Chosen: 3 people will receive it." in chooser
    assert "1 more have no Telegram account" in chooser
    await tg.press_label(staff, "Continue")
    assert "Send it to 3 people?" in tg.api.last_text(staff.id)


async def test_a_formatted_text_is_stored_with_its_entities_and_sent_as_it_was(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    await start(tg)
    await choose_everyone_and_preview(tg)
    preview = tg.api.texts(staff_user().id)[-2]
    assert preview == "<b>明天开会</b> <i>请到</i>"
    await tg.press_label(staff_user(), "Send now")
    assert "Broadcast #1 is on its way" in tg.api.last_text(staff_user().id)

    (delivery,) = await deliveries(session)
    assert delivery.kind == ContentKind.text
    assert delivery.text == "明天开会 请到"
    assert [e["type"] for e in delivery.entities] == ["bold", "italic"]
    assert delivery.dedupe_key.startswith("broadcast:")
    assert delivery.skipped == 1  # 赵六 has no Telegram account
    (broadcast,) = await broadcasts(session)
    assert broadcast.delivery_id == delivery.id
    assert broadcast.chat_id == staff_user().id

    api = FaultySession()
    await drain(make_sender(tg.app, api))
    got = {r.chat_id: r.text for r in api.requests if isinstance(r, SendMessage)}
    assert got == dict.fromkeys(INSIDE_CHATS, "<b>明天开会</b> <i>请到</i>")


async def test_a_photo_and_a_document_go_by_file_id_with_their_captions(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    staff = staff_user()
    sizes = [
        {"file_id": "small-photo", "file_unique_id": "s", "width": 90, "height": 60},
        {"file_id": "big-photo", "file_unique_id": "b", "width": 1280, "height": 853},
    ]
    photo = message_update(
        staff,
        photo=sizes,
        caption="通知 附图",
        caption_entities=[{"type": "bold", "offset": 0, "length": 2}],
    )
    await start(tg, photo)
    await choose_everyone_and_preview(tg)
    previews = [r for r in tg.api.sent(staff.id) if isinstance(r, SendPhoto)]
    assert previews[-1].photo == "big-photo"
    assert previews[-1].caption == "<b>通知</b> 附图"
    await tg.press_label(staff, "Send now")

    await start(tg, make_file(user=staff, file_id="minutes-doc", file_name="纪要.pdf"))
    await choose_everyone_and_preview(tg)
    await tg.press_label(staff, "Send now")

    photo_delivery, document_delivery = await deliveries(session)
    assert photo_delivery.kind == ContentKind.photo
    assert photo_delivery.file_id == "big-photo"
    assert photo_delivery.text == "通知 附图"
    assert photo_delivery.entities[0]["type"] == "bold"
    assert document_delivery.kind == ContentKind.document
    assert document_delivery.file_id == "minutes-doc"
    assert document_delivery.text is None

    api = FaultySession()
    await drain(make_sender(tg.app, api))
    photos = [r for r in api.requests if isinstance(r, SendPhoto)]
    documents = [r for r in api.requests if isinstance(r, SendDocument)]
    assert {r.chat_id for r in photos} == set(INSIDE_CHATS)
    assert {r.photo for r in photos} == {"big-photo"}
    assert {r.caption for r in photos} == {"<b>通知</b> 附图"}
    assert {r.document for r in documents} == {"minutes-doc"}


async def test_a_sticker_is_no_content_and_nothing_moves_on(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    staff = staff_user()
    await start(tg, make_sticker(user=staff))
    assert "This cannot be broadcast" in tg.api.last_text(staff.id)
    # Still waiting for the message: a text now is taken.
    await tg.feed(message_update(staff, text="正式通知"))
    assert "Who should receive it?" in tg.api.last_text(staff.id)
    assert await deliveries(session) == []


async def test_the_audience_stays_within_scope_and_a_forged_id_changes_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed(session)
    staff = staff_user()
    await start(tg)
    chooser = tg.api.sent(staff.id)[-1]
    labels = [b.text for row in markup_of(chooser).inline_keyboard for b in row]
    assert "Delegation: 驻洛省十四届人大代表" in labels
    assert "Group: 第一小组" in labels
    assert "Station: 西工区代表联络站" in labels
    assert not any("郑州" in label or "外地" in label for label in labels)

    for forged in (
        AudiencePick(flow=BROADCAST_FLOW, press=Press.delegation, item=ids["outside"]),
        AudiencePick(flow=BROADCAST_FLOW, press=Press.group, item=ids["far_group"]),
    ):
        await tg.press(staff, forged)
        assert tg.api.alerts()[-1] == "That choice is not available to you. Nothing was changed."
    await tg.press_label(staff, "Continue")
    assert tg.api.alerts()[-1].startswith("Choose who should receive it first")

    # The station also serves 外人 of the other delegation: only 王建国 is reached.
    await tg.press(
        staff, AudiencePick(flow=BROADCAST_FLOW, press=Press.station, item=ids["station"])
    )
    assert "Chosen: 1 people will receive it." in tg.api.last_text(staff.id)
    await tg.press_label(staff, "Continue")
    await tg.press_label(staff, "Send now")
    (delivery,) = await deliveries(session)
    assert await recipients(session, delivery) == {INSIDE_CHATS[0]: "queued"}
    assert OUTSIDE_CHAT not in await recipients(session, delivery)


async def test_an_audience_of_nobody_is_refused(tg: Harness, session: AsyncSession) -> None:
    ids = await seed(session)
    staff = staff_user()
    await start(tg)
    await tg.press(
        staff, AudiencePick(flow=BROADCAST_FLOW, press=Press.group, item=ids["empty_group"])
    )
    text = tg.api.last_text(staff.id)
    assert "Chosen: 0 people will receive it." in text
    assert "1 more have no Telegram" in text
    await tg.press_label(staff, "Continue")
    assert tg.api.alerts()[-1].startswith("Nobody in this audience can receive messages")
    assert await deliveries(session) == []


async def test_representatives_neither_see_nor_use_broadcast(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    rep = make_user(REP, language_code="en")
    answer = await tg.send(rep, "/broadcast")
    # On the roster without a chosen language: the deployment's, Chinese.
    assert answer == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    await tg.feed(message_update(rep, text="大家好"))
    assert await deliveries(session) == []
    rep_menu = [name for name, _ in commands_for(frozenset({Role.representative}))]
    staff_menu = [name for name, _ in commands_for(frozenset({Role.staff}))]
    assert "broadcast" not in rep_menu
    assert "broadcast" in staff_menu


async def test_a_double_tap_on_send_now_sends_once(tg: Harness, session: AsyncSession) -> None:
    await seed(session)
    staff = staff_user()
    await start(tg)
    await choose_everyone_and_preview(tg)
    card = tg.api.sent(staff.id)[-1]
    data = markup_of(card).inline_keyboard[0][0].callback_data
    assert data is not None
    await tg.press(staff, data)
    await tg.press(staff, data)
    assert tg.api.alerts()[-1] == "This button has already been used."
    assert len(await deliveries(session)) == 1
    assert len(await broadcasts(session)) == 1
    api = FaultySession()
    await drain(make_sender(tg.app, api))
    assert sorted(r.chat_id for r in api.requests if isinstance(r, SendMessage)) == sorted(
        INSIDE_CHATS
    )


async def test_a_scheduled_broadcast_waits_for_its_time_even_across_a_restart(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    staff = staff_user()
    await start(tg)
    await choose_everyone_and_preview(tg)
    await tg.press_label(staff, "Send later…")
    assert "Send the time as" in tg.api.last_text(staff.id)
    tz = ZoneInfo("Asia/Shanghai")
    past = (datetime.now(tz) - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    assert "already passed" in await tg.send(staff, past)
    assert "Send the time as" in await tg.send(staff, "soon")
    tomorrow = (datetime.now(tz) + timedelta(days=1)).date()
    question = await tg.send(staff, "明天 9:30")
    assert "Send it to 3 people at" in question
    await tg.press_label(staff, "Confirm")
    assert "will start at" in tg.api.last_text(staff.id)

    (delivery,) = await deliveries(session)
    expected = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 30, tzinfo=tz)
    assert delivery.not_before == expected.astimezone(UTC)
    api = FaultySession()
    await drain(make_sender(tg.app, api))
    assert api.requests == []
    # Another sender, as after a restart, once the time has come.
    await drain(make_sender(tg.app, api, Clock(expected.astimezone(UTC) + timedelta(seconds=1))))
    assert {r.chat_id for r in api.requests if isinstance(r, SendMessage)} == set(INSIDE_CHATS)


async def test_chinese_staff_see_the_dialog_in_chinese(tg: Harness, session: AsyncSession) -> None:
    await seed(session)
    staff = staff_user("zh")
    assert "请发送要群发的消息" in await tg.send(staff, "/broadcast")
    await tg.feed(make_message("通知", user=staff))
    assert "发送给谁" in tg.api.last_text(staff.id)
    await tg.press_label(staff, "我负责范围内的全部代表")
    assert "已选择：3 人将收到。" in tg.api.last_text(staff.id)
    await tg.press(staff, AudiencePick(flow=BROADCAST_FLOW, press=Press.done))
    assert "发送给 3 人吗" in tg.api.last_text(staff.id)
    await tg.press_label(staff, "立即发送")
    assert "群发 #1 正在发送" in tg.api.last_text(staff.id)
    # Staff off the roster have no stored language: the progress keeps the one they used.
    await make_reporter(tg.app, Clock(datetime.now(UTC))).run_once()
    assert "<b>群发 #1</b> · 待发送" in tg.api.last_text(staff.id)
