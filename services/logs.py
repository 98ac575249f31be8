"""Structured logs: one key=value line per event, with the update and user being handled.

Message texts, phone numbers and constituents' details are never logged at INFO; handlers log ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

update_id_var: ContextVar[int | None] = ContextVar("update_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.update_id = update_id_var.get()
        record.user_id = user_id_var.get()
        return True


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = [
            f"ts={self.formatTime(record, '%Y-%m-%dT%H:%M:%S')}",
            f"level={record.levelname.lower()}",
            f"logger={record.name}",
        ]
        for key in ("update_id", "user_id", "ref"):
            value = getattr(record, key, None)
            if value is not None:
                fields.append(f"{key}={value}")
        fields.append(f"msg={record.getMessage()!r}")
        line = " ".join(fields)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiogram logs every handled update at INFO; that is noise at scale, not an audit trail.
    logging.getLogger("aiogram.event").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))


@contextmanager
def log_context(*, update_id: int | None, user_id: int | None) -> Iterator[None]:
    update_token = update_id_var.set(update_id)
    user_token = user_id_var.set(user_id)
    try:
        yield
    finally:
        update_id_var.reset(update_token)
        user_id_var.reset(user_token)
