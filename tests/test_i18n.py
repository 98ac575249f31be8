"""Both catalogues are complete, current, and keep every placeholder."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _code_msgids() -> set[str]:
    spec = importlib.util.spec_from_file_location("locales_sync", ROOT / "locales" / "sync.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {str(m.id) for m in module.extract() if m.id}


def _catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


CODE = _code_msgids()


def test_the_code_has_messages() -> None:
    assert "What you can use:" in CODE
    assert "This button has expired. Please start again." in CODE


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_msgid_in_the_code_is_translated(locale: str) -> None:
    catalog = _catalog(locale)
    translated = {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(CODE - translated)
    assert missing == [], f"{locale}: run `make i18n` and translate: {missing}"


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_no_stale_entries(locale: str) -> None:
    stale = sorted({str(m.id) for m in _catalog(locale) if m.id} - CODE)
    assert stale == [], f"{locale}: entries no longer in the code: {stale}"


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_placeholders_survive_translation(locale: str) -> None:
    for message in _catalog(locale):
        if not message.id or not message.string:
            continue
        expected = sorted(PLACEHOLDER.findall(str(message.id)))
        assert sorted(PLACEHOLDER.findall(str(message.string))) == expected, message.id


def test_chinese_is_really_chinese() -> None:
    for message in _catalog("zh"):
        if message.id and message.string:
            # Chinese characters or Chinese punctuation (the list separator is just "、").
            assert re.search(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", str(message.string)), (
                message.id
            )


def test_a_missing_compiled_catalogue_stops_the_start_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import bot.i18n
    from services.config import Settings

    settings = Settings(_env_file=None)
    zh = tmp_path / "zh" / "LC_MESSAGES" / "messages.mo"
    zh.parent.mkdir(parents=True)
    zh.write_bytes((bot.i18n.LOCALES_DIR / "zh" / "LC_MESSAGES" / "messages.mo").read_bytes())
    monkeypatch.setattr(bot.i18n, "LOCALES_DIR", tmp_path)
    with pytest.raises(bot.i18n.CataloguesMissing, match=r"^no compiled translations for en in "):
        bot.i18n.build_i18n(settings)
