"""Settings, read from the environment and `.env`; built once, in the app factory or the CLI."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that mean "someone copied the example and did not fill it in".
_PLACEHOLDERS = {"changeme", "change-me", "your-token", "your_token", "xxx", "token", "<token>"}
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
# https:// is a proxy reached over TLS; http:// tunnels with CONNECT (the usual local proxies).
PROXY_SCHEMES = ("http", "https", "socks4", "socks5")


class Locale(StrEnum):
    zh = "zh"
    en = "en"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///data/liaison.db"
    redis_url: str | None = None
    telegram_api_url: str | None = None
    # Every call to the Bot API goes through this proxy when set (Telegram is out of reach from
    # mainland China without one). A secret: it may carry user:password@.
    telegram_proxy: SecretStr | None = None
    timezone: str = "Asia/Shanghai"
    default_locale: Locale = Locale.zh
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # How long SQLite waits for another writer before giving up, in milliseconds.
    sqlite_busy_timeout_ms: int = Field(default=15000, ge=100)
    # Updates handled at once in polling mode.
    polling_concurrency: int = Field(default=16, ge=1, le=1000)
    # The bot's @username, for invitation links made without asking Telegram (getMe).
    bot_username: str | None = None
    invite_ttl_days: int = Field(default=30, ge=1, le=365)
    # Webhook mode (`run --mode webhook`): the public HTTPS address Telegram posts to, the secret
    # it must send back, and where this process listens (behind a load balancer or proxy).
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # Categories a constituent's concern is filed under, as codes separated by commas; the
    # defaults have zh/en names, any other code is shown as it is written.
    concern_categories: Annotated[tuple[str, ...], NoDecode] = (
        "livelihood",
        "urban_construction",
        "education",
        "health_care",
        "environment",
        "employment",
        "other",
    )
    # An open concern whose state has not changed for this many days is due a follow-up.
    concern_followup_days: int = Field(default=14, ge=1, le=365)
    # Delivery engine (services.deliveries, bot.deliveries). Paid broadcast sets
    # allow_paid_broadcast on every send: Telegram then charges Stars and allows more.
    delivery_paid_broadcast: bool = False
    # Seconds a claimed recipient row stays the sender's; a row whose sender died is taken again
    # after this (the message may then go twice if Telegram had accepted it just before).
    delivery_lease_seconds: int = Field(default=300, ge=10, le=86400)
    # Rows claimed and marked per transaction, and sends in flight at once.
    delivery_batch: int = Field(default=100, ge=1, le=5000)
    delivery_concurrency: int = Field(default=32, ge=1, le=1000)
    # Tries of a row that meets server errors or timeouts, waiting base * 2^(n-1) s in between.
    delivery_max_attempts: int = Field(default=5, ge=1, le=50)
    delivery_retry_base_seconds: float = Field(default=5.0, gt=0, le=3600)
    # How often an idle sender looks for due rows.
    delivery_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # The bot token's sending budget (bot/budget.py), in messages: Telegram allows about 30 a
    # second in all, about 1 a second per private chat with short bursts, 20 a minute per group.
    # Deliveries (broadcasts, reminders) take at most DELIVERY_RATE, so that answers to people
    # who just wrote always find a free slot; it is capped at SEND_RATE.
    send_rate: float = Field(default=30.0, gt=0, le=1000)
    delivery_rate: float = Field(default=28.0, gt=0, le=1000)
    chat_rate_per_second: float = Field(default=1.0, gt=0, le=1000)
    # Kept one below the burst Telegram tolerates, so that requests arriving unevenly never
    # look like a bigger one.
    chat_burst: int = Field(default=2, ge=1, le=1000)
    group_rate_per_minute: float = Field(default=20.0, gt=0, le=60000)
    # Bulletin feed watch (services.bulletin_feed): an RSS, Atom or JSON feed where the office
    # publishes its issues, polled every so many minutes; None: no watch. Each response is read
    # within a time limit and stopped past a size (the feed, and each issue's file).
    bulletin_feed_url: str | None = None
    bulletin_feed_minutes: int = Field(default=60, ge=1, le=10080)
    bulletin_feed_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    bulletin_feed_max_bytes: int = Field(default=5_000_000, ge=1024, le=100_000_000)
    bulletin_file_max_bytes: int = Field(default=5_000_000, ge=1024, le=100_000_000)
    # New items taken per poll; more wait for the next poll (a first poll of a long archive).
    bulletin_feed_max_new: int = Field(default=10, ge=1, le=1000)
    # The issuing body printed under the number of an issue assembled with /assemble (the
    # parser reads at most 120 characters there); empty: that of the newest stored issue.
    bulletin_issuing_body: str = Field(default="", max_length=120)
    # Reminders (services.scheduling): how often the planners look for what fell due, and the
    # hours, in TIMEZONE, that hold a reminder until morning unless what it is about starts
    # within three hours; each person can change their own in /reminders.
    tick_seconds: float = Field(default=30.0, ge=0.2, le=3600)
    quiet_hours_start: time = time(22, 0)
    quiet_hours_end: time = time(7, 30)
    # Annual evaluation (services.evaluation): criterion=weight pairs over the defaults
    # (attendance=20, inspections=20, receptions=20, suggestions=15, reports=10, duty=15), and
    # the share of a delegation shortlisted for commendation (at least one representative).
    evaluation_weights: Annotated[dict[str, float], NoDecode] = Field(default_factory=dict)
    evaluation_shortlist_percent: float = Field(default=5.0, gt=0, le=100)
    # Demo and tests only: the clock of services.clock follows the offset written in this file
    # (`python -m bot demo` sets it; `:time +1d` moves the bot's clock a day forward).
    clock_file: Path | None = None

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if text.lower() in _PLACEHOLDERS or not _TOKEN_RE.match(text):
            raise ValueError("looks like a placeholder or is malformed (expected 123456:ABC...)")
        return text

    @field_validator("bot_username", mode="before")
    @classmethod
    def _username(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().removeprefix("@")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", text):
            raise ValueError("is not a Telegram bot username such as liaison_bot")
        return text

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not str(value).startswith(("https://", "http://")):
            raise ValueError("must be the public https:// address Telegram posts updates to")
        return str(value).strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        # Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -; short ones are guessable.
        if text.lower() in _PLACEHOLDERS or not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", text):
            raise ValueError(
                "must be 16-256 characters of A-Z, a-z, 0-9, _ and - (not a placeholder)"
            )
        return text

    @field_validator("bulletin_feed_url", mode="before")
    @classmethod
    def _feed_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// address of an RSS, Atom or JSON feed")
        return text

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("redis_url", "telegram_api_url", "clock_file", mode="before")
    @classmethod
    def _optional_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("telegram_proxy", mode="before")
    @classmethod
    def _proxy(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value.get_secret_value() if isinstance(value, SecretStr) else value).strip()
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname or port is None:
            raise ValueError(
                "must be http://, https://, socks4:// or socks5:// with a host and a port, "
                "e.g. socks5://127.0.0.1:1080"
            )
        return text

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known time zone such as Asia/Shanghai") from exc
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in re.split(r"[,\s]+", value) if part]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be Telegram user ids separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("concern_categories", mode="before")
    @classmethod
    def _concern_categories(cls, value: object) -> object:
        parts = re.split(r"[,\s]+", value) if isinstance(value, str) else value
        if not isinstance(parts, list | tuple):
            raise ValueError("must be category codes separated by commas")
        codes = tuple(str(code).strip().lower() for code in parts if str(code).strip())
        if not codes or not all(re.fullmatch(r"[a-z0-9_]{1,32}", code) for code in codes):
            raise ValueError("must be category codes (a-z, 0-9, _) separated by commas")
        if len(set(codes)) != len(codes):
            raise ValueError("names a category twice")
        return codes

    @field_validator("evaluation_weights", mode="before")
    @classmethod
    def _evaluation_weights(cls, value: object) -> object:
        if not value:
            return {}  # the defaults
        if isinstance(value, dict):
            value = ",".join(f"{name}={weight}" for name, weight in value.items())
        if not isinstance(value, str):
            raise ValueError("must be criterion=weight pairs separated by commas")
        # Imported here: the criteria live with the evaluation, which needs the settings.
        from services.evaluation.criteria import parse_weights

        return {criterion.value: weight for criterion, weight in parse_weights(value).items()}

    @property
    def webhook_path(self) -> str:
        """The path part of WEBHOOK_URL: where this process takes the posts."""
        return urlsplit(self.webhook_url or "").path or "/"

    def require_webhook(self) -> None:
        if self.webhook_url is None:
            raise SettingsError("WEBHOOK_URL: required in webhook mode")
        if self.webhook_secret is None:
            raise SettingsError("WEBHOOK_SECRET: required in webhook mode")

    @property
    def proxy_address(self) -> str | None:
        """TELEGRAM_PROXY as it may be shown: without its password."""
        if self.telegram_proxy is None:
            return None
        parts = urlsplit(self.telegram_proxy.get_secret_value())
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{parts.hostname}:{parts.port}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it in one line."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
