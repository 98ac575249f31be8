"""The worker process behind ``parse_roster_file``: ``python -m services.roster.child``.

It reads a request from stdin (see ``encode_request``), sets the kernel's limits on its own address
space and CPU time before touching the file, parses it and writes the result to stdout in pickled
chunks (see ``encode_result``).
"""

import os
import pickle
import resource
import struct
import sys
import warnings

from services.i18n_marks import N_
from services.roster.models import FILE_LEVEL, RosterParseResult, RowError
from services.roster.parse import parse_roster

TOO_BIG = N_(
    "The file {filename} needs more memory to read than a roster may use; "
    "split the roster into smaller files."
)


# The address space limit in bytes, the CPU limit in seconds, the file name's length in bytes.
_HEADER = struct.Struct("<QII")


def encode_request(filename: str, data: bytes, *, memory_bytes: int, cpu_seconds: int) -> bytes:
    # surrogateescape: a file name from the disk may hold bytes that are not UTF-8.
    name = filename.encode("utf-8", "surrogateescape")
    return _HEADER.pack(memory_bytes, cpu_seconds, len(name)) + name + data


# Unpickling a chunk of this many rows takes a few milliseconds: the bot decodes a 50,000-row
# result on its event loop, chunk by chunk, letting other updates run in between.
CHUNK_ROWS = 1_000
Chunks = dict[str, list[bytes]]


def encode_result(result: RosterParseResult, peak_rss: int) -> bytes:
    """The result's rows, errors and warnings, each pickled in chunks, and the peak RSS."""
    chunks: Chunks = {
        name: [
            pickle.dumps(items[start : start + CHUNK_ROWS], protocol=pickle.HIGHEST_PROTOCOL)
            for start in range(0, len(items), CHUNK_ROWS)
        ]
        for name, items in (
            ("rows", result.rows),
            ("errors", result.errors),
            ("warnings", result.warnings),
        )
    }
    return pickle.dumps((chunks, peak_rss), protocol=pickle.HIGHEST_PROTOCOL)


def main() -> None:
    request = sys.stdin.buffer.read()
    memory_bytes, cpu_seconds, length = _HEADER.unpack_from(request)
    start = _HEADER.size + length
    filename = request[_HEADER.size : start].decode("utf-8", "surrogateescape")
    data = request[start:]
    del request
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # The soft limit ends the process with SIGXCPU, which the parent reports as too slow.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    # Parsing is background work: the bot answering other users comes first on a busy machine.
    os.nice(10)
    # openpyxl warns once per odd cell; a hostile file would fill the parent's stderr buffer.
    warnings.simplefilter("ignore")
    try:
        result = parse_roster(data, filename)
    except MemoryError:
        del data
        result = RosterParseResult([], [RowError(FILE_LEVEL, TOO_BIG, {"filename": filename})], [])
    sys.stdout.buffer.write(encode_result(result, peak_rss()))


def peak_rss() -> int:
    """This process's peak resident memory in bytes, since it started this program.

    Not ``getrusage``: Linux carries the RSS of the process image replaced by exec over into
    ``ru_maxrss``, and here that image was a copy of the whole bot.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # Elsewhere ru_maxrss is the best there is: kilobytes on Linux, bytes on macOS.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
