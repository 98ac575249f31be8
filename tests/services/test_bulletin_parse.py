"""Reading issue files: the seed (issue 4 of 2024), a second issue, DOCX, and what is refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from services.bulletins.errors import IssueFileError
from services.bulletins.files import MAX_FILE_BYTES, FileKind, read_issue_file
from services.bulletins.model import MAX_ARTICLE_CHARS

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = (DATA / "000_a1bcc203f270e66c.txt").read_bytes()
SECOND = (DATA / "bulletin_2024_07.txt").read_bytes()
LUOYANG = "组织驻洛省十四届人大代表开展第一季度小组活动"
NANYANG = "南阳市：召开专题现场会推进主题活动在全市迅速铺开"


def refused(data: bytes, filename: str = "issue.txt") -> IssueFileError:
    with pytest.raises(IssueFileError) as caught:
        read_issue_file(data, filename)
    return caught.value


def message(error: IssueFileError) -> str:
    return error.message.format(**error.params)


def test_the_seed_reads_as_issue_4_of_2024() -> None:
    read = read_issue_file(SEED, "seed.txt")
    issue = read.issue
    assert read.kind is FileKind.text
    assert (issue.year, issue.number, issue.issued_on) == (2024, 4, date(2024, 3, 21))
    assert issue.title == "代表工作"
    assert issue.issuing_body == "河南省人大常委会选举任免代表联络工作委员会"
    assert issue.series == "“为人民履职、为中原添彩·人大代表在行动”主题活动专辑（一）"
    assert issue.editors_note.startswith("今年省人大常委会决定在全省组织开展")
    assert issue.editors_note.endswith("突出真实性、可借鉴性和创新性。")
    # The masthead and the contents lines are not articles.
    assert [article.heading for article in issue.articles] == [LUOYANG, NANYANG]
    assert issue.contents == ["洛阳市：" + LUOYANG, NANYANG]
    assert [article.place for article in issue.articles] == ["洛阳市", "南阳市"]
    assert [article.source for article in issue.articles] == [
        "（洛阳市人大常委会人事代表工委供稿）",
        "（南阳市人大常委会选工委供稿）",
    ]
    assert issue.distribution[0] == "送：省人大常委会主任、副主任、秘书长"
    assert issue.distribution[-1] == "河南省人大常委会选举任免代表联络工作委员会印发 共印 50 份"
    assert issue.copies == 50


def test_paragraphs_cut_by_a_page_break_are_joined_again() -> None:
    luoyang, nanyang = read_issue_file(SEED, "seed.txt").issue.articles
    assert len(luoyang.paragraphs) == 3
    assert "切实把党的领导贯穿履职全过程、各方面。要增强法治观念" in luoyang.paragraphs[2]
    assert len(nanyang.paragraphs) == 3
    assert (
        "在镇平县召开“为人民履职、为中原添彩·人大代表在行动”现场推进会。" in nanyang.paragraphs[1]
    )
    assert "人大常委会组成人员和国家机关负责人" in nanyang.paragraphs[2]
    assert not any(p.startswith(("各方面", "为中原添彩", "会组成人员")) for p in nanyang.paragraphs)


def test_the_second_issue_reads_with_its_own_wording() -> None:
    issue = read_issue_file(SECOND, "bulletin_2024_07.txt").issue
    assert (issue.year, issue.number, issue.issued_on) == (2024, 7, date(2024, 6, 12))
    assert issue.series.endswith("专辑（四）")
    # The note's two print lines are one paragraph.
    assert "在建强阵地、畅通渠道、办好实事上下功夫。本期选编两地做法" in issue.editors_note
    headings = [article.heading for article in issue.articles]
    assert headings == [
        "洛阳市：“Deputy Home”小程序让群众随时找得到代表",
        "许昌市：代表联络站织密服务群众“一张网”",
        "代表风采：一位乡村医生代表的履职笔记",
    ]
    # A column name before a colon is not a place.
    assert [article.place for article in issue.articles] == ["洛阳市", "许昌市", None]
    deputy, xuchang, doctor = issue.articles
    assert deputy.paragraphs[1].endswith("“找代表更方便了、说话更有人听了”。")
    # Short subheadings stay paragraphs of their own; a number cut from its unit is joined.
    assert xuchang.paragraphs[0] == "一、建强阵地"
    assert xuchang.paragraphs[2] == "二、畅通渠道"
    assert xuchang.paragraphs[3].endswith("老旧小区改造等民生实事430余件。")
    assert doctor.source == "（汝阳县人大常委会供稿）"
    assert "抄送：省人大常委会办公厅" in issue.distribution
    assert issue.copies == 60


def test_a_docx_goes_through_the_same_parser() -> None:
    document = Document()
    for paragraph in ("代表工作", "２０２４年第４期", "河南省人大常委会选举任免代表联络工作委员会"):
        document.add_paragraph(paragraph)
    document.add_paragraph("2024年3月21日")
    document.add_paragraph("编者按：本期刊登一篇稿件。")
    document.add_paragraph("洛阳市：组织代表开展小组活动", style="List Bullet")
    document.add_heading("组织代表 开展小组活动", level=1)
    document.add_paragraph(
        "近日，洛阳市人大常委会组织代表开展小组活动，代表们围绕民生实事开展调研，"
    )
    document.add_paragraph("提出建议十二条。")
    document.add_paragraph("（洛阳市人大常委会供稿）")
    document.add_paragraph("送：省人大常委会主任")
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_issue_file(buffer.getvalue(), "issue.docx")
    assert read.kind is FileKind.docx
    issue = read.issue
    assert (issue.year, issue.number, issue.issued_on) == (2024, 4, date(2024, 3, 21))
    (article,) = issue.articles
    assert (article.heading, article.place) == ("组织代表开展小组活动", "洛阳市")
    assert article.paragraphs == [
        "近日，洛阳市人大常委会组织代表开展小组活动，代表们围绕民生实事开展调研，提出建议十二条。"
    ]
    assert article.source == "（洛阳市人大常委会供稿）"
    assert issue.distribution == ["送：省人大常委会主任"]


def test_plain_text_headings_are_found_by_the_contents() -> None:
    text = SEED.decode().replace("# 组织驻洛", "组织驻洛").replace("## 南阳市", "南阳市")
    issue = read_issue_file(text.encode(), "plain.txt").issue
    assert [article.heading for article in issue.articles] == [LUOYANG, NANYANG]


def test_gb18030_text_reads_as_utf8_does() -> None:
    issue = read_issue_file(SEED.decode().encode("gb18030"), "gbk.txt").issue
    assert [article.heading for article in issue.articles] == [LUOYANG, NANYANG]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("第 4 期", "第 四 期"), "Line 5: 第 四 期 — write the issue number in digits"),
        (
            ("2024 年 3 月 21 日", "2024 年 13 月 21 日"),
            "Line 10: 2024 年 13 月 21 日 is not a date.",
        ),
        (
            ("\\* 南阳市：召开", "南阳市的做法：召开"),
            "Line 18: 南阳市的做法：召开专题现场会推进主题活动在全市迅速铺开 — "
            "text before the first article",
        ),
        (
            (
                "近日，洛阳市人大常委会组织驻洛省十四届人大代表开展2024年第一季度代表小组活动。",
                "## 空的标题",
            ),
            "Line 20: the article 组织驻洛省十四届人大代表开展第一季度小组活动 has no text.",
        ),
        (
            ("第 4 期", ""),
            "Line 7: 河南省人大常委会选举任免代表联络工作委员会 — expected the issue number",
        ),
    ],
)
def test_a_malformed_file_names_the_line(change: tuple[str, str], expected: str) -> None:
    text = SEED.decode().replace(*change)
    assert message(refused(text.encode())).startswith(expected)


def test_refused_files_say_why() -> None:
    assert message(refused(b"")) == "The file issue.txt is empty."
    assert message(refused(b"  \n\n ")) == "The file issue.txt is empty."
    assert "is a PDF" in message(refused(b"%PDF-1.7 ...", "issue.pdf"))
    assert "old Word (.doc)" in message(refused(b"\xd0\xcf\x11\xe0" + bytes(100), "issue.doc"))
    assert "neither text nor a readable DOCX" in message(refused(bytes(range(256)) * 4, "x.bin"))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    assert "neither text nor a readable DOCX" in message(refused(zipped.getvalue(), "x.docx"))
    huge = refused(b"a" * (MAX_FILE_BYTES + 1))
    assert message(huge) == "The file issue.txt is larger than 4 MB; an issue is far smaller."


def test_no_articles_and_an_oversized_article_are_refused() -> None:
    head = SEED.decode().split("# 组织驻洛")[0]
    assert message(refused(head.encode())).startswith("The file holds no article (read to line 19)")
    long_paragraph = "这是一段很长的文字。" * 1000
    body = head + "# 一篇很长的文章\n\n" + "\n\n".join([long_paragraph] * 7)
    error = refused(body.encode())
    assert message(error) == (
        f"Line 20: the article 一篇很长的文章 is longer than {MAX_ARTICLE_CHARS} characters; "
        "split it into several articles."
    )


def test_a_docx_bomb_is_refused_before_it_is_opened() -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (40 * 1024 * 1024))
    assert len(zipped.getvalue()) < MAX_FILE_BYTES
    assert "unpacks to more than 32 MB" in message(refused(zipped.getvalue(), "bomb.docx"))
