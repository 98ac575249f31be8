"""`make i18n`: extract msgids from the code and merge them into both catalogues.

English msgids are the English text, so the English catalogue is filled with them; Chinese
entries that are new come out empty and are listed, to be translated in locales/zh/.../messages.po.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "__": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
SOURCES = ("bot", "handlers", "services", "storage")


def extract() -> Catalog:
    template = Catalog(project="liaison-bot")
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / source, keywords=KEYWORDS, comment_tags=()
        ):
            template.add(message, locations=[(f"{source}/{filename}", lineno)])
    return template


def catalogue_path(locale: str) -> Path:
    return ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po"


def sync(locale: str) -> list[str]:
    # A fresh template each time: Catalog.update shares message objects with its template.
    template = extract()
    path = catalogue_path(locale)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    else:
        catalog = Catalog(locale=locale, project="liaison-bot")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "liaison office"
    catalog.language_team = locale
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if locale == "en" and not message.string:
            message.string = message.id
        if not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            missing.append(str(message.id))
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
    return missing


def main() -> int:
    status = 0
    for locale in ("en", "zh"):
        missing = sync(locale)
        for msgid in missing:
            print(f"{locale}: untranslated: {msgid!r}")
        status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main())
