"""Staff send the roster to the bot: preview, confirm, and what the database then holds."""

from __future__ import annotations

import csv
import html
import io

from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.roster_upload import RosterCallback, RosterChoice
from services.text import esc
from storage.models import Mandate, Person
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff, make_document, make_user
from tests.harness import Harness
from tests.services.roster.builders import person, roster_csv

GOOD = roster_csv(
    person(
        "王建国",
        external_id="HA-1",
        delegation="驻洛省十四届人大代表",
        group="第一小组",
        leader="是",
    ),
    person("李红梅", external_id="HA-2", delegation="驻洛省十四届人大代表", group="第一小组"),
)
WITH_BAD_ROW = roster_csv(
    person("王建国", external_id="HA-1", delegation="驻洛省十四届人大代表"),
    person("", external_id="HA-3", delegation="驻洛省十四届人大代表"),
)


async def _people(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(Person))
    await session.commit()
    return int(count or 0)


async def test_preview_then_confirm_imports(tg: Harness, session: AsyncSession) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.feed(make_document(GOOD, "名册.csv", user=admin, files=tg.api.files))
    preview = tg.api.last_text(ADMIN_ID)
    assert preview.startswith("Preview of 名册.csv — nothing is saved yet.")
    assert "Would be new: 2." in preview
    assert await _people(session) == 0
    await tg.press_label(admin, "Import")
    done = tg.api.last_text(ADMIN_ID)
    assert done.startswith("Imported 名册.csv.")
    assert await _people(session) == 2
    leaders = await session.scalar(
        select(func.count()).select_from(Mandate).where(col(Mandate.is_group_leader).is_(True))
    )
    assert leaders == 1


async def test_bad_rows_are_listed_and_only_good_rows_imported_on_request(
    tg: Harness, session: AsyncSession
) -> None:
    admin = make_user(ADMIN_ID, language_code="zh")
    await tg.feed(make_document(WITH_BAD_ROW, "roster.csv", user=admin, files=tg.api.files))
    preview = tg.api.last_text(ADMIN_ID)
    assert "第 3 行：" in preview
    keyboard = tg.api.sent(ADMIN_ID)[-1].reply_markup  # type: ignore[attr-defined]
    assert [b.text for b in keyboard.inline_keyboard[0]] == ["导入有效的行", "取消"]
    await tg.press_label(admin, "导入有效的行")
    assert await _people(session) == 1


async def test_cancel_and_a_stale_confirm_change_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.feed(make_document(GOOD, "roster.csv", user=admin, files=tg.api.files))
    await tg.press_label(admin, "Cancel")
    assert tg.api.last_text(ADMIN_ID) == "Cancelled; the roster was not changed."
    await tg.press_label(admin, "Import")  # pressed later on the same preview
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."
    assert await _people(session) == 0


async def test_an_older_previews_button_does_not_import_the_newer_file(
    tg: Harness, session: AsyncSession
) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.feed(make_document(GOOD, "old.csv", user=admin, files=tg.api.files))
    old_preview = tg.api.sent(ADMIN_ID)[-1].reply_markup  # type: ignore[attr-defined]
    await tg.feed(make_document(WITH_BAD_ROW, "new.csv", user=admin, files=tg.api.files))
    await tg.press(admin, old_preview.inline_keyboard[0][0].callback_data)
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."
    assert await _people(session) == 0
    forged = RosterCallback(choice=RosterChoice.import_all, upload=-1)
    await tg.press(admin, forged)
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."


async def test_wrong_file_type_and_wrong_role(tg: Harness, session: AsyncSession) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.feed(make_document(b"%PDF-1.4", "roster.pdf", user=admin, files=tg.api.files))
    assert tg.api.last_text(ADMIN_ID) == "Send the roster as a .csv or .xlsx file."
    delegation = await add_delegation(session, "驻洛省十四届人大代表")
    await add_representative(session, telegram_id=42, delegation=delegation)
    await session.commit()
    rep = make_user(42)
    await tg.feed(make_document(GOOD, "roster.csv", user=rep, files=tg.api.files))
    assert tg.api.last_text(42).startswith("您的角色无法使用此功能。")
    assert await _people(session) == 1


