"""Compile the catalogues (.po → .mo): for `make compile-i18n` and for the build hook in setup.py.

The sources stay in locales/; the compiled catalogues go inside the `bot` package, where
bot/i18n.py reads them, so that a wheel carries them like any other package data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "messages"


def compile_catalogue(source: Path, target: Path) -> None:
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=source.parent.parent.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a bot starting meanwhile never reads half a catalogue.
    partial = target.with_suffix(".mo.partial")
    with partial.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=True)
    partial.replace(target)


def compile_catalogues(sources: Path, target: Path) -> list[Path]:
    """Compiles every <lang>/LC_MESSAGES/messages.po under target; returns the .mo paths."""
    written = []
    for po in sorted(sources.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = target / po.relative_to(sources).with_suffix(".mo")
        compile_catalogue(po, mo)
        written.append(mo)
    if not written:
        raise FileNotFoundError(f"no {DOMAIN}.po catalogues under {sources}")
    return written


if __name__ == "__main__":
    # python locales/compile.py SOURCE.po TARGET.mo
    compile_catalogue(Path(sys.argv[1]), Path(sys.argv[2]))
