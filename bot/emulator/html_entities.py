"""Telegram's HTML parse mode: plain text plus MessageEntity objects with UTF-16 offsets.

The rules follow Telegram's own parser (TDLib ``parse_html``): the same tag set, the same error
texts with UTF-8 byte offsets, empty entities dropped, ``<pre><code class="language-x">`` folded
into one ``pre`` entity, unacceptable link targets dropped silently. One deliberate
difference: an unknown named entity such as ``&nbsp;`` is refused, where Telegram prints it as
is, so a value that skipped ``html.escape`` fails in tests instead of reaching users garbled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.emulator.entities import Entity, UserResolver, normalize_url, utf16_len
from bot.emulator.errors import ApiError, bad_request

_TAG_KINDS = {
    "bold": "b strong",
    "italic": "i em",
    "underline": "u ins",
    "strikethrough": "s strike del",
    "spoiler": "span tg-spoiler",
    "text_link": "a",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "custom_emoji": "tg-emoji",
}
_TAG_TYPES = {tag: kind for kind, tags in _TAG_KINDS.items() for tag in tags.split()}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+)(;?)")
_NAME_TOKEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_MENTION_RE = re.compile(r"tg://user\?id=(\d+)\Z")


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    offset: int
    piece_index: int


class _HtmlParser:
    def __init__(self, source: str, resolve_user: UserResolver | None) -> None:
        self.src = source
        self.resolve_user = resolve_user
        self.pieces: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def fail(self, reason: str) -> ApiError:
        return bad_request(f"can't parse entities: {reason}")

    def at(self, index: int) -> str:
        return f"at byte offset {len(self.src[:index].encode())}"

    def emit(self, text: str) -> None:
        self.pieces.append(text)
        self.utf16 += utf16_len(text)

    def run(self) -> tuple[str, list[Entity]]:
        i, src = 0, self.src
        while i < len(src):
            if src[i] == "&" and (decoded := self.entity(i)) is not None:
                self.emit(decoded[0])
                i = decoded[1]
            elif src[i] == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            else:
                self.emit(src[i])
                i += 1
        if self.stack:
            tag = self.stack[-1].tag
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{tag}"')
        return "".join(self.pieces), self.entities

    def entity(self, index: int) -> tuple[str, int] | None:
        match = _ENTITY_RE.match(self.src, index)
        if match is None:
            return None
        body, whole = match.group(1), match.group(0)
        if body.startswith("#"):
            code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
            if not 0 < code < 0x110000 or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f'Invalid numeric HTML entity "{whole}" {self.at(index)}')
            return chr(code), match.end()
        if body in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[body], match.end()
        if not match.group(2):
            return None  # "AT&T" is ordinary text, as on Telegram
        raise self.fail(f'Unsupported HTML entity "{whole}" {self.at(index)}')

    def skip_spaces(self, j: int) -> int:
        while j < len(self.src) and self.src[j].isspace():
            j += 1
        return j

    def start_tag(self, begin: int) -> int:
        src, j = self.src, begin + 1
        while j < len(src) and not src[j].isspace() and src[j] != ">":
            j += 1
        if j >= len(src):
            raise self.fail(f"Unclosed start tag {self.at(begin)}")
        tag = src[begin + 1 : j].lower()
        if tag not in _TAG_TYPES:
            raise self.fail(f'Unsupported start tag "{tag}" {self.at(begin)}')
        argument = ""
        while True:
            j = self.skip_spaces(j)
            if j >= len(src):
                raise self.fail(f"Unclosed start tag {self.at(begin)}")
            if src[j] == ">":
                break
            name_start = j
            while j < len(src) and not src[j].isspace() and src[j] not in "=>":
                j += 1
            name = src[name_start:j].lower()
            if not name:
                raise self.fail(f'Empty attribute name in the tag "{tag}" {self.at(begin)}')
            j = self.skip_spaces(j)
            if tag == "blockquote" and name == "expandable" and src[j : j + 1] != "=":
                argument = "1"  # the one attribute Telegram takes without a value
                continue
            if j >= len(src) or src[j] != "=":
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"{self.at(begin)}"
                )
            value, j = self.attribute_value(self.skip_spaces(j + 1), begin)
            argument = _tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" {self.at(begin)}')
        self.stack.append(_Open(tag, argument, self.utf16, len(self.pieces)))
        return j + 1

    def attribute_value(self, j: int, begin: int) -> tuple[str, int]:
        src = self.src
        if j >= len(src):
            raise self.fail(f"Unclosed start tag {self.at(begin)}")
        if src[j] not in "'\"":
            token_start = j
            while j < len(src) and src[j] in _NAME_TOKEN:
                j += 1
            if j >= len(src) or not (src[j].isspace() or src[j] == ">"):
                raise self.fail(f"Unexpected end of name token {self.at(token_start)}")
            return src[token_start:j].lower(), j
        quote, j, chars = src[j], j + 1, []
        while j < len(src) and src[j] != quote:
            decoded = self.entity(j) if src[j] == "&" else None
            if decoded is not None:
                chars.append(decoded[0])
                j = decoded[1]
            else:
                chars.append(src[j])
                j += 1
        if j >= len(src):
            raise self.fail(f"Unclosed start tag {self.at(begin)}")
        return "".join(chars), j + 1

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise self.fail(f"Unexpected end tag {self.at(begin)}")
        src, j = self.src, begin + 2
        while j < len(src) and not src[j].isspace() and src[j] != ">":
            j += 1
        name = src[begin + 2 : j].lower()
        j = self.skip_spaces(j)
        if j >= len(src) or src[j] != ">":
            raise self.fail(f"Unclosed end tag {self.at(begin)}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.fail(
                f'Unmatched end tag {self.at(begin)}, expected "</{opened.tag}>", found "</{name}>"'
            )
        if self.utf16 > opened.offset:
            self.close(opened, self.utf16 - opened.offset)
        return j + 1

    def close(self, opened: _Open, length: int) -> None:
        kind = _TAG_TYPES[opened.tag]
        entity = Entity(kind, opened.offset, length)
        if kind == "text_link":
            url = opened.argument or "".join(self.pieces[opened.piece_index :])
            linked = self.link_entity(url, entity)
            if linked is None:
                return  # Telegram silently drops links it cannot accept
            entity = linked
        elif kind == "code" and opened.argument:
            entity.extra["language"] = opened.argument
        elif kind == "pre":
            self.fold_inner_code(entity)
        elif kind == "blockquote" and opened.argument:
            entity.type = "expandable_blockquote"
        elif kind == "custom_emoji":
            if not opened.argument.isdigit():
                raise self.fail("Invalid custom emoji identifier specified")
            entity.extra["custom_emoji_id"] = opened.argument
        self.entities.append(entity)

    def fold_inner_code(self, pre: Entity) -> None:
        """``<pre><code class="language-x">`` is one pre entity carrying the language."""
        last = self.entities[-1] if self.entities else None
        if last is None or last.type != "code":
            return
        if last.offset == pre.offset and last.length == pre.length:
            self.entities.pop()
            pre.extra.update(last.extra)

    def link_entity(self, url: str, entity: Entity) -> Entity | None:
        mention = _MENTION_RE.match(url)
        if mention and self.resolve_user is not None:
            user = self.resolve_user(int(mention.group(1)))
            if user is not None:
                return Entity("text_mention", entity.offset, entity.length, {"user": user})
        normalized = normalize_url(url)
        if normalized is None:
            return None
        return Entity("text_link", entity.offset, entity.length, {"url": normalized})


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def parse_html(text: str, resolve_user: UserResolver | None = None) -> tuple[str, list[Entity]]:
    """Strip the markup from ``text``; raise the 400 Telegram sends for malformed HTML."""
    return _HtmlParser(text, resolve_user).run()
