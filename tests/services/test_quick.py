"""Quick entry: one line read into type, date, place and summary."""

from __future__ import annotations

from datetime import date

import pytest

from services.activities.quick import (
    QuickEntry,
    TypeWords,
    parse_quick,
    starts_with_type,
    type_words,
)
from services.dates import DateProblem
from storage.duty_models import ActivityType

# The seeded types (migration 0008), with ids in their order.
SEEDED = [
    ("小组活动", "Group meeting", ["代表小组活动", "小组", "meeting"]),
    ("视察", "Inspection", ["视察活动"]),
    ("调研", "Research visit", ["专题调研", "调研活动", "research"]),
    ("执法检查", "Law-enforcement inspection", ["执法", "enforcement"]),
    ("接待群众", "Reception", ["接待", "接待选民", "接待日"]),
    ("座谈会", "Symposium", ["座谈"]),
    ("学习培训", "Training", ["培训", "学习"]),
    ("参加大会", "Congress session", ["大会", "人代会", "session"]),
    ("列席会议", "Attending as observer", ["列席", "observer"]),
    ("提交建议议案", "Suggestion or motion", ["建议", "议案", "motion"]),
    ("向选民述职", "Report to voters", ["述职", "report"]),
    ("其他", "Other", ["其它"]),
]
GROUP, INSPECTION, RESEARCH, LAW, RECEPTION = 1, 2, 3, 4, 5
TRAINING, SESSION, OBSERVER, REPORT = 7, 8, 9, 11
TYPES = type_words(
    [
        ActivityType(id=index, code=f"t{index}", name_zh=zh, name_en=en, aliases=aliases, points=1)
        for index, (zh, en, aliases) in enumerate(SEEDED, start=1)
    ]
)
TODAY = date(2024, 3, 20)
D15 = date(2024, 3, 15)


def entry(
    type_id: int | None = None,
    day: date | None = None,
    place: str | None = None,
    summary: str | None = None,
) -> QuickEntry:
    return QuickEntry(type_id=type_id, day=day, place=place, summary=summary, date_error=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Complete, in the documented order and reordered.
        (
            "视察 2024-03-15 洛阳博物馆 文旅文创融合调研",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅文创融合调研"),
        ),
        (
            "2024-03-15 视察 洛阳博物馆 文旅文创融合调研",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅文创融合调研"),
        ),
        (
            "洛阳博物馆 文旅文创融合调研 视察 3月15日",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅文创融合调研"),
        ),
        (
            "洛阳博物馆 2024/3/15 视察 文旅 文创 融合",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅 文创 融合"),
        ),
        # Missing parts stay None.
        ("视察 2024-03-15 文旅文创融合调研", entry(INSPECTION, D15, None, "文旅文创融合调研")),
        ("视察 2024-03-15", entry(INSPECTION, D15)),
        ("视察", entry(INSPECTION)),
        (
            "视察 洛阳博物馆 文旅文创融合调研",
            entry(INSPECTION, None, "洛阳博物馆", "文旅文创融合调研"),
        ),
        (
            "2024-03-15 洛阳博物馆 文旅文创融合调研",
            entry(None, D15, "洛阳博物馆", "文旅文创融合调研"),
        ),
        ("昨天", entry(None, date(2024, 3, 19))),
        ("", entry()),
        ("   ", entry()),
        # Full-width digits, dashes and spaces.
        (
            "视察\u3000２０２４－０３－１５\u3000\u3000洛阳博物馆\u3000文旅调研",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅调研"),
        ),
        ("３月１５日 接待 联络站", entry(RECEPTION, D15, None, "联络站")),
        # Aliases, and the longest name that starts at a word.
        (
            "接待选民 今天 新华街道联络站 接待群众12人",
            entry(RECEPTION, TODAY, "新华街道联络站", "接待群众12人"),
        ),
        (
            "专题调研 上周三 孟津区 乡村振兴",
            entry(RESEARCH, date(2024, 3, 13), "孟津区", "乡村振兴"),
        ),
        ("人代会 2024-01-20 郑州", entry(SESSION, date(2024, 1, 20), None, "郑州")),
        # English names, case-insensitive, several words long.
        (
            "inspection today Museum Culture and tourism",
            entry(INSPECTION, TODAY, "Museum", "Culture and tourism"),
        ),
        (
            "Law-enforcement inspection 3/15 Riverside Water law",
            entry(LAW, D15, "Riverside", "Water law"),
        ),
        (
            "REPORT TO VOTERS yesterday Hall Annual report",
            entry(REPORT, date(2024, 3, 19), "Hall", "Annual report"),
        ),
        ("yesterday Hall Attending as observer", entry(OBSERVER, date(2024, 3, 19), None, "Hall")),
        ("group meeting 3.15 Room 2", entry(GROUP, D15, "Room", "2")),
        # The first type named wins; another type's name later is an ordinary word.
        ("调研 视察 3.15 黄河", entry(RESEARCH, D15, "视察", "黄河")),
        # A Chinese type name run into the first word decides, even over a later type word.
        (
            "视察洛阳博物馆 3.15 文旅文创融合调研",
            entry(INSPECTION, D15, "洛阳博物馆", "文旅文创融合调研"),
        ),
        ("视察洛阳博物馆 3.15 文旅 调研", entry(INSPECTION, D15, "洛阳博物馆", "文旅 调研")),
        ("接待群众联络站 调研 今天", entry(RECEPTION, TODAY, "联络站", "调研")),
        ("接待群众新华街道联络站 今天", entry(RECEPTION, TODAY, None, "新华街道联络站")),
        ("学习培训党的二十大精神", entry(TRAINING, None, None, "党的二十大精神")),
        # ...but only as the first word; English names never inside words.
        ("3.15 洛阳 学习贯彻精神", entry(None, D15, "洛阳", "学习贯彻精神")),
        ("reports 3.15 Hall", entry(None, D15, "reports", "Hall")),
        # A number that is no date, and a second date, are ordinary words.
        ("视察 3号楼 2024-03-15 会议", entry(INSPECTION, D15, "3号楼", "会议")),
        ("视察 3-15 3-14 黄河", entry(INSPECTION, D15, "3-14", "黄河")),
        ("视察 15 人", entry(INSPECTION, None, "15", "人")),
    ],
)
def test_parse_quick(text: str, expected: QuickEntry) -> None:
    assert parse_quick(text, types=TYPES, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "place", "summary"),
    [
        ("视察 2024-02-30 洛阳博物馆 调研", "洛阳博物馆", "调研"),
        ("视察 13月1日 洛阳博物馆", None, "洛阳博物馆"),
        ("视察 ３－３２", None, None),
        ("视察 上周八 黄河", None, "黄河"),
    ],
)
def test_a_date_shaped_word_that_is_no_date_is_reported(
    text: str, place: str | None, summary: str | None
) -> None:
    parsed = parse_quick(text, types=TYPES, today=TODAY)
    assert parsed.type_id == INSPECTION
    assert parsed.day is None
    assert parsed.date_error is not None
    assert parsed.date_error.problem is DateProblem.nonsense
    assert (parsed.place, parsed.summary) == (place, summary)


