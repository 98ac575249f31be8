"""Bot API methods for files: sendPhoto, sendDocument and getFile."""

from __future__ import annotations

from bot.emulator.call import Call, Handler, deliver
from bot.emulator.content import caption_text, parse_markup
from bot.emulator.errors import JsonDict, bad_request
from bot.emulator.files import FileRecord


async def _input_files(call: Call, kind: str) -> list[FileRecord]:
    """Resolve an InputFile: a multipart upload, a re-used file_id or a (loopback) URL."""
    if not call.params.has(kind):
        raise bad_request(f"there is no {kind} in the request")
    files = call.state.files
    given = call.params.file(kind)
    if isinstance(given, str) and given.startswith(("http://", "https://")):
        given = await files.fetch(given)
    if isinstance(given, str):
        return [files.reuse(given, kind)]
    if kind == "photo":
        return files.add_photo(given.data)
    return [files.add_document(given)]


def _caption(call: Call) -> JsonDict:
    params = call.params
    caption, entities = caption_text(
        params.opt_string("caption"),
        params.opt_string("parse_mode"),
        params.json("caption_entities"),
        call.state.user_json,
    )
    content: JsonDict = {}
    if caption:
        content["caption"] = caption
    if entities:
        content["caption_entities"] = entities
    return content


async def send_photo(call: Call) -> JsonDict:
    chat = call.target_chat()
    caption = _caption(call)
    markup = parse_markup(call.params.json("reply_markup"))
    sizes = await _input_files(call, "photo")
    content = {"photo": [size.to_photo_size() for size in sizes], **caption}
    return deliver(call, chat, content, markup).message


async def send_document(call: Call) -> JsonDict:
    chat = call.target_chat()
    caption = _caption(call)
    markup = parse_markup(call.params.json("reply_markup"))
    (document,) = await _input_files(call, "document")
    content = {"document": document.to_document(), **caption}
    return deliver(call, chat, content, markup).message


async def get_file(call: Call) -> JsonDict:
    record = call.state.files.get(call.params.string("file_id"))
    if record is None:
        raise bad_request("invalid file_id")
    if len(record.data) > call.state.settings.max_download_bytes:
        raise bad_request("file is too big")
    return record.to_file()


METHODS: dict[str, Handler] = {
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "getFile": get_file,
}
