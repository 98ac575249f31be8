"""What an evaluation holds: each representative's raw figures, normalised, weighted, ranked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.evaluation.criteria import Criterion


@dataclass(frozen=True)
class Figure:
    """One criterion's raw figure: a count (``of`` None) or ``value`` of ``of`` (a rate)."""

    value: int
    of: int | None = None

    @property
    def raw(self) -> float:
        if self.of is None:
            return float(self.value)
        return self.value / self.of if self.of else 0.0


@dataclass(frozen=True)
class Standing:
    person_id: int
    name: str
    group: str | None
    figures: Mapping[Criterion, Figure]
    # Each criterion's share of the delegation's best (0..1), and its weighted points.
    normalised: Mapping[Criterion, float]
    points: Mapping[Criterion, float]
    score: float  # 0..100
    rank: int  # equal scores share a rank (1, 1, 3)


@dataclass(frozen=True)
class Evaluation:
    year: int
    delegation_id: int
    delegation: str
    weights: Mapping[Criterion, float]
    standings: list[Standing]  # best first; equal scores by name, then person id
    shortlist: list[Standing] = field(default_factory=list)

    @property
    def criteria(self) -> list[Criterion]:
        """The criteria that count (weight above 0), in their fixed order."""
        return [criterion for criterion in Criterion if self.weights.get(criterion, 0) > 0]
