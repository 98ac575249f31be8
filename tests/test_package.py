"""The wheel carries what an installed bot needs away from a checkout.

.ci/run installs the wheel in a fresh venv and plays the tour with it; this test names what is
missing when that fails, and runs with every `make test`.
"""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
ZH_MO = "bot/locales/zh/LC_MESSAGES/messages.mo"
NEEDED = {
    ZH_MO,
    "bot/locales/en/LC_MESSAGES/messages.mo",
    "bot/demo/tour.txt",
    "bot/demo/roster.csv",
    "storage/alembic.ini",
    "storage/migrations/env.py",
}


def _wheel(folder: Path) -> zipfile.ZipFile:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = folder.glob("liaison_bot-*.whl")
    return zipfile.ZipFile(wheel)


def test_the_wheel_carries_catalogues_tour_demo_roster_and_migrations(tmp_path: Path) -> None:
    with _wheel(tmp_path) as wheel:
        names = set(wheel.namelist())
        assert NEEDED - names == set()
        assert any(re.fullmatch(r"storage/migrations/versions/\w+\.py", name) for name in names)
        # Compiled from the current sources: Chinese for the msgid, not an empty catalogue.
        mo = gettext.GNUTranslations(io.BytesIO(wheel.read(ZH_MO)))
        assert mo.gettext("What you can use:") == "您可以使用："
        # Every file the tour sends lies beside it in the package.
        tour = wheel.read("bot/demo/tour.txt").decode("utf-8")
        sent = re.findall(r"^:send (.+)$", tour, flags=re.MULTILINE)
        assert sent
        for path in sent:
            assert str(PurePosixPath("bot/demo") / path.strip()) in names, path
