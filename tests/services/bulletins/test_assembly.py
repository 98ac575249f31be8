"""Bulletin assembly's services on the database: the candidates within scope, the pieces in the
order picked with their source lines, the next number of the year, and an activity whose issue
is published not offered again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.assembly import (
    PAGE_SIZE,
    NotACandidate,
    candidate_page,
    pieces,
    toggle,
)
from services.bulletins.assembly_issue import NothingPicked, build_issue, stage_assembled
from services.bulletins.importing import store_issue
from services.bulletins.model import ParsedArticle, ParsedIssue
from services.bulletins.publish import DraftExists
from services.deliveries.model import Representatives
from services.errors import PermissionDenied
from services.permissions import Role
from storage.bulletin_assembly import BulletinPiece
from tests.assembly_kit import LUOYANG, NANYANG, office, staff_of
from tests.bulletin_kit import PUBLISHER, publish_issue_to
from tests.factories import add_activity

TODAY = date(2024, 4, 2)
NOW = datetime(2024, 4, 2, 2, 0, tzinfo=UTC)


async def stored(session: AsyncSession, year: int, number: int) -> None:
    """An issue of the office, imported and published, with its distribution lines."""
    article = ParsedArticle("旧文章", 1, paragraphs=["正文。"], source="（某供稿）")
    parsed = ParsedIssue(
        year=year,
        number=number,
        issued_on=date(year, 3, 1),
        title="代表工作",
        issuing_body="河南省人大常委会选举任免代表联络工作委员会",
        contents=["旧文章"],
        articles=[article],
        distribution=[
            "送：省人大常委会主任",
            "河南省人大常委会选举任免代表联络工作委员会印发 共印 50 份",
        ],
    )
    issue = (
        await store_issue(session=session, parsed=parsed, original=None, replace=False, now=NOW)
    ).issue
    await publish_issue_to(session, issue, Representatives(None), NOW)


async def assemble(
    session: AsyncSession, actor: Actor, picked: list[int], note: str = ""
) -> ParsedIssue:
    found = await pieces(session=session, actor=actor, picked=picked, edits={})
    return await build_issue(
        session=session, actor=actor, pieces=found, note=note, today=TODAY, issuing_body=""
    )


async def test_candidates_are_the_marked_activities_of_the_scope_newest_first(
    session: AsyncSession,
) -> None:
    data = await office(session)
    page = await candidate_page(session=session, actor=staff_of(data.luoyang), page=0)
    assert [item.activity_id for item in page.items] == [data.inspection.id, data.reception.id]
    first = page.items[0]
    assert (first.person, first.delegation, first.type_zh) == ("王建国", LUOYANG, "视察")
    assert first.note == "建议把遗址保护和城市园林结合起来"
    everyone = await candidate_page(session=session, actor=PUBLISHER, page=0)
    assert [item.activity_id for item in everyone.items] == [
        data.inspection.id,
        data.nanyang_visit.id,
        data.reception.id,
    ]
    rep = Actor(telegram_id=1, roles=frozenset({Role.representative}), locale="zh")
    with pytest.raises(PermissionDenied):
        await candidate_page(session=session, actor=rep, page=0)


async def test_an_activity_outside_the_scope_cannot_be_picked_nor_drafted(
    session: AsyncSession,
) -> None:
    data = await office(session)
    luoyang = staff_of(data.luoyang)
    assert data.nanyang_visit.id is not None
    with pytest.raises(NotACandidate):
        await toggle(session=session, actor=luoyang, picked=[], activity_id=data.nanyang_visit.id)
    with pytest.raises(NotACandidate):
        await toggle(session=session, actor=luoyang, picked=[], activity_id=999_999)
    # An id slipped into the dialog's data is dropped, not drafted.
    picked = [data.nanyang_visit.id]
    assert await pieces(session=session, actor=luoyang, picked=picked, edits={}) == []
    with pytest.raises(NothingPicked):
        await assemble(session, luoyang, picked)


async def test_pieces_in_the_order_picked_with_headings_paragraphs_and_source_lines(
    session: AsyncSession,
) -> None:
    data = await office(session)
    picked = [data.reception.id or 0, data.inspection.id or 0]
    issue = await assemble(session, staff_of(data.luoyang), picked, note="本期刊发代表履职情况。")
    assert issue.contents == [
        f"{LUOYANG}：在石油社区代表联络站接待群众12人次，收集意见5条",
        f"{LUOYANG}：到隋唐城遗址植物园视察园林景观提质",
    ]
    assert [article.heading for article in issue.articles] == issue.contents
    assert issue.articles[1].paragraphs == [
        # Cut-off sentences get their full stop, so the issue reads back paragraph by paragraph.
        "到隋唐城遗址植物园视察园林景观提质。听取了管理处关于遗址保护、园林绿化和游客服务设施建设情况的汇报并实地查看。",
        "建议把遗址保护和城市园林结合起来",
    ]
    assert {article.source for article in issue.articles} == {f"（{LUOYANG}供稿）"}
    assert (issue.title, issue.editors_note, issue.issued_on) == (
        "代表工作",
        "本期刊发代表履职情况。",
        TODAY,
    )


async def test_the_number_follows_the_last_stored_issue_of_the_year(
    session: AsyncSession,
) -> None:
    data = await office(session)
    staff = staff_of(data.luoyang)
    first = await assemble(session, staff, [data.inspection.id or 0])
    assert (first.year, first.number, first.issuing_body, first.distribution) == (2024, 1, "", [])
    await stored(session, 2023, 9)
    await stored(session, 2024, 4)
    issue = await assemble(session, staff, [data.inspection.id or 0])
    assert (issue.year, issue.number) == (2024, 5)
    # The office's issuing body and distribution, as printed on its newest issue.
    assert issue.issuing_body == "河南省人大常委会选举任免代表联络工作委员会"
    assert issue.distribution[0] == "送：省人大常委会主任"
    assert issue.copies == 50
    named = await build_issue(
        session=session,
        actor=staff,
        pieces=await pieces(
            session=session, actor=staff, picked=[data.inspection.id or 0], edits={}
        ),
        note="",
        today=TODAY,
        issuing_body="洛阳市人大常委会",
    )
    assert named.issuing_body == "洛阳市人大常委会"


async def test_an_assembled_draft_is_replaced_and_a_published_piece_not_offered_again(
    session: AsyncSession,
) -> None:
    data = await office(session)
    staff = staff_of(data.luoyang)
    picked = [data.inspection.id or 0]
    found = await pieces(session=session, actor=staff, picked=picked, edits={})
    issue = await assemble(session, staff, picked)
    draft = await stage_assembled(
        session=session, actor=staff, issue=issue, pieces=found, replace=False, now=NOW
    )
    links = (await session.scalars(select(BulletinPiece))).all()
    assert [(link.issue_id, link.activity_id) for link in links] == [(draft.id, data.inspection.id)]
    # Still a draft: offered, and assembling again lands on the same number, to replace it.
    page = await candidate_page(session=session, actor=staff, page=0)
    assert data.inspection.id in [item.activity_id for item in page.items]
    picked = [data.reception.id or 0, data.inspection.id or 0]
    again = await assemble(session, staff, picked)
    assert again.number == issue.number
    both = await pieces(session=session, actor=staff, picked=picked, edits={})
    with pytest.raises(DraftExists):
        await stage_assembled(
            session=session, actor=staff, issue=again, pieces=both, replace=False, now=NOW
        )
    replaced = await stage_assembled(
        session=session, actor=staff, issue=again, pieces=both, replace=True, now=NOW
    )
    assert replaced.id == draft.id
    await publish_issue_to(session, replaced, Representatives(None), NOW)
    await session.commit()
    page = await candidate_page(session=session, actor=staff, page=0)
    assert (page.items, page.total) == ([], 0)
    nanyang = await candidate_page(session=session, actor=staff_of(data.nanyang, 2), page=0)
    assert [item.delegation for item in nanyang.items] == [NANYANG]


async def test_candidates_come_in_pages_and_a_page_past_the_end_shows_the_last(
    session: AsyncSession,
) -> None:
    data = await office(session)
    for day in range(1, 8):
        await add_activity(
            session,
            data.wang,
            happened_on=date(2024, 2, day),
            summary=f"调研{day}",
            for_bulletin=True,
        )
    staff = staff_of(data.luoyang)
    first = await candidate_page(session=session, actor=staff, page=0)
    assert (len(first.items), first.pages, first.total) == (PAGE_SIZE, 2, 9)
    last = await candidate_page(session=session, actor=staff, page=5)
    assert last.page == 1
    assert [item.summary for item in last.items] == ["调研3", "调研2", "调研1"]
