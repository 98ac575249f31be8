"""A group's figures for a quarter: each member's activities and points, the group's total and
its rank among the groups of its delegation. Aggregated in SQL (storage.reports, storage
.score_post); the result is plain JSON-able data, kept in the delivery's params."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.dates import quarter_bounds
from storage.models import Group
from storage.reports import people_points
from storage.score_post import group_totals


@dataclass(frozen=True)
class Member:
    name: str
    count: int
    points: int


@dataclass(frozen=True)
class ScoreFigures:
    group_id: int
    group: str
    year: int
    quarter: int
    members: tuple[Member, ...]
    count: int
    points: int
    rank: int  # 1 = most points; groups with equal points share a rank
    groups: int  # groups in the delegation

    @property
    def empty(self) -> bool:
        return self.count == 0

    def as_params(self) -> dict[str, Any]:
        params = asdict(self)
        params["members"] = [[m.name, m.count, m.points] for m in self.members]
        return params

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ScoreFigures:
        values = dict(params)
        values["members"] = tuple(Member(str(n), int(c), int(p)) for n, c, p in params["members"])
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in fields})


def rank_of(points: int, all_points: list[int]) -> int:
    """Competition ranking: one more than the groups with more points."""
    return 1 + sum(1 for other in all_points if other > points)


async def score_figures(
    *, session: AsyncSession, group: Group, year: int, quarter: int
) -> ScoreFigures:
    assert group.id is not None  # noqa: S101 - a stored group
    first, last = quarter_bounds(year, quarter)
    people = await people_points(
        session=session, kind="group", unit_id=group.id, first=first, last=last
    )
    totals = await group_totals(
        session=session, delegation_id=group.delegation_id, first=first, last=last
    )
    mine = next((t for t in totals if t[0] == group.id), (group.id, group.name, 0, 0))
    return ScoreFigures(
        group_id=group.id,
        group=group.name,
        year=year,
        quarter=quarter,
        members=tuple(Member(name, count, points) for _id, name, _g, count, points in people),
        count=mine[2],
        points=mine[3],
        rank=rank_of(mine[3], [t[3] for t in totals]),
        groups=len(totals),
    )
