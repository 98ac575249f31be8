"""Names of stored values as people read them; translate with ``_()`` where shown."""

from __future__ import annotations

from services.i18n_marks import N_
from services.permissions import Role
from storage.duty_models import ActivityType
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


def is_zh(locale: str) -> bool:
    """Any Chinese variant (zh, zh-CN, zh-hans) reads Chinese; every other language, English."""
    return locale.lower().startswith("zh")


def type_name(kind: ActivityType | None, locale: str) -> str:
    """An activity type's name in the reader's language; a dash where there is no type."""
    if kind is None:
        return "—"
    return kind.name_zh if is_zh(locale) else kind.name_en
