"""The interactive demo's output, written from the main thread and, for messages the bot sends
on its own, from the event loop's thread while the prompt waits."""

from __future__ import annotations

import shutil
import sys
import threading

from bot.demo.render import look_for
from bot.demo.width import width


class Screen:
    def __init__(self) -> None:
        self.look = look_for(sys.stdout)
        self.prompt = ""
        self._lock = threading.Lock()

    @property
    def interactive(self) -> bool:
        return sys.stdin.isatty() and sys.stdout.isatty()

    def print(self, *lines: str, redraw: bool = False) -> None:
        with self._lock:
            if redraw and self.interactive:
                # Clear the prompt line, print, then give back the prompt and what was typed.
                sys.stdout.write("\r\x1b[2K" + "\n".join(lines) + "\n" + self.prompt + _typed())
            else:
                sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()

    def forget_echo(self, typed: str) -> None:
        """Remove the terminal's echo of the line just typed, to print it as the chat shows it."""
        if self.interactive:
            columns = shutil.get_terminal_size().columns
            rows = max(1, -(-width(self.prompt + typed) // columns))
            sys.stdout.write(f"\x1b[{rows}A\r\x1b[J")


def _typed() -> str:
    try:
        import readline
    except ImportError:
        return ""
    return readline.get_line_buffer()
