"""The demo's rendering: Chinese takes two columns, styles survive wrapping, boxes align."""

from __future__ import annotations

import re
from pathlib import Path

from bot.demo.people import DemoUser, cast_table
from bot.demo.render import Look, Seen, message_lines, sent_file
from bot.demo.style import JsonDict, styled
from bot.demo.width import RESET, split_lines, width, wrap

PLAIN = Look(ansi=False, columns=40)
ANSI = Look(ansi=True, columns=40)
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _message(**content: object) -> Seen:
    message: JsonDict = {"message_id": 7, "from": {"first_name": "代表联络助手"}, **content}
    return Seen("new", "", {"message_id": 7, "deleted": False, "message": message})


def test_chinese_counts_two_columns_and_styling_none() -> None:
    assert width("代表 ab") == 7
    assert width("\x1b[0;1m王建国\x1b[0m") == 6
    assert width("e\u0301") == 1  # a combining accent takes no column
    assert width("——…") == 3  # ambiguous-width punctuation is narrow


def test_chinese_wraps_anywhere_and_latin_at_spaces() -> None:
    chinese = wrap("本助手为人大代表和代表联络工作人员服务。", 11)
    assert chinese == ["本助手为人", "大代表和代", "表联络工作", "人员服务。"]
    assert all(width(piece) <= 11 for piece in chinese)
    assert wrap("Send /help to see what you can use.", 16) == [
        "Send /help to",
        "see what you can",
        "use.",
    ]


def test_a_style_is_closed_at_a_break_and_reopened_on_the_next_line() -> None:
    bold = "\x1b[0;1m"
    pieces = wrap(f"{bold}代表联络助手{RESET}", 6)
    assert pieces == [f"{bold}代表联{RESET}", f"{bold}络助手{RESET}"]
    assert split_lines(f"{bold}一\n二{RESET}") == [f"{bold}一{RESET}", f"{bold}二{RESET}"]


def _entity(kind: str, offset: int, length: int) -> JsonDict:
    return {"type": kind, "offset": offset, "length": length}


def test_entities_count_utf16_units_and_nest() -> None:
    # The emoji is two UTF-16 units, so "名" starts at offset 3 as Telegram counts.
    text = "😀 名字 and code"
    entities = [_entity("bold", 3, 2), _entity("code", 10, 4)]
    assert styled(text, entities, ansi=False) == "😀 *名字* and `code`"
    nested = [_entity("bold", 0, 11), _entity("italic", 5, 6)]
    assert styled("bold italic", nested, ansi=False) == "*bold _italic_*"
    assert styled("bold italic", nested, ansi=True) == (
        "\x1b[0;1mbold \x1b[0;1;3mitalic\x1b[0;1m\x1b[0m"
    )


def test_a_text_link_shows_where_it_goes() -> None:
    link = {"type": "text_link", "offset": 0, "length": 2, "url": "https://example.org/"}
    assert styled("详情", [link], ansi=False) == "详情 <https://example.org/>"
    assert "https://example.org/" in _SGR.sub("", styled("详情", [link], ansi=True))


def test_a_box_keeps_its_right_border_straight_with_chinese_text() -> None:
    seen = _message(
        text="王建国，您好！\n\n您可以使用：\n/help — 我能为您做什么",
        entities=[{"type": "bold", "offset": 0, "length": 3}],
    )
    for look in (PLAIN, ANSI):
        lines = message_lines(seen, look)
        assert len({width(line) for line in lines}) == 1, lines
        assert width(lines[0]) <= look.columns
    assert message_lines(seen, PLAIN)[1] == "│ *王建国*，您好！       │"


def test_long_text_wraps_inside_the_box() -> None:
    lines = message_lines(_message(text="本助手为人大代表和代表联络工作人员服务。" * 3), PLAIN)
    assert {width(line) for line in lines} == {40}
    assert len(lines) == 2 + 4


def test_buttons_are_numbered_across_rows() -> None:
    keyboard = {
        "inline_keyboard": [
            [{"text": "导入", "callback_data": "a"}, {"text": "取消", "callback_data": "b"}],
            [{"text": "说明", "url": "https://example.org/"}],
        ]
    }
    lines = message_lines(_message(text="预览", reply_markup=keyboard), PLAIN)
    assert lines[-2:] == ["  [1] 导入   [2] 取消", "  [3] 说明 ↗ https://example.org/"]


def test_photos_and_documents_are_one_line_with_their_size() -> None:
    photo = [
        {"width": 90, "height": 90, "file_size": 300},
        {"width": 450, "height": 450, "file_size": 2048},
    ]
    photo_lines = message_lines(_message(photo=photo, caption="郑雅琴"), PLAIN)
    assert photo_lines[1].startswith("│ [照片 photo] 450×450 · 2.0 KB")
    assert photo_lines[2].startswith("│ 郑雅琴")
    document = {"file_name": "roster.csv", "file_size": 812}
    assert (
        "[文件 document] roster.csv · 812 B" in message_lines(_message(document=document), PLAIN)[1]
    )


def test_edits_pop_ups_and_deletions_are_marked() -> None:
    edited = Seen("edited", "", _message(text="Language set: English.").view)
    assert "已编辑 edited" in message_lines(edited, PLAIN)[0]
    assert message_lines(Seen("alert", "该按钮已失效"), PLAIN) == ["  (弹窗 pop-up) 该按钮已失效"]
    deleted = Seen("deleted", "", _message(text="x").view)
    assert message_lines(deleted, PLAIN) == ["  (消息已删除 message 7 deleted)"]


def test_a_sent_file_shows_its_size(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_bytes(b"x" * 2000)
    assert sent_file(path) == "[文件 document] 名册.csv · 2.0 KB"
    assert sent_file(tmp_path / "missing.csv") == "[文件 document] missing.csv"


def test_the_users_table_lines_up_names_of_any_width() -> None:
    cast = [
        DemoUser("王建国", 910_001, "小组组长 group leader"),
        DemoUser("访客", 910_099, "未在名册中 not on the roster"),
        DemoUser("赵丽娟", 910_021, "未绑定 not linked yet", "ABCD-EFGH"),
    ]
    lines = cast_table(cast, cast[0])
    assert [line.index("9100") for line in lines] == [11, 12, 11]
    assert [width(line[: line.index("9100")]) for line in lines] == [14, 14, 14]
    assert lines[0].startswith("›")
    assert lines[2].endswith("邀请码 code ABCD-EFGH")
