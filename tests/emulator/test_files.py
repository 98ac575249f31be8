"""Photos and documents: uploads, file_id reuse, loopback URLs, getFile and downloads."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.emulator import Emulator
from tests.emulator.helpers import BotApi, png_bytes


async def _upload(
    api: BotApi, method: str, field: str, data: bytes, name: str, **fields: str
) -> dict[str, Any]:
    response = await api.http.post(
        f"/bot{api.token}/{method}", data=fields, files={field: (name, data)}
    )
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def file_server() -> AsyncIterator[str]:
    """A local web server with one PDF on it, standing in for a URL a bot sends."""
    app = web.Application()

    async def report(request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4 report", content_type="application/pdf")

    app.router.add_get("/files/report.pdf", report)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    await runner.cleanup()


async def test_photo_upload_reports_sizes_and_can_be_downloaded(
    api: BotApi, emulator_user: int
) -> None:
    image = png_bytes(640, 480)
    body = await _upload(
        api,
        "sendPhoto",
        "photo",
        image,
        "p.png",
        chat_id=str(emulator_user),
        caption="<b>图</b>",
        parse_mode="HTML",
    )
    message = body["result"]
    assert [(size["width"], size["height"]) for size in message["photo"]] == [
        (320, 240),
        (640, 480),
    ]
    assert message["caption"] == "图"
    assert message["caption_entities"] == [{"offset": 0, "length": 1, "type": "bold"}]
    largest = message["photo"][-1]
    file = await api.ok("getFile", file_id=largest["file_id"])
    assert file["file_size"] == len(image)
    download = await api.http.get(f"/file/bot{api.token}/{file['file_path']}")
    assert download.status_code == 200
    assert download.content == image
    missing = await api.http.get(f"/file/bot{api.token}/photos/nothing.jpg")
    assert missing.status_code == 404
    assert missing.json()["description"] == "Not Found"


async def test_photos_must_be_images_and_captions_short(api: BotApi, emulator_user: int) -> None:
    body = await _upload(
        api, "sendPhoto", "photo", b"not an image", "p.png", chat_id=str(emulator_user)
    )
    assert (body["error_code"], body["description"]) == (400, "Bad Request: IMAGE_PROCESS_FAILED")
    body = await _upload(
        api,
        "sendPhoto",
        "photo",
        png_bytes(2, 2),
        "p.png",
        chat_id=str(emulator_user),
        caption="长" * 1025,
    )
    assert body["description"] == "Bad Request: message caption is too long"


async def test_a_document_file_id_is_reused_and_checked(api: BotApi, emulator_user: int) -> None:
    body = await _upload(
        api, "sendDocument", "document", b"a,b\n1,2\n", "活动.csv", chat_id=str(emulator_user)
    )
    document = body["result"]["document"]
    assert document["file_name"] == "活动.csv"
    assert document["mime_type"] == "text/csv"
    assert document["file_size"] == 8
    again = await api.ok("sendDocument", chat_id=emulator_user, document=document["file_id"])
    assert again["document"]["file_id"] == document["file_id"]
    _, unknown, _ = await api.error("sendDocument", chat_id=emulator_user, document="nope")
    assert unknown == "Bad Request: wrong file identifier/HTTP URL specified"
    _, wrong_kind, _ = await api.error(
        "sendPhoto", chat_id=emulator_user, photo=document["file_id"]
    )
    assert wrong_kind == "Bad Request: can't use file of type Document as Photo"
    _, nothing, _ = await api.error("sendDocument", chat_id=emulator_user)
    assert nothing == "Bad Request: there is no document in the request"


async def test_documents_by_url_are_fetched_only_from_loopback(
    api: BotApi, emulator_user: int, file_server: str
) -> None:
    sent = await api.ok(
        "sendDocument", chat_id=emulator_user, document=f"{file_server}/files/report.pdf"
    )
    assert sent["document"]["file_name"] == "report.pdf"
    assert sent["document"]["mime_type"] == "application/pdf"
    file = await api.ok("getFile", file_id=sent["document"]["file_id"])
    download = await api.http.get(f"/file/bot{api.token}/{file['file_path']}")
    assert download.content == b"%PDF-1.4 report"
    _, remote, _ = await api.error(
        "sendDocument", chat_id=emulator_user, document="https://example.com/report.pdf"
    )
    assert remote == "Bad Request: failed to get HTTP URL content"
    _, absent, _ = await api.error(
        "sendDocument", chat_id=emulator_user, document=f"{file_server}/files/missing.pdf"
    )
    assert absent == "Bad Request: failed to get HTTP URL content"


async def test_files_users_send_are_available_to_the_bot(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    emulator.users.send_document(emulator_user, b"minutes", "纪要.txt", caption="会议纪要")
    emulator.users.send_photo(emulator_user, png_bytes(100, 50))
    updates = await api.ok("getUpdates")
    document = updates[0]["message"]["document"]
    assert updates[0]["message"]["caption"] == "会议纪要"
    assert document["mime_type"] == "text/plain"
    photo = updates[1]["message"]["photo"]
    assert [(p["width"], p["height"]) for p in photo] == [(100, 50)]
    file = await api.ok("getFile", file_id=document["file_id"])
    download = await api.http.get(f"/file/bot{api.token}/{file['file_path']}")
    assert download.content == b"minutes"
    _, invalid, _ = await api.error("getFile", file_id="missing")
    assert invalid == "Bad Request: invalid file_id"
