"""A piece rewritten by staff and the editor's note, as typed in the chat."""

from __future__ import annotations

import pytest

from services.bulletins.assembly import Piece
from services.bulletins.assembly_text import BadNote, BadPiece, as_text, editors_note, rewritten

PIECE = Piece(activity_id=7, heading="旧标题", paragraphs=["旧正文。"], source="（洛阳供稿）")


def test_first_line_heading_then_paragraphs_and_a_source_line_if_given() -> None:
    piece = rewritten(PIECE, "## 新标题\n\n第一段。\n第二段\n")
    assert (piece.activity_id, piece.heading, piece.paragraphs, piece.source) == (
        7,
        "新标题",
        ["第一段。", "第二段"],
        "（洛阳供稿）",
    )
    piece = rewritten(PIECE, "新标题\n正文。\n（洛阳市人大常委会人事代表工委供稿）")
    assert piece.source == "（洛阳市人大常委会人事代表工委供稿）"
    assert as_text(piece) == "新标题\n正文。\n（洛阳市人大常委会人事代表工委供稿）"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", BadPiece.heading),
        ("只有标题", BadPiece.empty),
        ("标题\n（洛阳供稿）", BadPiece.empty),
        ("题" * 300 + "\n正文。", BadPiece.heading),
        ("标题\n" + "字" * 60_001, BadPiece.long),
    ],
)
def test_a_piece_without_heading_or_text_is_refused(text: str, message: str) -> None:
    with pytest.raises(BadPiece) as refused:
        rewritten(PIECE, text)
    assert refused.value.message == message


def test_the_note_is_one_paragraph_without_its_label() -> None:
    assert editors_note("编者按：本期刊发\n各地做法。") == "本期刊发各地做法。"
    assert editors_note("") == ""
    with pytest.raises(BadNote):
        editors_note("字" * 3_001)
