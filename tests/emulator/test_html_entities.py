"""HTML parse mode against Telegram's documented formatting rules."""

from __future__ import annotations

import pytest

from bot.emulator.content import format_text
from bot.emulator.errors import ApiError
from tests.emulator.helpers import BotApi


def test_tags_become_entities_with_utf16_offsets() -> None:
    # The emoji is two UTF-16 code units, so everything after it shifts by two.
    text, entities = format_text("😀 <b>粗体</b> <i>x</i>", "HTML")
    assert text == "😀 粗体 x"
    assert entities == [
        {"offset": 3, "length": 2, "type": "bold"},
        {"offset": 6, "length": 1, "type": "italic"},
    ]


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("strong", "bold"),
        ("em", "italic"),
        ("ins", "underline"),
        ("u", "underline"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("blockquote", "blockquote"),
    ],
)
def test_every_supported_tag(tag: str, kind: str) -> None:
    assert format_text(f"a <{tag}>b</{tag}>", "HTML") == (
        "a b",
        [{"offset": 2, "length": 1, "type": kind}],
    )


def test_spoiler_span_links_and_expandable_quote() -> None:
    source = (
        '<span class="tg-spoiler">s</span> <a href="https://example.org">l</a> '
        '<a href="example.org/x?a=1&amp;b=2">m</a> <blockquote expandable>q</blockquote>'
    )
    text, entities = format_text(source, "HTML")
    assert text == "s l m q"
    assert entities == [
        {"offset": 0, "length": 1, "type": "spoiler"},
        {"offset": 2, "length": 1, "type": "text_link", "url": "https://example.org/"},
        {"offset": 4, "length": 1, "type": "text_link", "url": "http://example.org/x?a=1&b=2"},
        {"offset": 6, "length": 1, "type": "expandable_blockquote"},
    ]


def test_pre_with_code_language_is_one_entity() -> None:
    text, entities = format_text('<pre><code class="language-python">x = 1</code></pre>', "HTML")
    assert text == "x = 1"
    assert entities == [{"offset": 0, "length": 5, "type": "pre", "language": "python"}]


def test_nesting_orders_outer_first_and_code_swallows_inner_entities() -> None:
    assert format_text("<i><b>ab</b></i><code><b>c</b></code>", "HTML") == (
        "abc",
        [
            {"offset": 0, "length": 2, "type": "bold"},
            {"offset": 0, "length": 2, "type": "italic"},
            {"offset": 2, "length": 1, "type": "code"},
        ],
    )


def test_character_references_and_bare_ampersand() -> None:
    text, entities = format_text("&lt;a&gt; &amp; &quot;q&quot; &#20320;&#x597D; AT&T", "HTML")
    assert text == '<a> & "q" 你好 AT&T'
    assert entities == []


def test_surrounding_whitespace_is_trimmed_and_entities_follow() -> None:
    assert format_text("\n  <b>hi</b> there \n", "HTML") == (
        "hi there",
        [{"offset": 0, "length": 2, "type": "bold"}],
    )


def test_user_link_becomes_text_mention_for_known_users() -> None:
    user = {"id": 7, "is_bot": False, "first_name": "A"}
    parsed = format_text('<a href="tg://user?id=7">A</a>', "HTML", resolve_user=lambda _: user)
    assert parsed == ("A", [{"offset": 0, "length": 1, "type": "text_mention", "user": user}])


def test_plain_text_keeps_given_entities_and_markdown_passes_through() -> None:
    given = [{"type": "bold", "offset": 0, "length": 2}]
    assert format_text("hi", None, given) == ("hi", [{"offset": 0, "length": 2, "type": "bold"}])
    assert format_text("*hi*", "MarkdownV2") == ("*hi*", [])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("你<b", "Unclosed start tag at byte offset 3"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("a &nbsp; b", 'Unsupported HTML entity "&nbsp;" at byte offset 2'),
        ("&#xD800;", 'Invalid numeric HTML entity "&#xD800;" at byte offset 0'),
        (
            "<a href>x</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
    ],
)
def test_bad_markup_is_refused_with_telegrams_reason(source: str, reason: str) -> None:
    with pytest.raises(ApiError) as caught:
        format_text(source, "HTML")
    assert caught.value.error_code == 400
    assert caught.value.description == f"Bad Request: can't parse entities: {reason}"


def test_unknown_parse_mode_is_refused() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode")


async def test_send_message_reports_parse_errors_over_http(api: BotApi, emulator_user: int) -> None:
    status, description, _ = await api.error(
        "sendMessage", chat_id=emulator_user, text="<b>open", parse_mode="HTML"
    )
    assert status == 400
    assert description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    sent = await api.ok(
        "sendMessage", chat_id=emulator_user, text="<u>下划线</u>", parse_mode="html"
    )
    assert sent["text"] == "下划线"
    assert sent["entities"] == [{"offset": 0, "length": 3, "type": "underline"}]
