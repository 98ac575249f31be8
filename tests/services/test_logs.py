from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from services.logs import ContextFilter, KeyValueFormatter
from tests.conftest import ADMIN_ID
from tests.factories import make_message, make_user
from tests.harness import Harness


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


async def test_info_logs_carry_ids_but_no_message_text(
    tg: Harness, log_stream: io.StringIO
) -> None:
    user = make_user(ADMIN_ID, language_code="en")
    secret = "我的电话是13812345678，住在洛阳市涧西区"
    update = make_message(secret, user=user, update_id=4711)
    await tg.feed(update)
    await tg.feed(update)  # redelivered: logged as skipped
    output = log_stream.getvalue()
    assert "skipped an update handled before" in output
    line = next(x for x in output.splitlines() if "skipped" in x)
    assert "update_id=4711" in line
    assert f"user_id={ADMIN_ID}" in line
    assert "13812345678" not in output
    assert "涧西区" not in output
