"""From raw figures to a ranking: each criterion normalised against the delegation's best,
weighted, summed to a score out of 100; ranked best first, ties deterministically."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.evaluation.criteria import Criterion
from services.evaluation.model import Figure, Standing

# Scores equal to this many decimals are a tie (sums of floats differ in the last bits).
PRECISION = 6


@dataclass(frozen=True)
class Entry:
    person_id: int
    name: str
    group: str | None
    figures: Mapping[Criterion, Figure]


def rank(entries: Sequence[Entry], weights: Mapping[Criterion, float]) -> list[Standing]:
    total = sum(weights.values())
    best = {
        criterion: max((entry.figures[criterion].raw for entry in entries), default=0.0)
        for criterion in Criterion
    }
    scored = []
    for entry in entries:
        normalised = {
            criterion: entry.figures[criterion].raw / best[criterion] if best[criterion] else 0.0
            for criterion in Criterion
        }
        points = {
            criterion: 100 * weights.get(criterion, 0.0) * share / total
            for criterion, share in normalised.items()
        }
        score = round(sum(points.values()), PRECISION)
        scored.append((entry, normalised, points, score))
    scored.sort(key=lambda item: (-item[3], item[0].name, item[0].person_id))
    standings: list[Standing] = []
    for position, (entry, normalised, points, score) in enumerate(scored, start=1):
        tied = standings and standings[-1].score == score
        place = standings[-1].rank if tied else position
        standings.append(
            Standing(
                entry.person_id,
                entry.name,
                entry.group,
                entry.figures,
                normalised,
                points,
                score,
                place,
            )
        )
    return standings


def shortlist_size(count: int, percent: float) -> int:
    """``percent`` of the delegation, rounded down, at least 1 (none of nobody)."""
    if count == 0:
        return 0
    return max(1, math.floor(count * percent / 100 + 1e-9))