async def test_staff_cannot_import_outside_their_scope(tg: Harness, session: AsyncSession) -> None:
    nanyang = await add_delegation(session, "南阳市人大代表")
    await add_delegation(session, "驻洛省十四届人大代表")
    await add_staff(session, telegram_id=77, delegations=[nanyang])
    await session.commit()
    clerk = make_user(77, language_code="en")
    await tg.feed(make_document(GOOD, "roster.csv", user=clerk, files=tg.api.files))
    preview = tg.api.last_text(77)
    assert "Row 2: The delegation 驻洛省十四届人大代表 is not in your scope." in preview
    assert tg.api.sent(77)[-1].reply_markup is None  # type: ignore[attr-defined]
    assert await _people(session) == 0


async def test_the_preview_lists_who_is_added_and_what_changes_for_whom(
    tg: Harness, session: AsyncSession
) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.feed(make_document(GOOD, "roster.csv", user=admin, files=tg.api.files))
    preview = tg.api.last_text(ADMIN_ID)
    assert "Added: 2\n+ 王建国 (驻洛省十四届人大代表)\n+ 李红梅 (驻洛省十四届人大代表)" in preview
    await tg.press_label(admin, "Import")

    edited = roster_csv(
        person(
            "王建国",
            external_id="HA-1",
            delegation="驻洛省十四届人大代表",
            group="第二小组",
            leader="否",
            phone="13800000001",
        ),
        person("李红梅", external_id="HA-2", delegation="驻洛省十四届人大代表", group="第一小组"),
    )
    await tg.feed(make_document(edited, "roster.csv", user=admin, files=tg.api.files))

    assert tg.api.last_text(ADMIN_ID).splitlines()[1:] == [
        "Would be new: 0. Would be updated: 1. Unchanged: 1.",
        "New groups: 1",
        "Changed: 1",
        "王建国 (驻洛省十四届人大代表) — phone: — → 13800000001; group: 第一小组 → 第二小组; "
        "group leader: yes → no",
    ]


async def test_a_huge_report_is_one_message_with_the_whole_list_attached(
    tg: Harness, session: AsyncSession
) -> None:
    admin = make_user(ADMIN_ID, language_code="en")
    rows = [person(f"代表{n}", delegation="驻洛省", level="<部>" * 300) for n in range(2_000)]
    long_name = "名册<&>" * 60 + ".csv"
    await tg.feed(make_document(roster_csv(*rows), long_name, user=admin, files=tg.api.files))

    sent = tg.api.sent(ADMIN_ID)
    document, message = sent
    assert isinstance(document, SendDocument)
    assert isinstance(message, SendMessage)
    text = str(message.text)
    assert len(html.unescape(text)) <= 4096
    lines = text.splitlines()
    assert lines[0].startswith("Preview of 名册&lt;&amp;&gt;")
    assert len(html.unescape(lines[0])) < 150  # the file name is cut
    errors = [line for line in lines if line.startswith("Row ")]
    assert 0 < len(errors) <= 20
    for line in lines:
        assert len(html.unescape(line)) <= 200
        assert esc(html.unescape(line)) == line  # no entity cut in half
    assert lines[-1] == "The whole list is in the file roster-report.csv above."
    assert isinstance(document.document, BufferedInputFile)
    table = list(csv.reader(io.StringIO(document.document.data.decode("utf-8-sig"))))
    assert table[0] == ["row", "kind", "name", "delegation", "details"]
    assert len(table) == 1 + 2_000
    assert table[1][:2] == ["2", "error"]
    assert "<部>" * 300 in table[1][4]  # the file has every reason in full
