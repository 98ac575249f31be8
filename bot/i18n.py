"""Translations for the chat and the command line alike (aiogram's gettext I18n)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiogram.utils.i18n import I18n

from services.config import Locale, Settings

# Compiled from locales/*.po by `make compile-i18n` in a checkout and by the build hook in a wheel.
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class CataloguesMissing(RuntimeError):
    """A language has no compiled catalogue: every message would silently come out in English."""


def build_i18n(settings: Settings) -> I18n:
    missing = [
        locale.value
        for locale in Locale
        if not (LOCALES_DIR / locale.value / "LC_MESSAGES" / "messages.mo").is_file()
    ]
    if missing:
        raise CataloguesMissing(
            f"no compiled translations for {', '.join(missing)} in {LOCALES_DIR}: "
            "run `make compile-i18n` in a checkout, or install a wheel"
        )
    return I18n(path=LOCALES_DIR, default_locale=settings.default_locale.value, domain="messages")


@contextmanager
def cli_locale(settings: Settings, locale: str | None = None) -> Iterator[I18n]:
    """Makes ``_()`` work outside an update: command-line output, scheduled jobs."""
    i18n = build_i18n(settings)
    with i18n.context(), i18n.use_locale(locale or settings.default_locale.value):
        yield i18n