def test_a_valid_date_wins_over_a_broken_one() -> None:
    parsed = parse_quick("视察 2024-02-30 3-15 黄河", types=TYPES, today=TODAY)
    assert (parsed.day, parsed.date_error) == (D15, None)
    assert (parsed.place, parsed.summary) == ("2024-02-30", "黄河")


def test_a_future_date_is_left_to_the_flow_to_refuse() -> None:
    parsed = parse_quick("视察 2024-12-01", types=TYPES, today=TODAY)
    assert (parsed.day, parsed.date_error) == (date(2024, 12, 1), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("视察洛阳博物馆，了解文旅融合情况", INSPECTION),
        ("视察 洛阳博物馆", INSPECTION),
        ("\u3000接待选民 12人", RECEPTION),
        ("接待群众12人", RECEPTION),
        ("Research at the museum", RESEARCH),
        ("law-enforcement inspection of the river", LAW),
        ("今天去洛阳博物馆视察", None),
        ("你好", None),
        ("", None),
        ("inspections today", None),
    ],
)
def test_starts_with_type(text: str, expected: int | None) -> None:
    assert starts_with_type(text, TYPES) == expected


def test_type_words_are_folded_and_unique() -> None:
    kind = ActivityType(
        id=3,
        code="x",
        name_zh="视察",
        name_en="Ｉｎｓｐｅｃｔｉｏｎ",
        aliases=["inspection", "", "视察"],
        points=1,
    )
    assert type_words([kind, ActivityType(code="new", name_zh="新", name_en="New", points=1)]) == [
        TypeWords(type_id=3, words=("视察", "inspection"))
    ]


def test_a_word_two_types_share_names_the_first() -> None:
    shared = [TypeWords(1, ("会议",)), TypeWords(2, ("会议", "座谈"))]
    assert parse_quick("会议 座谈", types=shared, today=TODAY).type_id == 1
