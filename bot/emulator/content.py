"""What Telegram accepts as message content: text, caption and reply markup."""

from __future__ import annotations

from typing import Any

from bot.emulator.entities import Entity, UserResolver, utf16_len
from bot.emulator.errors import JsonDict, bad_request
from bot.emulator.html_entities import parse_html

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
# Telegram orders entities by offset, then longer first, then by this type priority.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
# TDLib trims ASCII whitespace and control characters around a text, not Unicode spaces.
_TRIMMED = "".join(chr(code) for code in range(0x21))


def _contains(block: Entity, entity: Entity) -> bool:
    return block is not entity and block.offset <= entity.offset <= entity.end <= block.end


def _finish(text: str, entities: list[Entity]) -> tuple[str, list[JsonDict]]:
    """Trim surrounding whitespace like Telegram and render sorted entity objects."""
    lead = len(text) - len(text.lstrip(_TRIMMED))
    stripped = text[lead:].rstrip(_TRIMMED)
    total = utf16_len(stripped)
    # Nothing may nest inside code or pre on Telegram; such inner entities are dropped.
    blocks = [e for e in entities if e.type in ("code", "pre")]
    rendered: list[tuple[int, int, int, JsonDict]] = []
    for entity in entities:
        if any(
            b is not entity and b.offset <= entity.offset <= entity.end <= b.end for b in blocks
        ):
            continue
        start, end = max(entity.offset - lead, 0), min(entity.end - lead, total)
        if end <= start:
            continue
        body = {"offset": start, "length": end - start, "type": entity.type, **entity.extra}
        rendered.append((start, start - end, _PRIORITY.get(entity.type, 50), body))
    rendered.sort(key=lambda item: item[:3])
    return stripped, [item[3] for item in rendered]


def _given_entities(raw: Any) -> list[Entity]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise bad_request("can't parse entities JSON object")
    try:
        return [
            Entity(
                str(e["type"]),
                int(e["offset"]),
                int(e["length"]),
                {k: v for k, v in e.items() if k not in ("type", "offset", "length")},
            )
            for e in raw
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise bad_request("can't parse entities JSON object") from error


def format_text(
    text: str,
    parse_mode: str | None,
    entities: Any = None,
    resolve_user: UserResolver | None = None,
) -> tuple[str, list[JsonDict]]:
    """Turn a sent text and its parse mode into what Telegram stores: text and entities.

    Markdown modes pass the text through unparsed: the bots here send HTML only.
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _finish(*parse_html(text, resolve_user))
    if mode not in ("", "markdown", "markdownv2"):
        raise bad_request("unsupported parse_mode")
    return _finish(text, _given_entities(entities))


def message_text(
    text: str | None, parse_mode: str | None, entities: Any, resolve_user: UserResolver | None
) -> tuple[str, list[JsonDict]]:
    plain, parsed = format_text(text or "", parse_mode, entities, resolve_user)
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return plain, parsed


def caption_text(
    caption: str | None, parse_mode: str | None, entities: Any, resolve_user: UserResolver | None
) -> tuple[str, list[JsonDict]]:
    plain, parsed = format_text(caption or "", parse_mode, entities, resolve_user)
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return plain, parsed


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a string")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = set(button) - {"text"}
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and (
        not isinstance(button["url"], str) or not button["url"].strip() or " " in button["url"]
    ):
        raise bad_request("BUTTON_URL_INVALID")


def parse_markup(markup: Any) -> JsonDict | None:
    """Validate reply_markup; only inline keyboards are checked in depth, like Telegram."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse inline keyboard markup: rows must be arrays")
        for row in rows:
            for button in row:
                _check_inline_button(button)
        return {"inline_keyboard": rows}
    if not {"keyboard", "remove_keyboard", "force_reply"} & set(markup):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return dict(markup)


def find_button(markup: JsonDict | None, *, data: str | None, text: str | None) -> JsonDict | None:
    """The inline button a user can press, matched by callback data or by its label."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if "callback_data" not in button:
                continue
            if (data is not None and button["callback_data"] == data) or (
                text is not None and button["text"] == text
            ):
                return dict(button)
    return None
