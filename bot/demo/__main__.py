"""`python -m bot.demo`: the demo on its own, the same command as `python -m bot demo`."""

import typer

from bot.demo.command import demo

if __name__ == "__main__":
    typer.run(demo)
