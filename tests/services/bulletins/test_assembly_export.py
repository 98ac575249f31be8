"""An assembled issue as Markdown and as DOCX: both read back (services.bulletins.files) to the
same issue, and the DOCX opened with python-docx holds the articles under Heading styles."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from sqlalchemy.ext.asyncio import AsyncSession

from services.bulletins.assembly import pieces
from services.bulletins.assembly_export import to_docx, to_markdown
from services.bulletins.assembly_issue import build_issue
from services.bulletins.assembly_text import rewritten
from services.bulletins.files import FileKind, read_issue_file
from services.bulletins.model import ParsedIssue
from tests.assembly_kit import LUOYANG, office, staff_of
from tests.services.bulletins.test_assembly import stored

SOURCE = f"（{LUOYANG}供稿）"


async def assembled(session: AsyncSession) -> ParsedIssue:
    data = await office(session)
    await stored(session, 2024, 4)
    staff = staff_of(data.luoyang)
    picked = [data.inspection.id or 0, data.reception.id or 0]
    found = await pieces(session=session, actor=staff, picked=picked, edits={})
    # A rewritten piece with a place in its heading and a *starred* word kept as typed.
    text = (
        "洛阳市：代表走进联络站\n"
        "接待群众 12 人次，**重点**收集养老服务意见。\n"
        "#3 号楼加装电梯的诉求已转交。"
    )
    edits = {found[1].activity_id: rewritten(found[1], text)}
    found = await pieces(session=session, actor=staff, picked=picked, edits=edits)
    return await build_issue(
        session=session,
        actor=staff,
        pieces=found,
        note="本期刊发驻洛代表第一季度履职情况，供各地参考。",
        today=date(2024, 4, 2),
        issuing_body="",
    )


def comparable(issue: ParsedIssue) -> ParsedIssue:
    for article in issue.articles:
        article.line = 0
    return issue


async def test_markdown_and_docx_read_back_to_the_same_issue(session: AsyncSession) -> None:
    issue = await assembled(session)
    markdown = to_markdown(issue)
    assert markdown.startswith(
        "# 代表工作\n\n第 5 期\n\n河南省人大常委会选举任免代表联络工作委员会\n\n"
        "2024 年 4 月 2 日\n\n**编者按：**"
    )
    assert (
        "## 洛阳市：代表走进联络站\n\n"
        "接待群众 12 人次，\\*\\*重点\\*\\*收集养老服务意见。\n\n\\#3 号楼" in markdown
    )
    from_text = read_issue_file(markdown.encode("utf-8"), "5.md")
    assert from_text.kind == FileKind.text
    assert comparable(from_text.issue) == issue
    from_docx = read_issue_file(to_docx(issue), "5.docx")
    assert from_docx.kind == FileKind.docx
    # Word has no escapes: the one difference is the bold marker, which the reader drops.
    issue.articles[1].paragraphs[0] = issue.articles[1].paragraphs[0].replace("**", "")
    assert comparable(from_docx.issue) == issue
    read = comparable(from_docx.issue)
    assert (read.number, read.issued_on, read.editors_note) == (
        5,
        date(2024, 4, 2),
        "本期刊发驻洛代表第一季度履职情况，供各地参考。",
    )
    assert [a.source for a in read.articles] == [SOURCE, SOURCE]
    assert read.articles[1].place == "洛阳市"


async def test_the_docx_opened_with_python_docx_holds_the_articles(session: AsyncSession) -> None:
    issue = await assembled(session)
    document = Document(io.BytesIO(to_docx(issue)))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "代表工作")
    assert [text for style, text in styled if style == "Heading 2"] == [
        f"{LUOYANG}：到隋唐城遗址植物园视察园林景观提质",
        "洛阳市：代表走进联络站",
    ]
    assert [text for style, text in styled if style == "List Bullet"] == issue.contents
    texts = [text for _style, text in styled]
    heading = styled.index(("Heading 2", "洛阳市：代表走进联络站"))
    assert texts[heading + 1 : heading + 4] == [
        "接待群众 12 人次，**重点**收集养老服务意见。",
        "#3 号楼加装电梯的诉求已转交。",
        SOURCE,
    ]
    assert "编者按：本期刊发驻洛代表第一季度履职情况，供各地参考。" in texts
    assert texts[-1] == "河南省人大常委会选举任免代表联络工作委员会印发 共印 50 份"
