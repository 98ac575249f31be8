"""/concern step by step: what the representative is asked, and what is stored."""

from __future__ import annotations

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.concerns_keyboards import ConcernCategory, ConcernPhoto
from services.concerns.flow import category_number
from storage.duty_models import Concern, ConcernEvent, ConcernState
from storage.models import Level, Mandate
from tests.factories import (
    add_delegation,
    add_representative,
    make_photo,
    make_sticker,
    make_user,
    make_voice,
)
from tests.harness import Harness

REP = 8101


def last_buttons(tg: Harness, chat_id: int) -> list[str]:
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(request, SendMessage) and isinstance(markup, InlineKeyboardMarkup):
            return [button.text for row in markup.inline_keyboard for button in row]
    return []


async def seed(session: AsyncSession, telegram_id: int = REP) -> int:
    """A representative with one mandate; their person id."""
    person = await add_representative(
        session, telegram_id=telegram_id, delegation=await add_delegation(session)
    )
    assert person.id is not None
    person_id = person.id
    await session.commit()
    return person_id


async def concerns(session: AsyncSession) -> list[Concern]:
    session.expire_all()
    return list((await session.scalars(select(Concern).order_by(col(Concern.id)))).all())


async def test_every_step_without_consent_stores_no_contact(
    tg: Harness, session: AsyncSession
) -> None:
    person_id = await seed(session)
    user = make_user(REP)
    assert await tg.send(user, "/concern") == "这件民意属于哪个类别？"
    assert last_buttons(tg, REP) == [
        "民生保障",
        "城乡建设",
        "教育",
        "医疗卫生",
        "生态环境",
        "就业",
        "其他",
        "取消",
    ]
    await tg.press_label(user, "城乡建设")
    assert tg.api.last_text(REP) == "请描述群众反映的问题（篇幅不限）。"
    assert last_buttons(tg, REP) == ["取消"]
    answer = await tg.send(user, "  路灯损坏<b>半年</b>，夜间出行不便  ")
    assert answer == "问题发生在什么地点？请填写地点，或点击“跳过”。"
    assert last_buttons(tg, REP) == ["跳过", "取消"]
    assert (
        await tg.send(user, "洛阳市　西工区 <i>红山路</i>") == "请发送一张现场照片，或点击“跳过”。"
    )
    await tg.feed(make_photo(user=user, file_id="lamp-1"))
    assert tg.api.last_text(REP) == "群众是否同意登记其联系方式？"
    assert last_buttons(tg, REP) == ["是", "否", "取消"]
    await tg.press_label(user, "否")
    card = tg.api.last_text(REP)
    assert card.splitlines() == [
        "<b>保存前请核对社情民意：</b>",
        "类别：城乡建设",
        "地点：洛阳市 西工区 &lt;i&gt;红山路&lt;/i&gt;",
        "照片：已附",
        "群众同意登记联系方式：否（未保存联系方式）",
        "内容：",
        "路灯损坏&lt;b&gt;半年&lt;/b&gt;，夜间出行不便",
    ]
    assert "姓名" not in "\n".join(tg.api.texts(REP))
    assert last_buttons(tg, REP)[-2:] == ["保存", "取消"]
    await tg.press_label(user, "保存")
    stored = await concerns(session)
    assert len(stored) == 1
    concern = stored[0]
    assert concern.person_id == person_id
    assert concern.category == "urban_construction"
    assert concern.summary == "路灯损坏<b>半年</b>，夜间出行不便"
    assert concern.place == "洛阳市 西工区 <i>红山路</i>"
    assert concern.photo_file_id == "lamp-1"
    assert concern.consent is False
    assert concern.consent_at is None
    assert concern.constituent_name is None
    assert concern.constituent_phone is None
    assert concern.state == ConcernState.received
    events = (await session.scalars(select(ConcernEvent))).all()
    assert [(e.concern_id, e.state, e.actor_telegram_id) for e in events] == [
        (concern.id, "received", REP)
    ]
    texts = tg.api.texts(REP)
    assert f"第{concern.id}号民意已保存。可在下方卡片或通过 /concerns 跟进办理。" in texts
    assert texts[-1].startswith(f"<b>第{concern.id}号民意</b> · 城乡建设 · 已受理")
    assert last_buttons(tg, REP) == ["标记为已转办", "标记为已关闭", "查看照片"]
    await tg.press_label(user, "查看照片")
    photos = [r for r in tg.api.sent(REP) if isinstance(r, SendPhoto)]
    assert [p.photo for p in photos] == ["lamp-1"]
    stranger_rep = make_user(REP + 50)
    await add_representative(
        session, telegram_id=REP + 50, delegation=await add_delegation(session, "别处")
    )
    await session.commit()
    await tg.press(stranger_rep, ConcernPhoto(concern=concern.id or 0))
    assert tg.api.alerts()[-1] == "该记录不存在，或不属于您。"
    assert not [r for r in tg.api.sent(REP + 50) if isinstance(r, SendPhoto)]


