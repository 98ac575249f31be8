"""Categories of concerns: codes from the CONCERN_CATEGORIES setting; the defaults have names."""

from __future__ import annotations

from services.i18n_marks import N_

CATEGORY_LABELS: dict[str, str] = {
    "livelihood": N_("Livelihood"),
    "urban_construction": N_("Urban and rural construction"),
    "education": N_("Education"),
    "health_care": N_("Health care"),
    "environment": N_("Environment"),
    "employment": N_("Employment"),
    "other": N_("Other"),
}


def category_label(code: str) -> str | None:
    """The msgid naming a category, or None for a configured code without one (shown as is)."""
    return CATEGORY_LABELS.get(code)
