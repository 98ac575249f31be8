"""Settings of the Bot API emulator: rate limits, fault injection and timing.

Every number defaults to what Telegram documents or is observed to do, so a bot that behaves
here behaves against the real service; tests that do not study limits switch them off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    """The failures the emulator can inject into a Bot API call."""

    TOO_MANY_REQUESTS = "429"
    BAD_GATEWAY = "502"
    TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Token buckets per bot, per private chat and per group, as in Telegram's bot FAQ."""

    enabled: bool = True
    bot_per_second: float = 30.0
    bot_burst: int = 30
    private_per_second: float = 1.0
    # Telegram tolerates short bursts in a private chat before answering 429.
    private_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """A seeded share of calls fails, so a delivery benchmark is repeatable run to run."""

    share: float = 0.0
    kinds: tuple[FaultKind, ...] = (
        FaultKind.TOO_MANY_REQUESTS,
        FaultKind.BAD_GATEWAY,
        FaultKind.TIMEOUT,
    )
    seed: int = 0
    # A "timeout" hangs the request this long, which must exceed the client's own timeout.
    timeout_delay: float = 5.0
    # When true a timed-out call still takes effect, as when Telegram accepted a message but
    # the answer was lost: the sender's retry then produces a duplicate.
    timeout_delivers: bool = False
    retry_after: int = 1
    # When set, each injected 429 asks for a whole number of seconds drawn from
    # retry_after..retry_after_max, as Telegram's own answers vary.
    retry_after_max: int | None = None
    # Lower-case method names the faults apply to; empty means every method.
    methods: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError("fault share must be between 0 and 1")
        if self.share > 0 and not self.kinds:
            raise ValueError("a positive fault share needs at least one fault kind")
        if self.retry_after_max is not None and self.retry_after_max < self.retry_after:
            raise ValueError("retry_after_max must not be below retry_after")


@dataclass(frozen=True, slots=True)
class EmulatorSettings:
    """Everything configurable about one emulator instance."""

    limits: RateLimits = field(default_factory=RateLimits)
    faults: FaultSettings = field(default_factory=FaultSettings)
    # The bot that user-side actions talk to when no bot id is given.
    default_bot_id: int = 100000001
    bot_first_name: str = "代表联络助手"
    # None derives "emulated_<id>_bot", so two bots on one emulator stay distinguishable.
    bot_username: str | None = None
    # Telegram caps getUpdates' timeout; clients asking for more just wait this long.
    max_long_poll: float = 50.0
    webhook_retry_initial: float = 0.05
    webhook_retry_max: float = 2.0
    webhook_request_timeout: float = 10.0
    max_upload_bytes: int = 50 * 1024 * 1024
    # getFile refuses files above 20 MB on the public Bot API.
    max_download_bytes: int = 20 * 1024 * 1024