async def test_consent_asks_name_and_phone_and_stores_them_with_the_consent(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "教育")
    await tg.send(user, "学校门口缺少交通信号灯")
    await tg.press_label(user, "跳过")
    assert tg.api.last_text(REP) == "请发送一张现场照片，或点击“跳过”。"
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "是")
    assert tg.api.last_text(REP) == "群众姓名？"
    assert await tg.send(user, "张<秀英>") == "群众电话号码？"
    bad = "这不像电话号码：请使用数字、空格、“-”或开头的“+”，共5至20位数字，例如 138 3790 0102。"
    for wrong in ("电话", "1234", "+86 138 3790 0102 12345 678", "138#3790"):
        assert await tg.send(user, wrong) == bad
    card = await tg.send(user, "＋86 138-3790-0102")
    assert "群众姓名：张&lt;秀英&gt;" in card
    assert "群众电话：+86 138-3790-0102" in card
    assert "地点：—" in card
    assert "照片：无" in card
    await tg.press_label(user, "保存")
    (concern,) = await concerns(session)
    assert concern.place is None
    assert concern.photo_file_id is None
    assert concern.consent is True
    assert concern.consent_at is not None
    assert concern.constituent_name == "张<秀英>"
    assert concern.constituent_phone == "+86 138-3790-0102"


async def test_wrong_kinds_of_input_get_one_sentence_and_change_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    user = make_user(REP)
    await tg.send(user, "/concern")
    assert await tg.send(user, "民生") == "请用上方按钮选择类别。"
    await tg.press_label(user, "民生保障")
    await tg.feed(make_photo(user=user))
    assert tg.api.last_text(REP) == "请用文字描述群众反映的问题。"
    await tg.feed(make_sticker(user=user))
    assert tg.api.last_text(REP) == "请用文字描述群众反映的问题。"
    assert await tg.send(user, "  \n ") == "内容为空。请简要描述群众反映的问题。"
    await tg.send(user, "菜市场占道经营")
    await tg.feed(make_voice(user=user))
    assert tg.api.last_text(REP) == "请用文字填写地点，或点击“跳过”。"
    await tg.send(user, "东关菜市场")
    assert (
        await tg.send(user, "照片稍后补") == "请发送一张照片（不要以文件形式发送），或点击“跳过”。"
    )
    album = [make_photo(user=user, file_id=f"p{i}", media_group_id="alb") for i in range(3)]
    await tg.feed(*album)
    assert tg.api.last_text(REP) == "只保留一张照片：第一张。"
    assert await tg.send(user, "同意") == "请用上方的“是”或“否”按钮回答。"
    await tg.press_label(user, "否")
    assert await tg.send(user, "保存") == "请点击上方卡片中的“保存”或“取消”。"
    await tg.press_label(user, "保存")
    (concern,) = await concerns(session)
    assert concern.summary == "菜市场占道经营"
    assert concern.place == "东关菜市场"
    assert concern.photo_file_id == "p0"


async def test_saving_twice_saves_once_and_the_old_card_has_expired(
    tg: Harness, session: AsyncSession
) -> None:
    await seed(session)
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press_label(user, "其他")
    await tg.send(user, "x" * 4097)
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "否")
    card_parts = [t for t in tg.api.texts(REP) if "x" * 100 in t]
    assert len(card_parts) == 2
    assert all(len(part) <= 4096 for part in card_parts)
    await tg.press_label(user, "保存")
    await tg.press_label(user, "保存")
    (concern,) = await concerns(session)
    assert concern.summary == "x" * 4097
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"


async def test_two_mandates_are_a_choice_with_the_default_first(
    tg: Harness, session: AsyncSession
) -> None:
    province = await add_delegation(session, "驻洛省十四届人大代表")
    city = await add_delegation(session, "洛阳市人大代表")
    person = await add_representative(session, telegram_id=REP, delegation=province)
    assert city.id is not None
    assert person.id is not None
    city_mandate = Mandate(
        person_id=person.id, level=Level.city, term_number=16, delegation_id=city.id
    )
    session.add(city_mandate)
    await session.flush()
    person.default_mandate_id = city_mandate.id
    city_mandate_id, city_id = city_mandate.id, city.id
    await session.commit()
    user = make_user(REP)
    assert await tg.send(user, "/concern") == "这件民意以哪个代表身份登记？"
    assert last_buttons(tg, REP) == [
        "第16届市级人大代表：洛阳市人大代表",
        "第14届省级人大代表：驻洛省十四届人大代表",
        "取消",
    ]
    await tg.press_label(user, "第16届市级人大代表：洛阳市人大代表")
    assert tg.api.last_text(REP) == "这件民意属于哪个类别？"
    await tg.press_label(user, "就业")
    await tg.send(user, "返乡青年就业培训需求")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "否")
    await tg.press_label(user, "保存")
    (concern,) = await concerns(session)
    assert concern.mandate_id == city_mandate_id
    assert concern.delegation_id == city_id


async def test_a_category_button_names_its_category_and_one_no_longer_offered_expires(
    tg: Harness, session: AsyncSession
) -> None:
    """Buttons carry the category's code: reordering CONCERN_CATEGORIES cannot make an old
    keyboard file a concern under another category, and a code removed meanwhile is stale."""
    await seed(session)
    user = make_user(REP)
    await tg.send(user, "/concern")
    await tg.press(user, ConcernCategory(category=category_number("retired_category")))
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    await tg.press(user, ConcernCategory(category=category_number("education")))
    assert tg.api.last_text(REP).startswith("请描述群众反映的问题")
    await tg.send(user, "学校门口交通拥堵")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "跳过")
    await tg.press_label(user, "否")
    await tg.press_label(user, "保存")
    [concern] = await concerns(session)
    assert concern.category == "education"
