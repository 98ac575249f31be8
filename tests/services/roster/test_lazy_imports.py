"""Starting the bot does not load openpyxl, qrcode, PIL or ReportLab: only the roster worker,
exports, invitations and duty records need them."""

import subprocess
import sys


def test_the_bot_starts_without_importing_openpyxl_qrcode_or_reportlab() -> None:
    # What `python -m bot run` imports before it serves: the command line, the app and routers.
    probe = (
        "import sys, bot.__main__, bot.app, bot.runner, bot.webhook, storage.migrate, handlers; "
        "print(sorted(name for name in sys.modules "
        "if name.split('.')[0] in ('openpyxl', 'qrcode', 'PIL', 'reportlab')))"
    )

    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )

    assert completed.stdout.strip() == "[]"
