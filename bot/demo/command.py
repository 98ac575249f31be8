"""The `demo` command, for `python -m bot demo` and `python -m bot.demo` alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def demo(
    script: Annotated[
        Path | None,
        typer.Option(
            help="Play this script (format: bot/demo/tour.txt) without a terminal, print the "
            "transcript and exit non-zero if an answer is missing or wrong.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    as_name: Annotated[
        str | None,
        typer.Option("--as", help="Whom to chat as: a demo user's name (default 王建国)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            help="Keep the demo database and the bot's log in this folder "
            "(default: a fresh temporary folder, deleted on exit).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Try the bot without Telegram: the real bot on a local emulator, with the demo roster."""
    from bot.demo.runner import demo_command

    raise typer.Exit(demo_command(script, as_name, data))
