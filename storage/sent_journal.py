"""A file beside the SQLite database listing replies that Telegram has accepted.

Between Telegram accepting a reply and its row's deletion, a crash sends the reply again on
restart. Deleting a row takes SQLite's write lock, which queues behind every update being
written, and a trip to the driver's thread; appending one line to a file takes a system call
and no lock, so the sender records "sent" here at once and deletes the row afterwards. What is
written survives the process being killed (it is in the kernel's cache; like the database with
synchronous=NORMAL, a power cut may lose the last moments). Whoever sends leftovers reads the
file first and deletes, rather than sends, the rows listed.

Lines are appended with O_APPEND, so processes sharing the database may append to one file. The
compaction (bot.sent.SentMarks.compact) is safe for the appends of its own process; a line
another process appends in the instant of its rename can be lost, which costs at most a
duplicate should that process then crash before deleting the row.
PostgreSQL has no writer queue and may serve workers on several machines: no file there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import URL

from storage.models import PendingReply


class SentJournal:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, url: URL) -> SentJournal | None:
        """The journal of a SQLite file database; None for any other."""
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return cls(Path(f"{url.database}-sent"))

    def record(self, rows: Iterable[PendingReply]) -> None:
        line = "".join(f"{key_of(row)}\n" for row in rows).encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)

    def read(self) -> set[str]:
        return self.read_from(0)[0]

    def read_from(self, offset: int) -> tuple[set[str], int]:
        """The keys listed from byte `offset` on, and where the file ended."""
        try:
            with self.path.open("rb") as file:
                file.seek(offset)
                data = file.read()
        except FileNotFoundError:
            return set(), 0
        # A line being appended right now may be cut: its rest is read next time.
        complete = data[: data.rfind(b"\n") + 1]
        return set(complete.decode().split()), offset + len(complete)

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def replace(self, keys: Iterable[str]) -> None:
        """The journal becomes `keys` alone, atomically (a rename over it)."""
        spare = self.path.with_name(self.path.name + ".new")
        # As private as the journal itself, and on disk before it takes the journal's place: a
        # power cut must not leave an empty list (every reply it named would go again).
        descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(descriptor, "".join(f"{key}\n" for key in sorted(keys)).encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(spare, self.path)

    def clear(self) -> None:
        """After the rows listed are deleted, at a start: the list begins anew."""
        self.path.unlink(missing_ok=True)


def key_of(row: PendingReply) -> str:
    # Not the id alone: SQLite gives a new row the id of one deleted before it.
    return f"{row.bot_id}:{row.update_id}:{row.id}"
