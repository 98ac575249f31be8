"""Bot API methods that put messages into chats: send, copy, forward, delete, chat actions."""

from __future__ import annotations

from typing import Any

from bot.emulator.call import Call, Handler, deliver
from bot.emulator.content import caption_text, message_text, parse_markup
from bot.emulator.errors import JsonDict, bad_request
from bot.emulator.records import StoredMessage

_ACTION_SUBJECTS = ("photo", "video", "voice", "document", "video_note")
CHAT_ACTIONS = frozenset(
    {"typing", "choose_sticker", "find_location", "record_video", "record_voice"}
    | {f"upload_{subject}" for subject in _ACTION_SUBJECTS}
    | {"record_video_note"}
)
# What a copy or forward carries over from the original message.
_COPIED_FIELDS = (
    "text",
    "entities",
    "photo",
    "document",
    "location",
    "caption",
    "caption_entities",
)


async def send_message(call: Call) -> JsonDict:
    params = call.params
    chat = call.target_chat()
    text, entities = message_text(
        params.opt_string("text"),
        params.opt_string("parse_mode"),
        params.json("entities"),
        call.state.user_json,
    )
    markup = parse_markup(params.json("reply_markup"))
    content: JsonDict = {"text": text}
    if entities:
        content["entities"] = entities
    return deliver(call, chat, content, markup).message


async def send_location(call: Call) -> JsonDict:
    params = call.params
    chat = call.target_chat()
    latitude, longitude = params.number("latitude"), params.number("longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong location specified")
    markup = parse_markup(params.json("reply_markup"))
    content = {"location": {"latitude": latitude, "longitude": longitude}}
    return deliver(call, chat, content, markup).message


async def send_chat_action(call: Call) -> bool:
    call.target_chat()
    if call.params.string("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def delete_message(call: Call) -> bool:
    chat = call.chat()
    log = call.bot.chat_log(int(chat["id"]))
    stored = log.find(call.params.integer("message_id"))
    if stored is None:
        raise bad_request("message to delete not found")
    stored.deleted = True
    log.touch()
    return True


def _original(call: Call, action: str) -> StoredMessage:
    source = call.chat("from_chat_id")
    stored = call.bot.chat_log(int(source["id"])).find(call.params.integer("message_id"))
    if stored is None:
        raise bad_request(f"message to {action} not found")
    return stored


def _copied_content(original: StoredMessage) -> JsonDict:
    return {key: original.message[key] for key in _COPIED_FIELDS if key in original.message}


async def copy_message(call: Call) -> JsonDict:
    params = call.params
    original = _original(call, "copy")
    chat = call.target_chat()
    content = _copied_content(original)
    if params.has("caption") and "text" not in content:
        caption, entities = caption_text(
            params.opt_string("caption"),
            params.opt_string("parse_mode"),
            params.json("caption_entities"),
            call.state.user_json,
        )
        content.pop("caption_entities", None)
        content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
    markup = parse_markup(params.json("reply_markup"))
    return {"message_id": deliver(call, chat, content, markup).message_id}


async def forward_message(call: Call) -> JsonDict:
    original = _original(call, "forward")
    chat = call.target_chat()
    origin: dict[str, Any] = {
        "type": "user",
        "sender_user": original.message["from"],
        "date": original.message["date"],
    }
    content = {"forward_origin": origin, **_copied_content(original)}
    return deliver(call, chat, content, None).message


METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendLocation": send_location,
    "sendChatAction": send_chat_action,
    "deleteMessage": delete_message,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
}
