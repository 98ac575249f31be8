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


@dataclass(frozen=True)
class Chosen:
    """Everyone holding an active mandate in any of the chosen delegations, groups or stations,
    and only within `scope` (None: every delegation). A station receives representatives of
    every delegation, so a station chosen by a staff member reaches only those of their scope."""

    scope: frozenset[int] | None
    delegation_ids: frozenset[int] = frozenset()
    group_ids: frozenset[int] = frozenset()
    station_ids: frozenset[int] = frozenset()

    def describe(self) -> dict[str, Any]:
        return {
            "chosen": {
                "scope": None if self.scope is None else sorted(self.scope),
                "delegations": sorted(self.delegation_ids),
                "groups": sorted(self.group_ids),
                "stations": sorted(self.station_ids),
            }
        }


Audience = People | Representatives | Chosen


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
