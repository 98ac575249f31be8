from __future__ import annotations

import re

from services.text import esc, split_text


def test_escape_tags_and_ampersands() -> None:
    assert esc("<b>王&李</b>") == "&lt;b&gt;王&amp;李&lt;/b&gt;"
    assert esc('say "hi"') == "say &quot;hi&quot;"
    assert esc(42) == "42"


def _chinese_text(length: int) -> str:
    sentence = "代表们深入社区走访群众，认真倾听意见建议；会后形成调研报告！是否还需要补充？"
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < length:
        paragraphs.append(sentence * 7)
    return "\n\n".join(paragraphs)[:length]


def test_ten_thousand_chinese_characters_split_at_boundaries() -> None:
    text = _chinese_text(10_000)
    parts = split_text(text)
    assert len(parts) == 3
    assert all(0 < len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    for part in parts[:-1]:
        assert part[-1] in "。！？；，" or part.endswith("\n"), part[-5:]


def test_a_single_huge_paragraph_splits_at_sentence_ends() -> None:
    text = "这是一句话。" * 2000
    parts = split_text(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert all(p.endswith("。") for p in parts)
    assert "".join(parts) == text


def test_open_tags_are_closed_and_reopened() -> None:
    text = "<b>" + "加粗内容。" * 600 + "</b>"
    parts = split_text(text, limit=1000)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 1000
        assert part.count("<b>") == part.count("</b>") == 1


def test_no_cut_inside_an_entity() -> None:
    text = ("a&amp;b " * 300).strip()
    parts = split_text(text, limit=100)
    for part in parts:
        assert not re.search(r"&[a-z]*$", part), part


def test_short_text_is_one_part() -> None:
    assert split_text("你好") == ["你好"]
