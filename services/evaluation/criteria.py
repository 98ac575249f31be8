"""The evaluation's criteria, their default weights, and the weights read from the settings.

Each criterion is one raw figure per representative over the year: a count, or a rate for
meeting attendance and duty (what they did of what was asked of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from services.errors import DomainError
from services.i18n_marks import N_


class Criterion(StrEnum):
    # checked in or convened / group meetings held in the year they were invited to
    attendance = "attendance"
    inspections = "inspections"  # inspections, research visits, law-enforcement inspections
    receptions = "receptions"  # receptions logged + concerns resolved
    suggestions = "suggestions"  # suggestions and motions submitted
    reports = "reports"  # reports to voters
    duty = "duty"  # station duties served / due


# The activity type codes counted by the count criteria (storage migration 0008).
ACTIVITY_CODES: Mapping[str, tuple[str, ...]] = {
    Criterion.inspections: ("inspection", "research", "law_enforcement"),
    Criterion.receptions: ("reception",),
    Criterion.suggestions: ("suggestion",),
    Criterion.reports: ("report_to_voters",),
}
RATES = frozenset({Criterion.attendance, Criterion.duty})

DEFAULT_WEIGHTS: Mapping[Criterion, float] = {
    Criterion.attendance: 20.0,
    Criterion.inspections: 20.0,
    Criterion.receptions: 20.0,
    Criterion.suggestions: 15.0,
    Criterion.reports: 10.0,
    Criterion.duty: 15.0,
}

CRITERION_LABELS: Mapping[Criterion, str] = {
    Criterion.attendance: N_("Group meetings attended"),
    Criterion.inspections: N_("Inspections and research visits"),
    Criterion.receptions: N_("Receptions and concerns resolved"),
    Criterion.suggestions: N_("Suggestions and motions"),
    Criterion.reports: N_("Reports to voters"),
    Criterion.duty: N_("Station duty served"),
}


class NoWeights(DomainError):
    message = N_(
        "Every evaluation criterion weighs 0, so nobody can be ranked. "
        "Give at least one a weight above 0 in EVALUATION_WEIGHTS."
    )


def parse_weights(text: str) -> dict[Criterion, float]:
    """``attendance=20,duty=15``: the named weights over the defaults. ValueError if malformed,
    a criterion is unknown or named twice, or a weight is negative or not a number."""
    weights = dict(DEFAULT_WEIGHTS)
    seen: set[str] = set()
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        name, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or name not in Criterion.__members__:
            known = ", ".join(Criterion)
            raise ValueError(f"{part!r}: write criterion=weight, criteria: {known}")
        if name in seen:
            raise ValueError(f"{name} is named twice")
        seen.add(name)
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"{part!r}: the weight must be a number") from None
        if not 0 <= weight <= 1000:
            raise ValueError(f"{part!r}: the weight must be from 0 to 1000")
        weights[Criterion(name)] = weight
    return weights


def require_weights(weights: Mapping[Criterion, float]) -> None:
    if not any(weight > 0 for weight in weights.values()):
        raise NoWeights()


def weights_from(named: Mapping[str, float]) -> dict[Criterion, float]:
    """The settings' weights (criterion name → weight) over the defaults."""
    weights = dict(DEFAULT_WEIGHTS)
    weights.update({Criterion(name): weight for name, weight in named.items()})
    return weights
