"""What a delivery sends (content) and to whom (audience), as callers describe them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class People:
    """These people, by id."""

    person_ids: Sequence[int]

    def describe(self) -> dict[str, Any]:
        return {"people": len(self.person_ids)}


@dataclass(frozen=True)
class Representatives:
    """Everyone holding an active mandate in these delegations; None: in every delegation
    (a staff member's scope is passed as it is)."""

    delegation_ids: frozenset[int] | None = None

    def describe(self) -> dict[str, Any]:
        ids = None if self.delegation_ids is None else sorted(self.delegation_ids)
        return {"representatives": ids}


Audience = People | Representatives


@dataclass(frozen=True)
class TemplateContent:
    """A registered template (services.deliveries.templates), rendered for each recipient at
    send time in their language; `params` must be JSON values."""

    template_id: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TextContent:
    """Plain text with its Telegram entities (MessageEntity dicts), as a message carried it."""

    text: str
    entities: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class PhotoContent:
    file_id: str
    caption: str | None = None
    caption_entities: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class DocumentContent:
    file_id: str
    caption: str | None = None
    caption_entities: Sequence[Mapping[str, Any]] = ()


Content = TemplateContent | TextContent | PhotoContent | DocumentContent
