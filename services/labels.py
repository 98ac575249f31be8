"""Names of stored values as people read them; translate with ``_()`` where shown."""

from __future__ import annotations

from services.i18n_marks import N_
from services.permissions import Role
from storage.models import Level

LEVEL_LABELS: dict[str, str] = {
    Level.national: N_("national"),
    Level.province: N_("provincial"),
    Level.city: N_("city"),
    Level.county: N_("county"),
    Level.township: N_("township"),
}

ROLE_LABELS: dict[str, str] = {
    Role.stranger: N_("not on the roster"),
    Role.representative: N_("representative"),
    Role.group_leader: N_("group leader"),
    Role.staff: N_("staff"),
    Role.admin: N_("admin"),
}

# What people type after /lang: the codes, and each language's name in either language.
LANGUAGE_WORDS: dict[str, str] = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
    "中文": "zh",
    "汉语": "zh",
    "简体中文": "zh",
    "chinese": "zh",
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
}


def language_from(text: str) -> str | None:
    """The locale code a typed language name or code means, or None."""
    word = "".join(text.split()).casefold().replace("_", "-")
    return LANGUAGE_WORDS.get(word)
