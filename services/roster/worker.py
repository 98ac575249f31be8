"""``parse_roster_file``: a roster file parsed in a child process, never on the event loop.

openpyxl and the row checks are pure Python and hold the GIL for seconds on a large file, so a
thread would still stall every other chat; a process does not. Each file gets a fresh interpreter
(``services.roster.child``) that runs under kernel limits on its address space and CPU time, so a
file that slips past the reader's own limits fails alone and gives all its memory back when the
process ends. A fresh interpreter rather than a multiprocessing fork server, whose children would
first re-import the bot's own entry script. A small semaphore bounds how many parse at once.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import pickle
import signal
import sys
import weakref
from dataclasses import dataclass
from typing import Any

from services.i18n_marks import N_
from services.roster.child import encode_request
from services.roster.limits import (
    WORKER_CONCURRENCY,
    WORKER_CPU_SECONDS,
    WORKER_MEMORY_BYTES,
    WORKER_TIMEOUT_SECONDS,
)
from services.roster.models import FILE_LEVEL, Params, RosterParseResult, RowError

logger = logging.getLogger(__name__)

_TOO_SLOW = N_(
    "Reading the file {filename} took longer than {seconds} seconds; "
    "split the roster into smaller files."
)
_CRASHED = N_("The file {filename} could not be read; save it again from Excel and send it again.")
# Semaphores belong to one event loop; tests run several loops in one process.
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    result: RosterParseResult
    # The child's peak resident memory in bytes; 0 when it ended without reporting.
    peak_rss: int


async def parse_roster_file(data: bytes, filename: str) -> RosterParseResult:
    """``parse_roster`` in a worker process; the same result, file problems included."""
    return (await parse_in_worker(data, filename)).result


async def parse_in_worker(data: bytes, filename: str) -> ParseOutcome:
    loop = asyncio.get_running_loop()
    slots = _slots.setdefault(loop, asyncio.Semaphore(WORKER_CONCURRENCY))
    async with slots:
        request = encode_request(
            filename, data, memory_bytes=WORKER_MEMORY_BYTES, cpu_seconds=WORKER_CPU_SECONDS
        )
        return await _run(request, filename)


async def _run(request: bytes, filename: str) -> ParseOutcome:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.roster.child",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        output, errors = await asyncio.wait_for(
            process.communicate(request), WORKER_TIMEOUT_SECONDS
        )
    except TimeoutError:
        return _failure(filename, _TOO_SLOW, {"seconds": math.ceil(WORKER_TIMEOUT_SECONDS)})
    finally:
        # Also on cancellation (the update was abandoned): the child is of no more use.
        if process.returncode is None:
            process.kill()
            await asyncio.shield(process.wait())
    if process.returncode == -signal.SIGXCPU:
        return _failure(filename, _TOO_SLOW, {"seconds": WORKER_CPU_SECONDS})
    if process.returncode != 0 or not output:
        logger.error(
            "Roster worker for %r ended with code %s: %s",
            filename,
            process.returncode,
            errors[-2000:].decode(errors="replace"),
        )
        return _failure(filename, _CRASHED)
    try:
        return await _decode(output)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        logger.exception("Roster worker for %r sent an unreadable result", filename)
        return _failure(filename, _CRASHED)


async def _decode(output: bytes) -> ParseOutcome:
    # 50,000 rows take a third of a second to unpickle, and a thread doing it would still compete
    # with the loop for the GIL; chunk by chunk, the loop is never held for more than a few ms.
    chunks, peak = _load(output)
    parts: dict[str, list[Any]] = {}
    for name, pieces in chunks.items():
        items = parts[name] = []
        for piece in pieces:
            items.extend(_load(piece))
            await asyncio.sleep(0)
    return ParseOutcome(RosterParseResult(**parts), peak)


# The child is this program, but it has just parsed a hostile file: whatever it sends back may
# only build roster values, never call anything else.
_ALLOWED = {
    ("services.roster.models", "RosterRow"),
    ("services.roster.models", "RowError"),
    ("services.roster.models", "RowWarning"),
    ("services.roster.models", "Role"),
    ("storage.models", "Level"),
    ("datetime", "date"),
}


class _RosterUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed roster")
        return super().find_class(module, name)


def _load(data: bytes) -> Any:
    return _RosterUnpickler(io.BytesIO(data)).load()


def _failure(filename: str, message: str, params: Params | None = None) -> ParseOutcome:
    error = RowError(FILE_LEVEL, message, {"filename": filename, **(params or {})})
    return ParseOutcome(RosterParseResult([], [error], []), 0)
