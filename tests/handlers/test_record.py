"""/record: a representative's own duty record; staff get anyone's within their scope."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from handlers.record import RecordCallback
from services.clock import utcnow
from services.dates import local_today
from storage.models import (
    AuditLog,
    Delegation,
    Level,
    Mandate,
    Person,
    StaffMember,
    StaffRole,
)
from tests.conftest import ADMIN_ID
from tests.factories import (
    add_delegation,
    add_record_activity,
    add_representative,
    add_staff,
    make_user,
)
from tests.harness import Harness

REP, OTHER_REP, CLERK, NANYANG_CLERK = 7101, 7102, 7103, 7104
NO_ONE = "您负责的代表团中没有名叫 {name} 的人员。"


@dataclass(frozen=True)
class World:
    wang: int
    li: int
    luoyang: Delegation
    nanyang: Delegation


async def _setup(session: AsyncSession) -> World:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    wang = await add_representative(session, telegram_id=REP, delegation=luoyang)
    li = await add_representative(session, telegram_id=OTHER_REP, delegation=nanyang, name="李红梅")
    await add_record_activity(session, wang, date(2024, 3, 15), summary="洛阳博物馆文旅调研")
    await add_record_activity(session, li, date(2024, 4, 1), summary="南阳月季园视察")
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    await add_staff(session, telegram_id=NANYANG_CLERK, delegations=[nanyang])
    await session.commit()
    assert wang.id is not None
    assert li.id is not None
    return World(wang.id, li.id, luoyang, nanyang)


def _documents(tg: Harness, chat_id: int) -> list[SendDocument]:
    return [m for m in tg.api.sent(chat_id) if isinstance(m, SendDocument)]


def _file(document: SendDocument) -> BufferedInputFile:
    assert isinstance(document.document, BufferedInputFile)
    return document.document


def _keyboard(tg: Harness, chat_id: int) -> InlineKeyboardMarkup:
    markup = tg.api.sent(chat_id)[-1].reply_markup  # type: ignore[attr-defined]
    assert isinstance(markup, InlineKeyboardMarkup)
    return markup


def _summaries(document: SendDocument) -> list[object]:
    sheet = load_workbook(io.BytesIO(_file(document).data))["履职活动"]
    return [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]


async def test_a_representative_gets_their_record_as_a_spreadsheet_and_a_pdf(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)

    await tg.feed_one("/record 2024", make_user(REP))

    xlsx, pdf = _documents(tg, REP)
    assert [_file(xlsx).filename, _file(pdf).filename] == [
        "履职档案_2024_王建国.xlsx",
        "履职档案_2024_王建国.pdf",
    ]
    assert xlsx.caption == "王建国 2024年履职档案：电子表格"
    assert pdf.caption == "王建国 2024年履职档案：可打印的 PDF"
    assert _summaries(xlsx) == ["洛阳博物馆文旅调研"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_file(pdf).data)).pages)
    assert "洛阳博物馆文旅调研" in text
    assert tg.api.texts(REP) == []


async def test_without_a_year_the_record_is_this_years_and_in_the_readers_language(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    year = local_today(utcnow(), tg.app.settings.tz).year

    await tg.feed_one("/record 王建国", make_user(CLERK, language_code="en"))

    xlsx, pdf = _documents(tg, CLERK)
    assert _file(xlsx).filename == f"duty-record_{year}_王建国.xlsx"
    assert xlsx.caption == f"Duty record of 王建国 for {year}: spreadsheet"
    assert pdf.caption == f"Duty record of 王建国 for {year}: printable PDF"


@pytest.mark.parametrize("args", ["李红梅 2024", "李红梅", "不存在的人 2024"])
async def test_a_representative_gets_no_one_elses(
    tg: Harness, session: AsyncSession, args: str
) -> None:
    await _setup(session)

    answer = await tg.send(make_user(REP), f"/record {args}")

    assert answer.startswith("您只能查看本人的履职档案：请发送 /record 或 /record ")
    assert _documents(tg, REP) == []


async def test_a_representative_naming_themselves_gets_their_own(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)

    await tg.feed_one("/record 王　建国 ２０２４", make_user(REP))  # full-width space and digits

    assert len(_documents(tg, REP)) == 2


@pytest.mark.parametrize("args", ["1999", "24", "2024 2023", "李红梅 3000"])
async def test_a_year_out_of_range_gets_one_sentence_with_an_example(
    tg: Harness, session: AsyncSession, args: str
) -> None:
    await _setup(session)
    this_year = local_today(utcnow(), tg.app.settings.tz).year

    answer = await tg.send(make_user(REP), f"/record {args}")

    expected = "请发送 2000 年至 {last} 年之间的年份，例如 /record {this}。"
    assert answer == expected.format(last=this_year + 1, this=this_year)
    assert _documents(tg, REP) == []


async def test_staff_get_a_record_in_scope_and_the_viewing_is_audited(
    tg: Harness, session: AsyncSession
) -> None:
    world = await _setup(session)

    await tg.feed_one("/record 王建国 2024", make_user(CLERK))

    xlsx, _pdf = _documents(tg, CLERK)
    assert _file(xlsx).filename == "履职档案_2024_王建国.xlsx"
    assert _summaries(xlsx) == ["洛阳博物馆文旅调研"]
    (entry,) = (
        await session.scalars(select(AuditLog).where(AuditLog.action == "record.view"))
    ).all()
    assert (entry.actor_telegram_id, entry.target, entry.details) == (
        CLERK,
        f"person:{world.wang}",
        {"year": 2024},
    )


async def test_out_of_scope_and_unknown_names_get_the_same_neutral_answer(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    clerk = make_user(CLERK)

    outside = await tg.send(clerk, "/record 李红梅 2024")
    nowhere = await tg.send(clerk, "/record 赵六 2024")

    assert outside == NO_ONE.format(name="李红梅")
    assert nowhere == NO_ONE.format(name="赵六")
    assert _documents(tg, CLERK) == []


async def test_staff_see_only_the_part_of_a_record_in_their_scope(
    tg: Harness, session: AsyncSession
) -> None:
    world = await _setup(session)
    # 王建国 also sits for Nanyang: the Nanyang clerk sees his record without Luoyang's part.
    assert world.nanyang.id is not None
    session.add(
        Mandate(
            person_id=world.wang, level=Level.city, term_number=18, delegation_id=world.nanyang.id
        )
    )
    await session.commit()

    await tg.feed_one("/record 王建国 2024", make_user(NANYANG_CLERK))

    xlsx, _pdf = _documents(tg, NANYANG_CLERK)
    assert _summaries(xlsx) == []


async def test_staff_choose_among_namesakes_and_a_forged_choice_sends_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    world = await _setup(session)
    await add_representative(session, telegram_id=None, delegation=world.luoyang)
    await session.commit()
    clerk = make_user(CLERK)

    answer = await tg.send(clerk, "/record 王建国 2024")

    assert answer == "有多人符合，请选择："
    labels = [b.text for row in _keyboard(tg, CLERK).inline_keyboard for b in row]
    assert labels == ["王建国 · 驻洛省十四届人大代表", "王建国 · 驻洛省十四届人大代表", "取消"]
    assert _documents(tg, CLERK) == []
    # Li is outside this clerk's scope; a made-up button naming her is expired, nothing sent.
    await tg.press(clerk, RecordCallback(person_id=world.li, year=2024, card=1))
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    assert _documents(tg, CLERK) == []
    await tg.press_label(clerk, "王建国 · 驻洛省十四届人大代表")
    _xlsx, pdf = _documents(tg, CLERK)
    assert _file(pdf).filename == "履职档案_2024_王建国.pdf"


async def test_staff_without_a_name_are_told_how_and_an_admin_sees_everyone(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)

    answer = await tg.send(make_user(CLERK), "/record 2024")
    await tg.feed_one("/record 李红梅 2024", make_user(ADMIN_ID))

    assert answer == "请发送 /record 加姓名，例如 /record 王建国 2024。"
    assert _summaries(_documents(tg, ADMIN_ID)[0]) == ["南阳月季园视察"]


async def test_staff_on_the_roster_without_a_mandate_are_told_how_not_sent_an_empty_record(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    clerk = Person(name="马文静", telegram_id=7105)
    session.add(clerk)
    await session.flush()
    session.add(StaffMember(person_id=clerk.id, telegram_id=7105, role=StaffRole.staff))
    await session.commit()

    answer = await tg.send(make_user(7105), "/record")

    assert answer.startswith("请发送 /record 加姓名")
    assert _documents(tg, 7105) == []
