from __future__ import annotations

import pytest

from services.config import Locale, SettingsError, load_settings

SETTINGS = (
    *("BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "TELEGRAM_API_URL"),
    *("TIMEZONE", "ADMIN_IDS", "DEFAULT_LOCALE", "LOG_LEVEL"),
    *("WEBHOOK_URL", "WEBHOOK_SECRET", "BOT_USERNAME"),
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no .env here


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.database_url == "sqlite+aiosqlite:///data/liaison.db"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.default_locale is Locale.zh
    assert settings.admin_ids == frozenset()


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    monkeypatch.setenv("ADMIN_IDS", "11, 22 33")
    settings = load_settings()
    assert settings.bot_token is not None
    assert settings.bot_token.get_secret_value().startswith("123456789:")
    assert "AAHdq" not in repr(settings)
    assert settings.admin_ids == frozenset({11, 22, 33})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TOKEN", "changeme"),
        ("BOT_TOKEN", "your-token"),
        ("BOT_TOKEN", "12345"),
        ("DATABASE_URL", "mysql://x"),
        ("REDIS_URL", "localhost:6379"),
        ("TELEGRAM_API_URL", "ftp://x"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LOCALE", "fr"),
        ("ADMIN_IDS", "alice"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_URL", "ftp://example.org/hook"),
        ("WEBHOOK_SECRET", "short"),
        ("WEBHOOK_SECRET", "has spaces and is long enough"),
        ("BOT_USERNAME", "@x"),
    ],
)
def test_placeholder_or_malformed_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"{name}:")
    assert "\n" not in message


def test_webhook_mode_needs_url_and_secret() -> None:
    settings = load_settings()
    with pytest.raises(SettingsError, match=r"^WEBHOOK_URL: required in webhook mode$"):
        settings.require_webhook()
    settings = load_settings(webhook_url="https://bot.example.org/telegram/hook")
    assert settings.webhook_path == "/telegram/hook"
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET"):
        settings.require_webhook()
