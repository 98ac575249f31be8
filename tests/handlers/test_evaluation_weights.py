"""/evaluation when every criterion weighs 0 (EVALUATION_WEIGHTS): a clear message, no file."""

from __future__ import annotations

import pytest
from aiogram.methods import SendDocument
from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from tests.evaluation_kit import build_evaluation_world
from tests.factories import make_user
from tests.harness import Harness
from tests.report_kit import CLERK

ZERO = "attendance=0,inspections=0,receptions=0,suggestions=0,reports=0,duty=0"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return Settings(**{**settings.model_dump(), "evaluation_weights": ZERO, "_env_file": None})


async def test_all_weights_zero_is_refused(tg: Harness, session: AsyncSession) -> None:
    await build_evaluation_world(session)
    answer = await tg.send(make_user(CLERK), "/evaluation 2024")
    assert answer == (
        "所有评价指标的权重都是0，无法排名。请在 EVALUATION_WEIGHTS 中至少给一项指标大于0的权重。"
    )
    assert not any(isinstance(r, SendDocument) for r in tg.api.sent(CLERK))
