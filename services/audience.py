"""Choosing who receives a broadcast or a bulletin issue: everyone in the staff member's scope,
or chosen delegations, groups and stations within it.

The chooser keeps a `Choice` (plain ids, stored as JSON in the dialog's data), lists what may be
chosen with `audience_options`, and turns the choice into a delivery audience with `resolve`,
which refuses any id outside the scope (a forged button) with `OutOfScope`. `count_audience`
says how many would receive it; `require_recipients` refuses an audience of nobody.

    options = await audience_options(session=session, scope=actor.scope)
    audience = await resolve(session=session, scope=actor.scope, choice=choice)
    count = require_recipients(await count_audience(session=session, audience=audience))
    await enqueue(session=session, audience=audience, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.enqueue import audience_filters
from services.deliveries.model import Chosen, Representatives
from services.errors import DomainError
from services.i18n_marks import N_
from storage.audience import delegations_in, groups_in, stations_in
from storage.deliveries import count_with_account, count_without_account


class Kind(StrEnum):
    everyone = "all"
    delegation = "d"
    group = "g"
    station = "s"


class OutOfScope(DomainError):
    message = N_("That choice is not available to you. Nothing was changed.")


class EmptyAudience(DomainError):
    message = N_(
        "Nobody in this audience can receive messages on Telegram. Choose other delegations, "
        "groups or stations; nothing was sent."
    )


@dataclass(frozen=True)
class Choice:
    everyone: bool = False
    delegation_ids: frozenset[int] = frozenset()
    group_ids: frozenset[int] = frozenset()
    station_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.everyone or self.delegation_ids or self.group_ids or self.station_ids)

    def has(self, kind: Kind, item_id: int) -> bool:
        if kind is Kind.everyone:
            return self.everyone
        return item_id in self.ids_of(kind)

    def toggled(self, kind: Kind, item_id: int) -> Choice:
        """The choice with the item switched; choosing everyone clears the rest, and choosing
        a part clears everyone."""
        if kind is Kind.everyone:
            return Choice(everyone=not self.everyone)
        field = _FIELDS[kind]
        return replace(self, everyone=False, **{field: self.ids_of(kind) ^ {item_id}})

    def to_data(self) -> dict[str, Any]:
        return {
            "everyone": self.everyone,
            **{field: sorted(getattr(self, field)) for field in _FIELDS.values()},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> Choice:
        data = data or {}
        ids = {field: frozenset(int(i) for i in data.get(field, ())) for field in _FIELDS.values()}
        return cls(everyone=bool(data.get("everyone")), **ids)

    def ids_of(self, kind: Kind) -> frozenset[int]:
        found: frozenset[int] = getattr(self, _FIELDS[kind])
        return found


_FIELDS = {Kind.delegation: "delegation_ids", Kind.group: "group_ids", Kind.station: "station_ids"}


@dataclass(frozen=True)
class Option:
    kind: Kind
    id: int
    name: str
    # The group's delegation, when the scope holds more than one.
    within: str | None = None


async def audience_options(*, session: AsyncSession, scope: frozenset[int] | None) -> list[Option]:
    """Delegations, then groups, then stations that may be chosen: all within the scope."""
    delegations = await delegations_in(session=session, scope=scope)
    several = len(delegations) > 1
    groups = await groups_in(session=session, scope=scope)
    stations = await stations_in(session=session, scope=scope)
    return [
        *(Option(Kind.delegation, i, name) for i, name in delegations),
        *(Option(Kind.group, i, name, d if several else None) for i, name, d in groups),
        *(Option(Kind.station, i, name) for i, name in stations),
    ]


async def resolve(
    *, session: AsyncSession, scope: frozenset[int] | None, choice: Choice
) -> Representatives | Chosen:
    """The delivery audience of the choice; OutOfScope if any id lies outside the scope."""
    if choice.everyone:
        return Representatives(scope)
    allowed = await audience_options(session=session, scope=scope)
    for kind in _FIELDS:
        if not choice.ids_of(kind) <= {o.id for o in allowed if o.kind is kind}:
            raise OutOfScope()
    return Chosen(
        scope=scope,
        delegation_ids=choice.delegation_ids,
        group_ids=choice.group_ids,
        station_ids=choice.station_ids,
    )


@dataclass(frozen=True)
class Count:
    # People with a Telegram account, who will get a message (or be reported unreachable).
    reachable: int
    # People on the roster without a linked account: they get nothing.
    without_account: int


async def count_audience(*, session: AsyncSession, audience: Representatives | Chosen) -> Count:
    (who,) = audience_filters(audience)
    return Count(
        reachable=await count_with_account(session=session, who=who),
        without_account=await count_without_account(session=session, who=who),
    )


def require_recipients(count: Count) -> Count:
    if count.reachable == 0:
        raise EmptyAudience()
    return count
