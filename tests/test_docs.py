"""Every setting is documented where operators look: .env.example and the README's table."""

from __future__ import annotations

import re
from pathlib import Path

from services.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {name.upper() for name in Settings.model_fields}


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))
    assert listed == SETTINGS


def test_readme_table_names_every_setting() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([A-Z][A-Z_]+)`", text))
    assert SETTINGS - named == set()


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_every_command_in_the_deployment_walk_through_exists_with_its_options() -> None:
    from typer.testing import CliRunner

    from bot.__main__ import cli

    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    # `liaison-admin roster import FILE --dry-run`: the command, then the options of the line.
    pattern = r"(?:liaison-admin|bin/liaison-bot) ([a-z][a-z -]*)(.*)$"
    lines = re.findall(pattern, text, re.MULTILINE)
    assert len(lines) >= 8
    runner = CliRunner()
    for words, rest in lines:
        command = [word for word in words.split() if not word.startswith("-")][:2]
        result = runner.invoke(cli, [*command, "--help"], prog_name="liaison-bot")
        assert result.exit_code == 0, (words, result.output)
        for option in re.findall(r"(--[a-z-]+)", words + rest):
            assert option in result.output, (command, option)


def test_the_systemd_unit_starts_the_installed_command() -> None:
    unit = (ROOT / "deploy" / "liaison-bot.service").read_text(encoding="utf-8")
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (start,) = re.findall(r"^ExecStart=(\S+) run$", unit, re.MULTILINE)
    assert re.search(rf'^{Path(start).name} = "bot.__main__:main"$', scripts, re.MULTILINE)
    assert "deploy/liaison-bot.service" in (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
