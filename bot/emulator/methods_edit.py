"""Bot API methods that change sent messages, and the answer to a pressed inline button."""

from __future__ import annotations

from bot.emulator.call import Call, Handler, apply_edit, editable, inline_markup
from bot.emulator.content import caption_text, message_text, parse_markup
from bot.emulator.errors import JsonDict, bad_request

MAX_CALLBACK_ANSWER = 200
_MEDIA_FIELDS = ("photo", "document")


async def edit_message_text(call: Call) -> JsonDict:
    params = call.params
    stored = editable(call)
    if "text" not in stored.message:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(
        params.opt_string("text"),
        params.opt_string("parse_mode"),
        params.json("entities"),
        call.state.user_json,
    )
    markup = inline_markup(parse_markup(params.json("reply_markup")))
    # An edit without reply_markup removes the keyboard, as on Telegram.
    return apply_edit(stored, {"text": text, "entities": entities, "reply_markup": markup})


async def edit_message_caption(call: Call) -> JsonDict:
    params = call.params
    stored = editable(call)
    if not any(field in stored.message for field in _MEDIA_FIELDS):
        raise bad_request("there is no caption in the message to edit")
    caption, entities = caption_text(
        params.opt_string("caption"),
        params.opt_string("parse_mode"),
        params.json("caption_entities"),
        call.state.user_json,
    )
    markup = inline_markup(parse_markup(params.json("reply_markup")))
    changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
    return apply_edit(stored, changes)


async def edit_message_reply_markup(call: Call) -> JsonDict:
    stored = editable(call)
    markup = inline_markup(parse_markup(call.params.json("reply_markup")))
    return apply_edit(stored, {"reply_markup": markup})


async def answer_callback_query(call: Call) -> bool:
    params = call.params
    callback_id = params.string("callback_query_id")
    answers = call.bot.callback_answers
    # A query can be answered once; Telegram treats a second answer like an expired one.
    if callback_id not in answers or answers[callback_id] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.opt_string("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    answers[callback_id] = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.opt_string("url"),
        "cache_time": params.opt_integer("cache_time") or 0,
    }
    return True


METHODS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
}
