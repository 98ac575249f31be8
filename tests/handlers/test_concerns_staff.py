"""Staff: the XLSX export of concerns in scope, and erasing a constituent's contact."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernErase, ConcernEraseConfirm, ConcernExport
from storage.audit import list_audit
from storage.duty_models import Concern, ConcernState
from storage.models import StaffRole
from tests.conftest import ADMIN_ID
from tests.factories import add_concern, add_delegation, add_representative, add_staff, make_user
from tests.handlers.test_concerns_flow import last_buttons
from tests.harness import Harness

REP, STAFF, OTHER_STAFF = 8501, 8502, 8503
NOT_FOUND = "该记录不存在，或不属于您。"


async def seed(session: AsyncSession) -> dict[str, int]:
    inside = await add_delegation(session, "驻洛省十四届人大代表")
    outside = await add_delegation(session, "郑州市人大代表")
    wang = await add_representative(session, telegram_id=REP, delegation=inside)
    far = await add_representative(session, telegram_id=None, delegation=outside, name="外人")
    created = datetime.now(UTC) - timedelta(days=9)
    consented = await add_concern(
        session,
        person=wang,
        summary='=HYPERLINK("http://x")',
        consent=True,
        constituent_name="张秀英",
        constituent_phone="13800000000",
        created_at=created,
    )
    consented.place = "西工区"
    consented.department = "市住建局"
    consented.state = ConcernState.forwarded
    plain = await add_concern(session, person=wang, category="other", state="closed")
    outside_one = await add_concern(
        session, person=far, consent=True, constituent_name="李四", constituent_phone="139"
    )
    await add_staff(session, telegram_id=STAFF, delegations=[inside])
    await add_staff(session, telegram_id=OTHER_STAFF, delegations=[outside])
    ids = {"consented": consented.id, "plain": plain.id, "outside": outside_one.id}
    await session.commit()
    return {name: value or 0 for name, value in ids.items()}


def workbook_rows(tg: Harness, chat_id: int) -> list[list[object]]:
    documents = [r for r in tg.api.sent(chat_id) if isinstance(r, SendDocument)]
    assert len(documents) == 1
    document = documents[0].document
    assert isinstance(document, BufferedInputFile)
    assert document.filename is not None
    assert document.filename.startswith("concerns-")
    assert document.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(document.data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_export_holds_every_concern_in_scope_and_nothing_else(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed(session)
    await tg.press(make_user(STAFF), ConcernExport())
    rows = workbook_rows(tg, STAFF)
    assert rows[0] == [
        "编号",
        "代表",
        "代表团",
        "代表小组",
        "类别",
        "内容",
        "地点",
        "状态",
        "承办部门",
        "登记日期",
        "最近变更",
        "已登记天数",
        "同意登记联系方式",
        "群众姓名",
        "群众电话",
    ]
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[:9] == [
        ids["consented"],
        "王建国",
        "驻洛省十四届人大代表",
        None,
        "民生保障",
        '\'=HYPERLINK("http://x")',
        "西工区",
        "已转办",
        "市住建局",
    ]
    assert isinstance(first[9], datetime)
    assert first[11:] == [9, "是", "张秀英", "13800000000"]
    assert second[0] == ids["plain"]
    assert second[4] == "其他"
    assert second[7] == "已关闭"
    assert second[12:] == ["否", None, None]


async def test_erasing_a_contact_keeps_the_rest_and_is_audited(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed(session)
    staff = make_user(STAFF)
    await tg.press(staff, f"copen:{ids['consented']}")
    card = tg.api.last_text(STAFF)
    assert "群众姓名：张秀英" in card
    assert last_buttons(tg, STAFF) == ["删除联系方式"]
    await tg.press_label(staff, "删除联系方式")
    assert tg.api.last_text(STAFF) == (
        f"要从第{ids['consented']}号民意中删除 张秀英 的联系方式（姓名和电话）吗？"
        "删除后无法恢复，民意的其他内容保留。"
    )
    assert last_buttons(tg, STAFF) == ["删除", "保留"]
    await tg.press_label(staff, "删除")
    assert tg.api.last_text(STAFF) == f"已删除第{ids['consented']}号民意中群众的联系方式。"
    await tg.press_label(staff, "删除")
    assert tg.api.alerts()[-1] == "该按钮已使用过。"
    session.expire_all()
    concern = await session.get(Concern, ids["consented"])
    assert concern is not None
    assert (concern.constituent_name, concern.constituent_phone) == (None, None)
    assert concern.contact_erased_at is not None
    assert concern.consent is True
    assert concern.summary == '=HYPERLINK("http://x")'
    assert concern.department == "市住建局"
    audit = await list_audit(session=session, action="concern.erase_contact")
    assert [(a.actor_telegram_id, a.target) for a in audit] == [(STAFF, str(ids["consented"]))]
    await tg.press(staff, f"copen:{ids['consented']}")
    assert "群众联系方式：已应要求删除" in tg.api.last_text(STAFF)
    # The card's old Erase button, pressed again: nothing is re-dated or audited twice.
    erased_at = concern.contact_erased_at
    await tg.press(staff, ConcernErase(concern=ids["consented"]))
    assert tg.api.alerts()[-1] == f"第{ids['consented']}号民意没有保存联系方式，无需删除。"
    session.expire_all()
    again = await session.get(Concern, ids["consented"])
    assert again is not None
    assert again.contact_erased_at == erased_at
    assert len(await list_audit(session=session, action="concern.erase_contact")) == 1
    await tg.press(staff, ConcernExport())
    assert workbook_rows(tg, STAFF)[1][12:] == ["是", None, None]


async def test_keep_changes_nothing(tg: Harness, session: AsyncSession) -> None:
    ids = await seed(session)
    staff = make_user(STAFF)
    await tg.press(staff, ConcernErase(concern=ids["consented"]))
    await tg.press_label(staff, "保留")
    assert tg.api.last_text(STAFF) == "已保留，未作任何更改。"
    session.expire_all()
    concern = await session.get(Concern, ids["consented"])
    assert concern is not None
    assert concern.constituent_name == "张秀英"
    assert await list_audit(session=session, action="concern.erase_contact") == []


async def test_erasing_outside_the_scope_or_by_a_forged_button_is_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed(session)
    staff = make_user(STAFF)
    await tg.press(staff, ConcernErase(concern=ids["outside"]))
    await tg.press(staff, ConcernErase(concern=999_999))
    assert tg.api.alerts()[-2:] == [NOT_FOUND, NOT_FOUND]
    # A live card for a concern in scope cannot be turned on another by changing the id.
    await tg.press(staff, ConcernErase(concern=ids["consented"]))
    forged = ConcernEraseConfirm(concern=ids["outside"], card=1, confirmed=True)
    await tg.press(staff, forged)
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    await tg.press(make_user(OTHER_STAFF), ConcernErase(concern=ids["consented"]))
    assert tg.api.alerts()[-1] == NOT_FOUND
    session.expire_all()
    for concern_id in (ids["consented"], ids["outside"]):
        concern = await session.get(Concern, concern_id)
        assert concern is not None
        assert concern.constituent_name is not None
    assert await list_audit(session=session, action="concern.erase_contact") == []


async def test_an_admin_exports_every_delegation(tg: Harness, session: AsyncSession) -> None:
    await seed(session)
    await add_staff(session, telegram_id=ADMIN_ID, delegations=[], role=StaffRole.admin)
    await session.commit()
    await tg.press(make_user(ADMIN_ID), ConcernExport())
    rows = workbook_rows(tg, ADMIN_ID)
    assert len(rows) == 4
    assert {row[1] for row in rows[1:]} == {"王建国", "外人"}
