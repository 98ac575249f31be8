from __future__ import annotations

import pytest

from services.config import Locale, Settings, SettingsError, load_settings

# Every setting, so that one added later is cleared too and a developer's shell cannot leak in.
SETTINGS = tuple(name.upper() for name in Settings.model_fields)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no .env here


def test_every_default_applies_when_the_environment_is_empty() -> None:
    # Every default as declared: nothing from the environment or a .env crept in.
    settings = load_settings()
    for name, field in Settings.model_fields.items():
        assert getattr(settings, name) == field.get_default(call_default_factory=True), name


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
        ("TELEGRAM_PROXY", "ftp://127.0.0.1:1080"),
        ("TELEGRAM_PROXY", "socks5://127.0.0.1"),
        ("TELEGRAM_PROXY", "127.0.0.1:1080"),
        ("TELEGRAM_PROXY", "http://:8080"),
        ("TELEGRAM_PROXY", "socks5://127.0.0.1:port"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LOCALE", "fr"),
        ("ADMIN_IDS", "alice"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_URL", "ftp://example.org/hook"),
        ("WEBHOOK_SECRET", "short"),
        ("WEBHOOK_SECRET", "has spaces and is long enough"),
        ("BOT_USERNAME", "@x"),
        ("BULLETIN_FEED_URL", "ftp://rd.example.gov.cn/feed.xml"),
        ("BULLETIN_FEED_URL", "file:///etc/passwd"),
        ("BULLETIN_FEED_MINUTES", "0"),
        ("BULLETIN_FEED_MAX_BYTES", "10"),
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


@pytest.mark.parametrize("scheme", ["http", "https", "socks4", "socks5"])
def test_proxy_is_read_and_shown_without_its_password(
    monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    monkeypatch.setenv("TELEGRAM_PROXY", f" {scheme}://liaison:s3cret@127.0.0.1:1080 ")
    settings = load_settings()
    assert settings.telegram_proxy is not None
    assert settings.telegram_proxy.get_secret_value() == f"{scheme}://liaison:s3cret@127.0.0.1:1080"
    assert settings.proxy_address == f"{scheme}://liaison@127.0.0.1:1080"
    assert "s3cret" not in repr(settings)
    monkeypatch.setenv("TELEGRAM_PROXY", "")
    assert load_settings().telegram_proxy is None


def test_the_feed_watch_is_off_unless_an_address_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_FEED_URL", " ")
    assert load_settings().bulletin_feed_url is None
    monkeypatch.setenv("BULLETIN_FEED_URL", " https://rd.example.gov.cn/daibiao/rss.xml ")
    settings = load_settings()
    assert settings.bulletin_feed_url == "https://rd.example.gov.cn/daibiao/rss.xml"
    assert (settings.bulletin_feed_minutes, settings.bulletin_feed_max_bytes) == (60, 5_000_000)
