"""The import contracts in pyproject.toml hold, and they catch an import against the layers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "services", "storage")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("storage/leak.py", "import handlers.start\n", "Layers"),
        ("services/leak.py", "from bot import app\n", "Layers"),
        ("handlers/leak.py", "from storage.models import Person\n", "Handlers hold no SQL"),
        ("bot/emulator/leak.py", "import services.roster\n", "The emulator is a tool"),
        ("handlers/leak2.py", "import bot.emulator\n", "The product does not depend"),
    ],
)
def test_an_import_against_the_layers_is_caught(
    tree: Path, module: str, line: str, contract: str
) -> None:
    (tree / module).write_text(line)
    result = _lint(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert Path(module).with_suffix("").as_posix().replace("/", ".") in broken
