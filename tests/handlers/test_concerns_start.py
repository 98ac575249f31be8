"""Starting a concern from a saved reception, changing fields from the card, cancel, restart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.app import build_app
from handlers.concerns_keyboards import ConcernFromReception, ConcernMandate
from services.config import Settings
from storage.duty_models import Concern
from tests.factories import add_delegation, add_reception, add_representative, make_user
from tests.fakes import FakeSession
from tests.handlers.test_concerns_flow import last_buttons
from tests.harness import Harness

REP, OTHER = 8201, 8202
NOT_FOUND = "该记录不存在，或不属于您。"


async def stored(session: AsyncSession) -> list[Concern]:
    session.expire_all()
    return list((await session.scalars(select(Concern).order_by(col(Concern.id)))).all())


async def test_a_reception_button_links_the_concern_to_it(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=REP, delegation=delegation)
    activity = await add_reception(session, person=person)
    activity_id = activity.id
    assert activity_id is not None
    await session.commit()
    user = make_user(REP)
    await tg.press(user, ConcernFromReception(activity_id=activity_id))
    assert tg.api.last_text(REP) == "这件民意属于哪个类别？"
    await tg.press_label(user, "医疗卫生")
    await tg.send(user, "社区卫生服务站缺少儿科医生")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "否")
    await tg.press_label(user, "保存")
    (concern,) = await stored(session)
    assert concern.activity_id == activity_id
    assert concern.category == "health_care"


async def test_another_persons_or_a_deleted_reception_is_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    owner = await add_representative(session, telegram_id=REP, delegation=delegation)
    await add_representative(session, telegram_id=OTHER, delegation=delegation, name="李红梅")
    theirs = await add_reception(session, person=owner)
    deleted = await add_reception(session, person=owner)
    deleted.deleted_at = datetime.now(UTC)
    ids = [theirs.id, deleted.id, 999_999]
    await session.commit()
    for activity_id in ids:
        assert activity_id is not None
        user = make_user(REP if activity_id == deleted.id else OTHER)
        await tg.press(user, ConcernFromReception(activity_id=activity_id))
        assert tg.api.alerts()[-1] == NOT_FOUND
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=OTHER, user_id=OTHER)
    assert await key.get_state() is None


async def test_a_forged_mandate_is_not_found(tg: Harness, session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=REP, delegation=delegation)
    other = await add_representative(session, telegram_id=OTHER, delegation=delegation)
    await session.commit()
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=REP, user_id=REP)
    await key.set_state("ConcernFlow:mandate")
    await tg.press(make_user(REP), ConcernMandate(mandate=other.id or 0))
    assert tg.api.alerts()[-1] == NOT_FOUND
    assert await key.get_state() == "ConcernFlow:mandate"


async def test_fields_change_from_the_confirm_card(tg: Harness, session: AsyncSession) -> None:
    await add_representative(session, telegram_id=REP, delegation=await add_delegation(session))
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "民生保障")
    await tg.send(user, "老旧小区加装电梯")
    await tg.send(user, "涧西区")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "是")
    await tg.send(user, "赵大爷")
    await tg.send(user, "13800000000")
    assert last_buttons(tg, REP) == [
        "修改类别",
        "修改内容",
        "修改地点",
        "修改照片",
        "修改同意及联系方式",
        "保存",
        "取消",
    ]
    await tg.press_label(user, "修改类别")
    await tg.press_label(user, "城乡建设")
    assert "类别：城乡建设" in tg.api.last_text(REP)
    await tg.press_label(user, "修改地点")
    await tg.press_label(user, "跳过")
    assert "地点：—" in tg.api.last_text(REP)
    await tg.press_label(user, "修改内容")
    card = await tg.send(user, "老旧小区加装电梯，需协调一楼住户")
    assert card.endswith("老旧小区加装电梯，需协调一楼住户")
    await tg.press_label(user, "修改同意及联系方式")
    await tg.press_label(user, "否")
    assert "群众同意登记联系方式：否（未保存联系方式）" in tg.api.last_text(REP)
    await tg.press_label(user, "保存")
    (concern,) = await stored(session)
    assert (concern.category, concern.place, concern.summary) == (
        "urban_construction",
        None,
        "老旧小区加装电梯，需协调一楼住户",
    )
    assert concern.consent is False
    assert concern.constituent_name is None
    assert concern.constituent_phone is None


async def test_cancel_saves_nothing(tg: Harness, session: AsyncSession) -> None:
    await add_representative(session, telegram_id=REP, delegation=await add_delegation(session))
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "就业")
    await tg.send(user, "招聘信息不透明")
    await tg.press_label(user, "取消")
    assert tg.api.last_text(REP) == "已取消，没有保存任何内容。"
    assert await stored(session) == []
    assert await tg.send(user, "还有一条") == "没能理解这条消息。发送 /help 查看可用功能。"


async def test_a_restart_resumes_the_same_step(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    await add_representative(session, telegram_id=REP, delegation=await add_delegation(session))
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "生态环境")
    restarted = build_app(settings, bot_session=FakeSession())
    try:
        again = Harness(restarted)
        answer = await again.send(user, "河道有污水直排")
        assert answer == "问题发生在什么地点？请填写地点，或点击“跳过”。"
    finally:
        await restarted.close()


async def test_a_command_mid_dialog_is_not_taken_as_an_answer(
    tg: Harness, session: AsyncSession
) -> None:
    await add_representative(session, telegram_id=REP, delegation=await add_delegation(session))
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "民生保障")
    assert (await tg.send(user, "/me")).startswith("<b>王建国</b>")
    assert await tg.send(user, "/nonsense") == "没能理解这条消息。发送 /help 查看可用功能。"
    assert await tg.send(user, "路面塌陷") == "问题发生在什么地点？请填写地点，或点击“跳过”。"


async def test_the_dialog_in_english(tg: Harness, session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=REP, delegation=delegation, language="en")
    await session.commit()
    user = make_user(REP, language_code="en")
    assert await tg.send(user, "/concern") == "Which category is the concern?"
    assert last_buttons(tg, REP)[:2] == ["Livelihood", "Urban and rural construction"]
    await tg.press_label(user, "Environment")
    await tg.send(user, "Dust from a building site")
    await tg.press_label(user, "Skip")
    await tg.press_label(user, "Skip")
    question = "Did the constituent consent to their contact details being recorded?"
    assert tg.api.last_text(REP) == question
    await tg.press_label(user, "Yes")
    assert tg.api.last_text(REP) == "The constituent's name?"
    await tg.send(user, "Zhang Wei")
    assert await tg.send(user, "12") == (
        "That does not look like a phone number: use digits, spaces, - or a leading +, "
        "5 to 20 digits, e.g. 138 3790 0102."
    )
    card = await tg.send(user, "13800000000")
    assert card.splitlines() == [
        "<b>Please check the concern before saving:</b>",
        "Category: Environment",
        "Place: —",
        "Photo: none",
        "Constituent's consent: yes",
        "Constituent's name: Zhang Wei",
        "Constituent's phone: 13800000000",
        "Summary:",
        "Dust from a building site",
    ]
    await tg.press_label(user, "Save")
    (concern,) = await stored(session)
    assert tg.api.texts(REP)[-2] == (
        f"Concern #{concern.id} is saved. Follow it up from its card or with /concerns."
    )
    assert tg.api.last_text(REP).startswith(
        f"<b>Concern #{concern.id}</b> · Environment · received\nRepresentative: 王建国\n"
    )
