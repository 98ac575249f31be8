"""A broadcast's content as the dialog keeps it between steps (JSON), and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.deliveries.model import (
    CAPTION_LIMIT,
    DocumentContent,
    PhotoContent,
    TextContent,
)
from services.errors import BadInput
from services.i18n_marks import N_

BroadcastContent = TextContent | PhotoContent | DocumentContent

NO_CONTENT = N_(
    "This cannot be broadcast. Send a text (formatting is kept), a photo or a document, "
    "with a caption if you like; or /cancel."
)
CAPTION_TOO_LONG = N_("A caption can be at most {limit} characters. Please send it shorter.")


def checked(content: BroadcastContent | None) -> BroadcastContent:
    """The content, or BadInput when there is nothing to send."""
    if content is None:
        raise BadInput(NO_CONTENT)
    if isinstance(content, TextContent):
        if not content.text.strip():
            raise BadInput(NO_CONTENT)
    elif len(content.caption or "") > CAPTION_LIMIT:
        raise BadInput(CAPTION_TOO_LONG, limit=CAPTION_LIMIT)
    return content


def to_data(content: BroadcastContent) -> dict[str, Any]:
    if isinstance(content, TextContent):
        return {"kind": "text", "text": content.text, "entities": _dicts(content.entities)}
    kind = "photo" if isinstance(content, PhotoContent) else "document"
    return {
        "kind": kind,
        "file_id": content.file_id,
        "caption": content.caption,
        "entities": _dicts(content.caption_entities),
    }


def from_data(data: Mapping[str, Any] | None) -> BroadcastContent | None:
    if not data:
        return None
    entities = tuple(dict(entity) for entity in data.get("entities") or ())
    if data.get("kind") == "text":
        return TextContent(text=str(data.get("text") or ""), entities=entities)
    if data.get("kind") in ("photo", "document") and data.get("file_id"):
        kind = PhotoContent if data["kind"] == "photo" else DocumentContent
        return kind(
            file_id=str(data["file_id"]), caption=data.get("caption"), caption_entities=entities
        )
    return None


def _dicts(entities: Any) -> list[dict[str, Any]]:
    return [dict(entity) for entity in entities]
